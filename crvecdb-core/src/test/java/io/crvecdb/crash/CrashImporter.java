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
 * batches, printing {@code acked N} once records {@code 0..N-1} are durable, and checkpointing
 * every few batches so kills land in checkpoints too. Resumes where a previous run stopped.
 *
 * <p>Arguments: store directory, durability ({@code SYNC} or {@code INTERVAL}).
 */
public final class CrashImporter {

    static final int DIMENSIONS = 32;
    private static final int BATCH = 64;
    private static final int CHECKPOINT_EVERY = 7;

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

    public static void main(String[] args) {
        Path store = Path.of(args[0]);
        Durability durability = Durability.valueOf(args[1]);
        try (VectorIndex index = VectorIndex.builder().dimensions(DIMENSIONS).metric(Metric.L2).m(8).efConstruction(40)
                .storage(store).durability(durability).build()) {
            int next = 0;
            while (index.contains(Integer.toString(next))) {
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
                if (batch % CHECKPOINT_EVERY == 0) {
                    index.checkpoint();
                }
            }
        }
    }
}
