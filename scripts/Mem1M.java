import io.crvecdb.Metric;
import io.crvecdb.Quantization;
import io.crvecdb.VectorIndex;
import io.crvecdb.VectorRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The search memory of a float and an int8 index of N random 128-dimension vectors, in memory:
 * {@code java -Xmx6g --add-modules jdk.incubator.vector -cp crvecdb-core/target/crvecdb-core-0.1.0-SNAPSHOT.jar
 * scripts/Mem1M.java 1000000}. Records are fixed-size, so the graph's quality (a low
 * efConstruction keeps the build short) does not change the figures.
 */
public class Mem1M {

    private static final int DIMENSIONS = 128;
    private static final int BATCH = 50_000;

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        long floatBytes = 0;
        for (Quantization quantization : new Quantization[] {Quantization.NONE, Quantization.INT8}) {
            long start = System.nanoTime();
            try (VectorIndex index = VectorIndex.builder().dimensions(DIMENSIONS).metric(Metric.L2).efConstruction(40)
                    .quantization(quantization).build()) {
                for (int from = 0; from < n; from += BATCH) {
                    List<VectorRecord> batch = new ArrayList<>();
                    for (int i = from; i < Math.min(n, from + BATCH); i++) {
                        batch.add(new VectorRecord(Integer.toString(i), vector(i)));
                    }
                    index.addAll(batch, 2);
                }
                long bytes = index.searchMemoryBytes();
                if (quantization == Quantization.NONE) {
                    floatBytes = bytes;
                }
                System.out.printf("%s: %,d records, search memory %,d bytes (%.1f per record, %.3fx of the float "
                                + "index), built in %.0f s%n", quantization, index.size(), bytes, (double) bytes / n,
                        (double) bytes / floatBytes, (System.nanoTime() - start) / 1e9);
            }
        }
    }

    private static float[] vector(int i) {
        SplittableRandom random = new SplittableRandom(i * 0x9E3779B97F4A7C15L);
        float[] vector = new float[DIMENSIONS];
        for (int d = 0; d < DIMENSIONS; d++) {
            vector[d] = (float) random.nextDouble(-1, 1);
        }
        return vector;
    }
}
