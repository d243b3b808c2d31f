import io.crvecdb.distance.VectorOps;
import io.crvecdb.distance.Vectorization;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/**
 * What a record's alignment costs the four-wide float kernel: N records of a {@code DIM}-float
 * vector followed by a 33-int link list, scored four at a time at random, laid out three ways in one
 * 4 KiB-aligned off-heap block (so that the addresses are known): records of whole cache lines
 * starting on one; the same records 16 bytes off (a heap array's elements without a lead); records
 * of their bare size (vector and list), 16 bytes off. Rounds alternate the layouts; the first is
 * warm-up. {@code java --add-modules jdk.incubator.vector -cp crvecdb-core/target/classes
 * scripts/CacheLineKernel.java 128 1000 4} (1,000 records stay in L2; 100,000 do not).
 */
public class CacheLineKernel {

    private static final int CALLS = 4_000_000;
    private static final long LIST_BYTES = 4 * 33;

    public static void main(String[] args) {
        int dimensions = Integer.parseInt(args[0]);
        int records = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        VectorOps ops = Vectorization.ops();
        long bare = 4L * dimensions + LIST_BYTES;
        long whole = (bare + 63) & ~63L;
        MemorySegment block = Arena.ofAuto().allocate(whole * records + 64, 4096);
        Random random = new Random(1);
        for (long i = 0; i < block.byteSize() / 4; i++) {
            block.setAtIndex(ValueLayout.JAVA_FLOAT, i, random.nextFloat());
        }
        float[] query = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            query[i] = random.nextFloat();
        }
        int[] picks = random.ints(4L * CALLS, 0, records).toArray();
        String[] names = {"whole lines, on a line", "whole lines, 16 bytes off", "bare size, 16 bytes off"};
        long[][] layouts = {{whole, 0}, {whole, 16}, {bare, 16}};
        float[] out = new float[4];
        for (int round = 0; round < rounds; round++) {
            for (int layout = 0; layout < layouts.length; layout++) {
                long stride = layouts[layout][0];
                long lead = layouts[layout][1];
                long start = System.nanoTime();
                for (int call = 0; call < CALLS; call++) {
                    int p = 4 * call;
                    ops.squareDistance4(query, block, lead + picks[p] * stride, block, lead + picks[p + 1] * stride,
                            block, lead + picks[p + 2] * stride, block, lead + picks[p + 3] * stride, out);
                }
                double nanos = (double) (System.nanoTime() - start) / CALLS;
                if (round > 0) {
                    System.out.printf("%-27s %6.1f ns per call%n", names[layout], nanos);
                }
            }
        }
    }
}
