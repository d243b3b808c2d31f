package io.crvecdb.benchmarks;

import io.crvecdb.distance.VectorOps;
import io.crvecdb.distance.Vectorization;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The distance kernels, Vector API against the scalar twin: a query array against another array,
 * against a stored vector, two stored vectors (graph construction), and four stored vectors per
 * call (graph search). Stored vectors are off-heap by default, as in a mapped file; {@code -p
 * storage=heap} puts them in a {@code float[]}-backed heap segment, as the in-memory index does.
 *
 * <pre>
 * ./mvnw -q -B install -DskipTests -pl crvecdb-benchmarks -am
 * java --sun-misc-unsafe-memory-access=allow -jar crvecdb-benchmarks/target/benchmarks.jar DistanceBenchmark -f 1 -wi 2 -i 3 -w 1 -r 1
 * </pre>
 *
 * The forks get {@code --add-modules jdk.incubator.vector} from {@link Fork#jvmArgsAppend}; the
 * launching JVM needs no flag.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// The second flag silences JDK 25's warning about JMH's use of sun.misc.Unsafe.
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--sun-misc-unsafe-memory-access=allow"})
public class DistanceBenchmark {

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Param({"128", "384", "768", "1536"})
    int dimensions;

    @Param({"panama", "scalar"})
    String kernels;

    /** {@code native} (off-heap) or {@code heap}. */
    @Param("native")
    String storage;

    private VectorOps ops;
    private Arena arena;
    private float[] query;
    private float[] other;
    /** Four vectors back to back. */
    private MemorySegment stored;
    private long stride;
    private final float[] four = new float[4];
    /** The four stored vectors in a plain {@code float[]}, as the kernels read the in-memory index's heap pages. */
    private float[] storedArray;
    /** Int8 codes of eight stored vectors in a {@code byte[]}, as the engine's code pages hold them. */
    private byte[] codes;
    private int codeStride;
    private final float[] eight = new float[8];

    @Setup
    public void setUp() {
        ops = switch (kernels) {
            case "scalar" -> Vectorization.scalar();
            case "panama" -> Vectorization.panama().orElseThrow(
                    () -> new IllegalStateException("Vector API unavailable: run the fork with --add-modules jdk.incubator.vector"));
            default -> throw new IllegalArgumentException("kernels: " + kernels);
        };
        Random random = new Random(42);
        query = randomVector(random);
        other = randomVector(random);
        stride = (long) dimensions * Float.BYTES;
        arena = Arena.ofShared();
        stored = switch (storage) {
            case "native" -> arena.allocate(4 * stride, 64);
            case "heap" -> MemorySegment.ofArray(new float[4 * dimensions]);
            default -> throw new IllegalArgumentException("storage: " + storage);
        };
        for (int v = 0; v < 4; v++) {
            MemorySegment.copy(randomVector(random), 0, stored, FLOAT, v * stride, dimensions);
        }
        storedArray = stored.toArray(FLOAT);
        codeStride = dimensions + 4; // codes, then their sum
        codes = new byte[8 * codeStride];
        random.nextBytes(codes);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    private float[] randomVector(Random random) {
        float[] v = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }

    @Benchmark
    public float dotArrays() {
        return ops.dot(query, other);
    }

    @Benchmark
    public float squareDistanceArrays() {
        return ops.squareDistance(query, other);
    }

    @Benchmark
    public float dotStored() {
        return ops.dot(query, stored, stride);
    }

    @Benchmark
    public float squareDistanceStored() {
        return ops.squareDistance(query, stored, stride);
    }

    @Benchmark
    public float squareDistanceTwoStored() {
        return ops.squareDistance(stored, 0, stored, stride, dimensions);
    }

    /** Int8: the float query against one vector's codes. */
    @Benchmark
    public float squareDistanceCodes() {
        return ops.squareDistanceCodes(query, codes, 0);
    }

    /** Eight code vectors in one call: compare with twice {@link #squareDistanceFourStored} (floats). */
    @Benchmark
    public float[] squareDistanceCodesEight() {
        int s = codeStride;
        ops.squareDistanceCodes8(query, codes, 0, codes, s, codes, 2 * s, codes, 3 * s, codes, 4 * s, codes, 5 * s,
                codes, 6 * s, codes, 7 * s, eight);
        return eight;
    }

    /** Eight code vectors in one call, cosine and dot product. */
    @Benchmark
    public float[] dotCodesEight() {
        int s = codeStride;
        ops.dotCodes8(query, codes, 0, codes, s, codes, 2 * s, codes, 3 * s, codes, 4 * s, codes, 5 * s, codes, 6 * s,
                codes, 7 * s, eight);
        return eight;
    }

    /** Four stored vectors in a heap {@code float[]}, loaded as an array: compare with {@link #squareDistanceFourStored}. */
    @Benchmark
    public float[] squareDistanceFourArrays() {
        ops.squareDistance4(query, storedArray, 0, storedArray, dimensions, storedArray, 2 * dimensions, storedArray,
                3 * dimensions, four);
        return four;
    }

    /** Four stored vectors in one call: compare with four times {@link #squareDistanceStored}. */
    @Benchmark
    public float[] squareDistanceFourStored() {
        ops.squareDistance4(query, stored, 0, stored, stride, stored, 2 * stride, stored, 3 * stride, four);
        return four;
    }
}
