package io.crvecdb.crash;

import io.crvecdb.Durability;
import io.crvecdb.Metric;
import io.crvecdb.VectorIndex;
import io.crvecdb.VectorRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The process a crash test kills: imports records {@code 0, 1, 2, …} into a durable store in
 * batches, printing {@code acked N} once records {@code 0..N-1} are durable; after every few
 * batches it deletes the ids divisible by {@value #DELETED_EVERY} of the earlier batches in one
 * bulk delete ({@code deleted ID} for each once they are durable), checkpoints or compacts, announcing each long
 * operation ({@code begin OP}, {@code end OP}) so the test knows what a kill interrupted.
 * Resumes at the first id it would never delete that the store lacks: a killed batch can leave
 * holes below the highest stored id, and those records were never acknowledged.
 *
 * <p>Arguments: store directory, durability ({@code SYNC} or {@code INTERVAL}).
 */
public final class CrashImporter {

    static final int DIMENSIONS = 32;
    private static final int BATCH = 64;
    private static final int CHECKPOINT_EVERY = 7;
    private static final int COMPACT_EVERY = 11;
    private static final int DELETE_EVERY = 3;
    static final int DELETED_EVERY = 4;

    private CrashImporter() {
    }

    static float[] vector(int i) {
        Random random = new Random(i * 31L + 7);
        float[] v = new float[DIMENSIONS];
        for (int d = 0; d < DIMENSIONS; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return v;
    }

    static byte[] payload(int i) {
        return ("record " + i + " ").repeat(1 + i % 5).getBytes(StandardCharsets.UTF_8);
    }

    private static void run(String operation, Runnable action) {
        System.out.println("begin " + operation);
        action.run();
        System.out.println("end " + operation);
    }

    public static void main(String[] args) {
        Path store = Path.of(args[0]);
        Durability durability = Durability.valueOf(args[1]);
        try (VectorIndex index = VectorIndex.builder().dimensions(DIMENSIONS).metric(Metric.L2).m(8).efConstruction(40)
                .storage(store).durability(durability).build()) {
            int[] highest = {-1};
            index.forEach(r -> highest[0] = Math.max(highest[0], Integer.parseInt(r.id())));
            int next = 0;
            // Ids divisible by DELETED_EVERY may be absent because they were deleted: step over them.
            while (next % DELETED_EVERY == 0 ? next <= highest[0] : index.contains(Integer.toString(next))) {
                next++;
            }
            System.out.println("acked " + next);
            for (int batch = 1; ; batch++) {
                List<VectorRecord> records = new ArrayList<>(BATCH);
                for (int i = next; i < next + BATCH; i++) {
                    records.add(new VectorRecord(Integer.toString(i), vector(i), payload(i)));
                }
                index.addAll(records, 2);
                next += BATCH;
                System.out.println("acked " + next);
                System.out.flush();
                if (batch % DELETE_EVERY == 0) {
                    List<String> doomed = new ArrayList<>();
                    for (int i = Math.max(0, next - (DELETE_EVERY + 1) * BATCH); i < next - BATCH; i++) {
                        if (i % DELETED_EVERY == 0) {
                            doomed.add(Integer.toString(i));
                        }
                    }
                    run("delete", () -> {
                        index.deleteAll(doomed);
                        doomed.forEach(id -> System.out.println("deleted " + id));
                    });
                }
                if (batch % CHECKPOINT_EVERY == 0) {
                    run("checkpoint", index::checkpoint);
                }
                if (batch % COMPACT_EVERY == 0) {
                    run("compact", index::compact);
                }
            }
        }
    }
}
