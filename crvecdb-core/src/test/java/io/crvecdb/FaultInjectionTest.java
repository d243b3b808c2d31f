package io.crvecdb;

import io.crvecdb.storage.StoreDirectory;
import io.crvecdb.storage.WriteAheadLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A workload of adds, a bulk add, deletes, upserts, a checkpoint and a compaction runs against a
 * file system that fails at its N-th write, fsync, truncate or rename (I/O error, or disk full
 * with a short write), for N spread over the whole workload. After the failure: the call that hit
 * it threw; the index is read-only (writes fail fast naming the cause, searches work). Reopened on
 * a healthy disk: every acknowledged write is there exactly, the one in flight is there entirely
 * or not at all, and the graph reaches every record.
 */
class FaultInjectionTest {

    private static final int DIMENSIONS = 12;
    private static final int MAX_CASES = 160;

    @TempDir
    Path root;

    /** What the acknowledged writes say each id holds (absent = deleted or never added). */
    private static final class Model {
        final Map<String, float[]> acknowledged = new HashMap<>();
        /** Ids of the write that failed: either state is allowed for them. */
        final Set<String> inFlight = new HashSet<>();
        final Map<String, float[]> inFlightValues = new HashMap<>();
    }

    private static float[] vector(int i, int version) {
        return Datasets.gaussian(new Random(i * 131L + version), DIMENSIONS);
    }

