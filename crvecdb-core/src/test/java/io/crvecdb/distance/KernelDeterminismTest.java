package io.crvecdb.distance;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Vector API kernels give the same bits interpreted and compiled. The same query must score
 * the same record identically on every call (a reopened store answers exactly as before; a
 * Spring AI client compares scores to a threshold), but {@code reduceLanes(ADD)} leaves its
 * addition order open, and the interpreter and C2 differ: before the fixed-order reduction, a
 * score changed by one ulp once the kernel warmed up.
 */
class KernelDeterminismTest {

    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    // 48 and 128: no tail at any width; 129 and 390: a scalar tail after the vector loops.
    private static final int[] DIMENSIONS = {48, 128, 129, 390};

    @Test
    void interpretedAndCompiledKernelsGiveTheSameBits() throws Exception {
        PanamaVectorOps panama = new PanamaVectorOps();
        String compiled = "";
        // Enough calls for C2 to compile the kernels (about 10,000 invocations each).
        for (int i = 0; i < 30_000; i++) {
            compiled = results(panama);
        }
        assertThat(interpretedResults()).as("every kernel's result bits, interpreted (-Xint) vs compiled")
                .isEqualTo(compiled);
    }

    /** Runs {@link Interpreted} in a JVM that never compiles, and returns what it printed. */
    private static String interpretedResults() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-Xint", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), Interpreted.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).as("the interpreted JVM ended").isTrue();
        assertThat(child.exitValue()).as("the interpreted JVM's exit code").isZero();
        return out;
    }

    /** The bits of every kernel's result on fixed inputs, one line per dimension count. */
    static String results(VectorOps ops) {
        StringJoiner lines = new StringJoiner("\n");
        for (int n : DIMENSIONS) {
            Random random = new Random(n);
            float[] q = uniform(random, n);
            float[] a = uniform(random, n);
            MemorySegment[] stored = new MemorySegment[4];
            float[][] arrays = new float[4][];
            for (int v = 0; v < 4; v++) {
                arrays[v] = new float[n];
                stored[v] = MemorySegment.ofArray(arrays[v]);
                MemorySegment.copy(uniform(random, n), 0, stored[v], LE_FLOAT, 0, n);
            }
            float[] dot4 = new float[4];
            float[] square4 = new float[4];
            float[] arrayDot4 = new float[4];
            float[] arraySquare4 = new float[4];
            ops.dot4(q, stored[0], 0, stored[1], 0, stored[2], 0, stored[3], 0, dot4);
            ops.squareDistance4(q, stored[0], 0, stored[1], 0, stored[2], 0, stored[3], 0, square4);
            ops.dot4(q, arrays[0], 0, arrays[1], 0, arrays[2], 0, arrays[3], 0, arrayDot4);
            ops.squareDistance4(q, arrays[0], 0, arrays[1], 0, arrays[2], 0, arrays[3], 0, arraySquare4);
            byte[] codes = new byte[n + 3];
            random.nextBytes(codes);
            float[] codeDot8 = new float[8];
            float[] codeSquare8 = new float[8];
            ops.dotCodes8(q, codes, 0, codes, 1, codes, 2, codes, 3, codes, 3, codes, 2, codes, 1, codes, 0, codeDot8);
            ops.squareDistanceCodes8(q, codes, 3, codes, 2, codes, 1, codes, 0, codes, 0, codes, 1, codes, 2, codes, 3,
                    codeSquare8);
            StringJoiner line = new StringJoiner(" ", n + ":", "");
            for (float x : new float[] {
                    ops.dot(q, a), ops.squareDistance(q, a),
                    ops.dot(q, stored[0], 0), ops.squareDistance(q, stored[0], 0),
                    ops.dot(stored[0], 0, stored[1], 0, n), ops.squareDistance(stored[0], 0, stored[1], 0, n),
                    dot4[0], dot4[1], dot4[2], dot4[3], square4[0], square4[1], square4[2], square4[3],
                    ops.dot(q, 0, arrays[0], 0, n), ops.squareDistance(arrays[0], 0, arrays[1], 0, n),
                    arrayDot4[0], arrayDot4[3], arraySquare4[0], arraySquare4[3],
                    ops.dotCodes(q, codes, 1), ops.squareDistanceCodes(q, codes, 2),
                    codeDot8[0], codeDot8[3], codeDot8[7], codeSquare8[0], codeSquare8[3], codeSquare8[7]}) {
                line.add(Integer.toHexString(Float.floatToRawIntBits(x)));
            }
            lines.add(line.toString());
        }
        return lines.toString();
    }

    // Not KernelEquivalenceTest's helper: loading that class in the -Xint JVM fails, as it
    // requires the Panama kernels to be the active ones, which they are not without C2.
    private static float[] uniform(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }

    /** The child JVM's entry point: one call of each kernel, never compiled. */
    static final class Interpreted {
        public static void main(String[] args) {
            System.out.println(results(new PanamaVectorOps()));
        }
    }
}
