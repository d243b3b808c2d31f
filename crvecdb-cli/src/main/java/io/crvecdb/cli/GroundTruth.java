package io.crvecdb.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exact nearest neighbours by brute force, in double precision, and the {@code .ivecs} file that
 * keeps them. The peer runners compute the truth of a {@code --limit N} subset the same way and
 * cache it under the same name, so whichever runner comes first writes it for the others.
 */
final class GroundTruth {

    /** How many neighbours per query the truth lists (the shared datasets keep 100). */
    static final int DEPTH = 100;

    private GroundTruth() {
    }

    /** The file holding the truth of the first {@code n} base vectors. */
    static Path subsetFile(Path dataDir, int n) {
        return dataDir.resolve("groundtruth.first-" + n + ".ivecs");
    }

    /**
     * Per query, the ids of its {@code min(DEPTH, base.length)} nearest base vectors, nearest first.
     * Cosine ranks by cosine similarity (the vectors need not be unit length), l2 by Euclidean distance.
     */
    static int[][] compute(float[][] base, float[][] queries, boolean cosine, int threads) throws InterruptedException {
        double[] baseNorms = new double[base.length];
        for (int i = 0; i < base.length; i++) {
            baseNorms[i] = Math.sqrt(dot(base[i], base[i]));
        }
        int depth = Math.min(DEPTH, base.length);
        int[][] truth = new int[queries.length][];
        AtomicInteger next = new AtomicInteger();
        Workers.run(threads, () -> {
            for (int q; (q = next.getAndIncrement()) < queries.length; ) {
                float[] query = queries[q];
                double queryNorm = Math.sqrt(dot(query, query));
                Nearest nearest = new Nearest(depth);
                for (int i = 0; i < base.length; i++) {
                    nearest.offer(i, cosine
                            ? 1 - dot(query, base[i]) / (queryNorm * baseNorms[i] + 1e-30)
                            : squaredDistance(query, base[i]));
                }
                truth[q] = nearest.ids;
            }
        });
        return truth;
    }

    /**
     * Writes rows in {@code .ivecs} layout, through a temporary file so readers never see half of it;
     * a name of its own, since another bench may be writing the same truth at the same time.
     */
    static void write(Path file, int[][] rows) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".partial");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
            for (int[] row : rows) {
                ByteBuffer record = ByteBuffer.allocate(Integer.BYTES * (1 + row.length)).order(ByteOrder.LITTLE_ENDIAN);
                record.putInt(row.length);
                for (int id : row) {
                    record.putInt(id);
                }
                out.write(record.array());
            }
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The best {@code ids.length} (id, distance) pairs offered so far, nearest first; ties keep the lower id. */
    private static final class Nearest {
        final int[] ids;
        final double[] distances;
        int size;

        Nearest(int capacity) {
            ids = new int[capacity];
            distances = new double[capacity];
        }

        void offer(int id, double distance) {
            if (size == ids.length && distance >= distances[size - 1]) {
                return;
            }
            int at = size < ids.length ? size++ : size - 1;
            while (at > 0 && distances[at - 1] > distance) {
                ids[at] = ids[at - 1];
                distances[at] = distances[at - 1];
                at--;
            }
            ids[at] = id;
            distances[at] = distance;
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    private static double squaredDistance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double diff = (double) a[i] - b[i];
            sum += diff * diff;
        }
        return sum;
    }
}
