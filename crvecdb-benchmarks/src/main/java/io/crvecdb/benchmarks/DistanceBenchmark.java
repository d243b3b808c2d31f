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
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The distance kernels, Vector API against the scalar twin, on a query array against a stored
 * vector (heap page, as the in-memory index keeps them) and four at a time, as the graph search
 * scores neighbours.
 *
 * <pre>java --add-modules jdk.incubator.vector -jar crvecdb-benchmarks/target/benchmarks.jar Distance</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class DistanceBenchmark {

    @Param({"128", "384", "768", "1536"})
    int dimensions;

    @Param({"panama", "scalar"})
    String kernels;

    private VectorOps ops;
    private float[] query;
    private float[] other;
    private MemorySegment page;
    private final float[] four = new float[4];

    @Setup
    public void setUp() {
        ops = kernels.equals("scalar") ? Vectorization.scalar() : Vectorization.panama().orElseThrow(
                () -> new IllegalStateException("start the JVM with --add-modules jdk.incubator.vector"));
        Random random = new Random(42);
        query = new float[dimensions];
        other = new float[dimensions];
        float[] stored = new float[4 * dimensions];
        for (int i = 0; i < dimensions; i++) {
            query[i] = random.nextFloat();
            other[i] = random.nextFloat();
        }
        for (int i = 0; i < stored.length; i++) {
            stored[i] = random.nextFloat();
        }
        page = MemorySegment.ofArray(stored);
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
        return ops.dot(query, page, 0);
    }

    @Benchmark
    public float squareDistanceStored() {
        return ops.squareDistance(query, page, 0);
    }

    /** Four stored vectors in one call; compare with four times {@link #squareDistanceStored}. */
    @Benchmark
    public float[] squareDistanceFourStored() {
        long stride = (long) dimensions * Float.BYTES;
        ops.squareDistance4(query, page, 0, page, stride, page, 2 * stride, page, 3 * stride, four);
        return four;
    }
}
