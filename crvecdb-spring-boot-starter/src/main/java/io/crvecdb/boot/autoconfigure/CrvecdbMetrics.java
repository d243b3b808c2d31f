package io.crvecdb.boot.autoconfigure;

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
 * The index's meters, tagged with the store name: gauges {@code crvecdb.index.size},
 * {@code crvecdb.index.deleted}, {@code crvecdb.store.size} (bytes on disk),
 * {@code crvecdb.index.memory} (bytes that searches walk) and {@code crvecdb.index.read.only}
 * (1 after a failed write), and timers {@code crvecdb.add}
 * (every write: add, upsert, delete) and {@code crvecdb.search}, read from the index's own
 * counters so the core needs no Micrometer.
 */
public class CrvecdbMetrics implements MeterBinder {

    private final VectorIndex index;

    private final Tags tags;

    /**
     * @param index the index to measure
     * @param name the value of every meter's {@code name} tag ({@code crvecdb.name})
     */
    public CrvecdbMetrics(VectorIndex index, String name) {
        this.index = index;
        this.tags = Tags.of("name", name);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "crvecdb.index.size", "Records in the index", "records", VectorIndex::size);
        gauge(registry, "crvecdb.index.deleted", "Deleted records still taking space until compaction", "records",
                VectorIndex::deletedCount);
        gauge(registry, "crvecdb.store.size", "Bytes of the store's files on disk (0 in memory)", "bytes",
                VectorIndex::storeSizeBytes);
        gauge(registry, "crvecdb.index.memory", "Bytes of memory that searches walk: links, plus vectors or int8 codes",
                "bytes", VectorIndex::searchMemoryBytes);
        gauge(registry, "crvecdb.index.read.only", "1 once a failed write has made the index read-only", null,
                index -> index.readOnlyReason().isPresent() ? 1 : 0);
        timer(registry, "crvecdb.add", "Writes to the index (adds, upserts, deletes), durability included",
                IndexStats::writes, IndexStats::writeNanos);
        timer(registry, "crvecdb.search", "Searches of the index", IndexStats::searches, IndexStats::searchNanos);
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit,
            ToDoubleFunction<VectorIndex> value) {
        Gauge.builder(name, this.index, index -> index.isClosed() || index.unavailableReason().isPresent() ? Double.NaN
                : value.applyAsDouble(index))
            .description(description)
            .baseUnit(unit)
            .tags(this.tags)
            .register(registry);
    }

    private void timer(MeterRegistry registry, String name, String description, ToLongFunction<IndexStats> count,
            ToLongFunction<IndexStats> nanos) {
        FunctionTimer.builder(name, this.index, index -> count.applyAsLong(index.stats()),
                index -> nanos.applyAsLong(index.stats()), TimeUnit.NANOSECONDS)
            .description(description)
            .tags(this.tags)
            .register(registry);
    }

}
