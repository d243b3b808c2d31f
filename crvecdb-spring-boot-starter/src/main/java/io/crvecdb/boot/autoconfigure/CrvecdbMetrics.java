package io.crvecdb.boot.autoconfigure;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.crvecdb.IndexStats;
import io.crvecdb.VectorIndex;

/**
 * The meters of one or more indexes, each tagged with its store name: gauges {@code crvecdb.index.size},
 * {@code crvecdb.index.deleted}, {@code crvecdb.store.size} (bytes on disk),
 * {@code crvecdb.index.memory} (bytes that searches walk) and {@code crvecdb.index.read.only}
 * (1 after a failed write), and timers {@code crvecdb.add}
 * (every write: add, upsert, delete) and {@code crvecdb.search}, read from the index's own
 * counters so the core needs no Micrometer.
 */
public class CrvecdbMetrics implements MeterBinder {

    private final Map<String, VectorIndex> indexes;

    /**
     * @param index the index to measure
     * @param name the value of every meter's {@code name} tag ({@code crvecdb.name})
     */
    public CrvecdbMetrics(VectorIndex index, String name) {
        this(Map.of(name, index));
    }

    /**
     * @param indexes the indexes to measure, by the value of their meters' {@code name} tag
     */
    public CrvecdbMetrics(Map<String, VectorIndex> indexes) {
        this.indexes = Map.copyOf(indexes);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.indexes.forEach((name, index) -> bind(registry, index, Tags.of("name", name)));
    }

    private static void bind(MeterRegistry registry, VectorIndex index, Tags tags) {
        gauge(registry, index, tags, "crvecdb.index.size", "Records in the index", "records", VectorIndex::size);
        gauge(registry, index, tags, "crvecdb.index.deleted", "Deleted records still taking space until compaction",
                "records", VectorIndex::deletedCount);
        gauge(registry, index, tags, "crvecdb.store.size", "Bytes of the store's files on disk (0 in memory)", "bytes",
                VectorIndex::storeSizeBytes);
        gauge(registry, index, tags, "crvecdb.index.memory",
                "Bytes of memory that searches walk: links, plus vectors or int8 codes", "bytes",
                VectorIndex::searchMemoryBytes);
        gauge(registry, index, tags, "crvecdb.index.read.only", "1 once a failed write has made the index read-only",
                null, measured -> measured.readOnlyReason().isPresent()
                        && !measured.isOpenedReadOnly() ? 1 : 0);
        timer(registry, index, tags, "crvecdb.add", "Writes to the index (adds, upserts, deletes), durability included",
                IndexStats::writes, IndexStats::writeNanos);
        timer(registry, index, tags, "crvecdb.search", "Searches of the index", IndexStats::searches,
                IndexStats::searchNanos);
    }

    private static void gauge(MeterRegistry registry, VectorIndex index, Tags tags, String name, String description,
            String unit, ToDoubleFunction<VectorIndex> value) {
        Gauge.builder(name, index, measured -> measured.isClosed() || measured.unavailableReason().isPresent() ? Double.NaN
                : value.applyAsDouble(measured))
            .description(description)
            .baseUnit(unit)
            .tags(tags)
            .register(registry);
    }

    private static void timer(MeterRegistry registry, VectorIndex index, Tags tags, String name, String description,
            ToLongFunction<IndexStats> count, ToLongFunction<IndexStats> nanos) {
        FunctionTimer.builder(name, index, measured -> count.applyAsLong(measured.stats()),
                measured -> nanos.applyAsLong(measured.stats()), TimeUnit.NANOSECONDS)
            .description(description)
            .tags(tags)
            .register(registry);
    }

}
