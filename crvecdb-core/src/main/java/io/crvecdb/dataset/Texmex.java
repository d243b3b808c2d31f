package io.crvecdb.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.IntFunction;

/**
 * Reads the TEXMEX vector formats used by ANN benchmarks: {@code .fvecs} (per vector a little-endian
 * int32 dimension, then that many float32) and {@code .ivecs} (the same with int32 values, used for
 * ground truth).
 *
 * <p>Files are mapped as {@link ByteBuffer}s in windows of whole records, so they may exceed 2 GiB.
 * Not as one {@code MemorySegment}: mapped segments flowing through the JDK's shared memory-access
 * code pollute the JIT's type profiles, and the engine's kernels on heap segments then deoptimise
 * over and over (a cold index build measured 8× slower).
 */
public final class Texmex {

    private static final long WINDOW_BYTES = 1L << 30;

    private Texmex() {
    }

    /** Reads every vector of an {@code .fvecs} file. */
    public static float[][] readFvecs(Path file) throws IOException {
        return readFvecs(file, Integer.MAX_VALUE);
    }

    /** Reads the first {@code limit} vectors of an {@code .fvecs} file (fewer if it has fewer). */
    public static float[][] readFvecs(Path file, int limit) throws IOException {
        return read(file, limit, float[][]::new, (record, dim) -> {
            float[] vector = new float[dim];
            record.asFloatBuffer().get(vector);
            return vector;
        });
    }

    /** Reads the first {@code limit} rows of an {@code .ivecs} file (fewer if it has fewer). */
    public static int[][] readIvecs(Path file, int limit) throws IOException {
        return read(file, limit, int[][]::new, (record, dim) -> {
            int[] row = new int[dim];
            record.asIntBuffer().get(row);
            return row;
        });
    }

    /** Decodes one record's {@code dim} values (the buffer starts after the dimension field). */
    private interface Decoder<T> {
        T decode(ByteBuffer record, int dim);
    }

    private static <T> T[] read(Path file, int limit, IntFunction<T[]> newArray, Decoder<T> decoder) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 4) {
                throw new IOException(file + ": empty or truncated file, expected TEXMEX vectors");
            }
            ByteBuffer head = ch.map(FileChannel.MapMode.READ_ONLY, 0, 4).order(ByteOrder.LITTLE_ENDIAN);
            int dim = head.getInt(0);
            if (dim <= 0 || dim > 1 << 20) {
                throw new IOException(file + ": first vector has dimension " + dim + "; not a TEXMEX .fvecs/.ivecs file");
            }
            long recordBytes = 4L + 4L * dim;
            if (size % recordBytes != 0) {
                throw new IOException(file + ": size " + size + " is not a multiple of the record size "
                        + recordBytes + " (dimension " + dim + "); the file is truncated or not TEXMEX");
            }
            int count = (int) Math.min(limit, size / recordBytes);
            T[] records = newArray.apply(count);
            long recordsPerWindow = Math.max(1, WINDOW_BYTES / recordBytes);
            for (int start = 0; start < count; start += (int) recordsPerWindow) {
                int inWindow = (int) Math.min(recordsPerWindow, count - start);
                ByteBuffer window = ch.map(FileChannel.MapMode.READ_ONLY, start * recordBytes, inWindow * recordBytes)
                        .order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < inWindow; i++) {
                    int at = (int) (i * recordBytes);
                    int d = window.getInt(at);
                    if (d != dim) {
                        throw new IOException(file + ": vector " + (start + i) + " has dimension " + d + ", expected " + dim);
                    }
                    records[start + i] = decoder.decode(window.slice(at + 4, 4 * dim).order(ByteOrder.LITTLE_ENDIAN), dim);
                }
            }
            return records;
        }
    }
}