    /** Runs the workload until it completes or a write fails; returns the failure, if any. */
    private static RuntimeException workload(VectorIndex index, Model model) {
        List<Runnable> steps = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int id = i;
            steps.add(() -> add(index, model, id, 0));
        }
        steps.add(() -> {
            List<VectorRecord> batch = new ArrayList<>();
            for (int i = 40; i < 80; i++) {
                batch.add(new VectorRecord(Integer.toString(i), vector(i, 0)));
            }
            batch.forEach(r -> {
                model.inFlight.add(r.id());
                model.inFlightValues.put(r.id(), r.vector());
            });
            index.addAll(batch, 2);
            acknowledgeInFlight(model);
        });
        steps.add(index::checkpoint);
        for (int i = 0; i < 15; i++) {
            int id = i * 3;
            steps.add(() -> {
                String key = Integer.toString(id);
                model.inFlight.add(key);
                model.inFlightValues.put(key, null);
                index.delete(key);
                acknowledgeInFlight(model);
            });
        }
        for (int i = 0; i < 15; i++) {
            int id = 40 + i;
            steps.add(() -> add(index, model, id, 1));
        }
        steps.add(index::compact);
        for (int i = 80; i < 95; i++) {
            int id = i;
            steps.add(() -> add(index, model, id, 0));
        }
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (UncheckedIOException e) {
                return e;
            }
        }
        return null;
    }

    private static void add(VectorIndex index, Model model, int id, int version) {
        String key = Integer.toString(id);
        model.inFlight.add(key);
        model.inFlightValues.put(key, vector(id, version));
        index.add(key, vector(id, version));
        acknowledgeInFlight(model);
    }

    private static void acknowledgeInFlight(Model model) {
        for (String id : model.inFlight) {
            float[] value = model.inFlightValues.get(id);
            if (value == null) {
                model.acknowledged.remove(id);
            } else {
                model.acknowledged.put(id, value);
            }
        }
        model.inFlight.clear();
        model.inFlightValues.clear();
    }

    private VectorIndex.Builder settings(Path dir, FaultyIO io) {
        VectorIndex.Builder builder = VectorIndex.builder().dimensions(DIMENSIONS).metric(Metric.L2).m(6).efConstruction(30)
                .storage(dir);
        builder.io = io;
        return builder;
    }

    @Test
    void everyAcknowledgedWriteSurvivesAFailedDisk() {
        FaultyIO counting = new FaultyIO(0, FaultyIO.Fault.IO_ERROR);
        try (VectorIndex index = settings(root.resolve("count"), counting).build()) {
            assertThat(workload(index, new Model())).isNull();
        }
        int operations = counting.operations();
        int step = Math.max(1, operations / MAX_CASES);
        int cases = 0;
        int readOnly = 0;
        for (int failAt = 1; failAt <= operations; failAt += step) {
            FaultyIO.Fault fault = FaultyIO.Fault.values()[cases % FaultyIO.Fault.values().length];
            Path dir = root.resolve("case-" + failAt);
            Model model = new Model();
            String what = fault + " at operation " + failAt + " of " + operations;
            FaultyIO io = new FaultyIO(failAt, fault);
            VectorIndex index;
            try {
                index = settings(dir, io).build();
            } catch (UncheckedIOException e) {
                assertThat(e.getMessage()).as(what).contains(fault.message);
                assertThat(io.openChannels()).as("%s: files left open by the failed create", what).isZero();
                cases++;
                continue; // creating the store failed: nothing was acknowledged
            }
            RuntimeException failure = workload(index, model);
            if (failure != null) {
                assertThat(failure.getMessage()).as(what).contains(fault.message);
                assertThat(index.readOnlyReason()).as(what).hasValueSatisfying(r -> assertThat(r).contains(fault.message));
                assertThat(index.isOpenedReadOnly()).as("a failed write is not an open for reading").isFalse();
                assertThatThrownBy(() -> index.add("late", vector(999, 0))).as(what)
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("read-only")
                        .hasMessageContaining(fault.message);
                assertThat(index.search(vector(1, 0), 3)).as("%s: searches still work", what)
                        .hasSize(Math.min(3, index.size()));
                readOnly++;
            }
            try {
                index.close();
            } catch (UncheckedIOException e) {
                // The fault hit close's final checkpoint: the log still holds every acknowledged write.
                assertThat(failure).as(what).isNull();
                assertThat(e.getMessage()).as(what).contains(fault.message);
            }
            assertThat(index.isClosed()).as("%s: closed even so", what).isTrue();
            assertThat(io.openChannels()).as("%s: files left open by close", what).isZero();
            verifyReopened(dir, model, what);
            cases++;
        }
        System.out.printf("FaultInjectionTest: %d failure points over %d file operations, %d turned the index read-only, "
                + "all reopened with every acknowledged write%n", cases, operations, readOnly);
        assertThat(readOnly).isGreaterThan(cases / 2);
    }

    /**
     * A write that failed half way leaves a torn record at the log's end. Another writer already
     * waiting for the log must not append after it, even if the disk works again by then (space
     * was freed): the reopen would find a damaged record followed by an intact one and refuse the
     * whole store.
     */
    @Test
    void aLogTakesNoRecordAfterAFailedWrite() {
        // The log's operations: its header's write, fsync and directory sync; then each append
        // writes a frame and a body, and each sync is an fsync. The 8th is the body of "A".
        FaultyIO io = FaultyIO.once(8, FaultyIO.Fault.DISK_FULL);
        Path dir = root.resolve("log");
        try (StoreDirectory directory = StoreDirectory.lock(dir, io)) {
            WriteAheadLog log = WriteAheadLog.create(directory, 1, 0, 42);
            log.sync(log.append(text("before")));
            assertThatThrownBy(() -> log.append(text("A"))).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("No space left on device");
            assertThat(io.fired()).isTrue();
            assertThatThrownBy(() -> log.append(text("B"))).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("an earlier write to it failed (No space left on device)")
                    .hasMessageContaining("reopen");
            log.close();
            List<String> replayed = new ArrayList<>();
            WriteAheadLog.openAndReplay(directory, 1, 0, 42, body -> replayed.add(StandardCharsets.UTF_8.decode(body).toString()))
                    .close();
            assertThat(replayed).containsExactly("before");
        }
    }

    private static ByteBuffer text(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void verifyReopened(Path dir, Model model, String what) {
        try (VectorIndex reopened = VectorIndex.open(dir)) {
            for (int i = 0; i < 100; i++) {
                String id = Integer.toString(i);
                float[] stored = reopened.get(id).map(VectorRecord::vector).orElse(null);
                if (model.inFlight.contains(id)) {
                    float[] attempted = model.inFlightValues.get(id);
                    float[] before = model.acknowledged.get(id);
                    assertThat(Arrays.equals(stored, before) || Arrays.equals(stored, attempted))
                            .as("%s: in-flight %s holds its state before or after the failed write", what, id).isTrue();
                } else {
                    assertThat(stored).as("%s: acknowledged state of %s", what, id).isEqualTo(model.acknowledged.get(id));
                }
            }
            assertThat(reopened.unreachableCount()).as(what).isZero();
        }
    }
}
