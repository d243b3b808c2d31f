package io.crvecdb.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the TEXMEX vector formats used by ANN benchmarks: {@code .fvecs} (per vector a little-endian
 * int32 dimension, then that many float32) and {@code .ivecs} (the same with int32 values, used for
 * ground truth).
 */
public final class Texmex {

    private Texmex() {
    }

    /** Reads every vector of an {@code .fvecs} file. */
    public static float[][] readFvecs(Path file) throws IOException {
        return readFvecs(file, Integer.MAX_VALUE);
    }

    /** Reads the first {@code limit} vectors of an {@code .fvecs} file (fewer if it has fewer). */
    public static float[][] readFvecs(Path file, int limit) throws IOException {
        ByteBuffer buf = map(file);
        int dim = firstDimension(file, buf);
        int count = (int) Math.min(limit, vectorCount(file, buf, dim));
        float[][] vectors = new float[count][dim];
        for (int i = 0; i < count; i++) {
            checkDimension(file, buf, dim, i);
            buf.asFloatBuffer().get(vectors[i]);
            buf.position(buf.position() + 4 * dim);
        }
        return vectors;
    }

    /** Reads the first {@code limit} rows of an {@code .ivecs} file (fewer if it has fewer). */
    public static int[][] readIvecs(Path file, int limit) throws IOException {
        ByteBuffer buf = map(file);
        int dim = firstDimension(file, buf);
        int count = (int) Math.min(limit, vectorCount(file, buf, dim));
        int[][] rows = new int[count][dim];
        for (int i = 0; i < count; i++) {
            checkDimension(file, buf, dim, i);
            buf.asIntBuffer().get(rows[i]);
            buf.position(buf.position() + 4 * dim);
        }
        return rows;
    }

    private static ByteBuffer map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() > Integer.MAX_VALUE) {
                throw new IOException(file + ": " + ch.size() + " bytes; files over 2 GiB are not supported by this reader");
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static int firstDimension(Path file, ByteBuffer buf) throws IOException {
        if (buf.remaining() < 4) {
            throw new IOException(file + ": empty or truncated file, expected TEXMEX vectors");
        }
        int dim = buf.getInt(0);
        if (dim <= 0 || dim > 1 << 20) {
            throw new IOException(file + ": first vector has dimension " + dim + "; not a TEXMEX .fvecs/.ivecs file");
        }
        return dim;
    }

    private static long vectorCount(Path file, ByteBuffer buf, int dim) throws IOException {
        long record = 4L + 4L * dim;
        if (buf.remaining() % record != 0) {
            throw new IOException(file + ": size " + buf.remaining() + " is not a multiple of the record size "
                    + record + " (dimension " + dim + "); the file is truncated or not TEXMEX");
        }
        return buf.remaining() / record;
    }

    private static void checkDimension(Path file, ByteBuffer buf, int dim, int index) throws IOException {
        int d = buf.getInt();
        if (d != dim) {
            throw new IOException(file + ": vector " + index + " has dimension " + d + ", expected " + dim);
        }
    }
}
