package io.crvecdb.dataset;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the TEXMEX vector formats used by ANN benchmarks: {@code .fvecs} (per vector a little-endian
 * int32 dimension, then that many float32) and {@code .ivecs} (the same with int32 values, used for
 * ground truth). Files are mapped as one segment, so they may exceed 2 GiB.
 */
public final class Texmex {

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private Texmex() {
    }

    /** Reads every vector of an {@code .fvecs} file. */
    public static float[][] readFvecs(Path file) throws IOException {
        return readFvecs(file, Integer.MAX_VALUE);
    }

    /** Reads the first {@code limit} vectors of an {@code .fvecs} file (fewer if it has fewer). */
    public static float[][] readFvecs(Path file, int limit) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = map(file, arena);
            int dim = firstDimension(file, data);
            int count = count(file, data, dim, limit);
            float[][] vectors = new float[count][dim];
            for (int i = 0; i < count; i++) {
                long offset = checkDimension(file, data, dim, i);
                MemorySegment.copy(data, FLOAT, offset + 4, vectors[i], 0, dim);
            }
            return vectors;
        }
    }

    /** Reads the first {@code limit} rows of an {@code .ivecs} file (fewer if it has fewer). */
    public static int[][] readIvecs(Path file, int limit) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = map(file, arena);
            int dim = firstDimension(file, data);
            int count = count(file, data, dim, limit);
            int[][] rows = new int[count][dim];
            for (int i = 0; i < count; i++) {
                long offset = checkDimension(file, data, dim, i);
                MemorySegment.copy(data, INT, offset + 4, rows[i], 0, dim);
            }
            return rows;
        }
    }

    private static MemorySegment map(Path file, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        }
    }

    private static int firstDimension(Path file, MemorySegment data) throws IOException {
        if (data.byteSize() < 4) {
            throw new IOException(file + ": empty or truncated file, expected TEXMEX vectors");
        }
        int dim = data.get(INT, 0);
        if (dim <= 0 || dim > 1 << 20) {
            throw new IOException(file + ": first vector has dimension " + dim + "; not a TEXMEX .fvecs/.ivecs file");
        }
        return dim;
    }

    private static int count(Path file, MemorySegment data, int dim, int limit) throws IOException {
        long record = 4L + 4L * dim;
        if (data.byteSize() % record != 0) {
            throw new IOException(file + ": size " + data.byteSize() + " is not a multiple of the record size "
                    + record + " (dimension " + dim + "); the file is truncated or not TEXMEX");
        }
        return (int) Math.min(limit, data.byteSize() / record);
    }

    /** Returns the offset of record {@code index} after checking its dimension field. */
    private static long checkDimension(Path file, MemorySegment data, int dim, int index) throws IOException {
        long offset = index * (4L + 4L * dim);
        int d = data.get(INT, offset);
        if (d != dim) {
            throw new IOException(file + ": vector " + index + " has dimension " + d + ", expected " + dim);
        }
        return offset;
    }
}
