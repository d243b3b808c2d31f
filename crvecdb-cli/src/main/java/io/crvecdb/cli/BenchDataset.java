package io.crvecdb.cli;

import io.crvecdb.Metric;
import io.crvecdb.dataset.Texmex;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dataset in the peer harness's layout: {@code base.fvecs}, {@code query.fvecs}, {@code
 * groundtruth.ivecs} (per query the nearest base ids, nearest first) and {@code meta.json} (its
 * {@code metric}: l2 or cosine). Vectors are kept as read: a cosine index normalises them itself.
 *
 * @param truth per query (of those used), the exact nearest ids among the base vectors used
 */
record BenchDataset(String name, Metric metric, float[][] base, float[][] queries, int[][] truth) {

    /** The largest meta.json read: the harness's are a few hundred bytes. */
    private static final long MAX_META_BYTES = 1 << 20;

    int dimensions() {
        return base[0].length;
    }

    /** MiB the raw base vectors take, so RSS can be read net of the runner's own copy. */
    double baseMegabytes() {
        return (double) base.length * dimensions() * Float.BYTES / (1 << 20);
    }

    /**
     * Loads the first {@code limit} base vectors (all if null) and the first {@code queryLimit}
     * queries (all if null). A subset's exact truth comes from {@code groundtruth.first-N.ivecs},
     * computed and written there first if it is missing, as the peer runners do.
     *
     * @throws IllegalArgumentException naming what is missing or inconsistent
     */
    static BenchDataset load(Path dir, Integer limit, Integer queryLimit, int threads, PrintWriter log)
            throws IOException, InterruptedException {
        Metric metric = metricOf(dir);
        String meta = readMeta(dir.resolve("meta.json"));
        Path baseFile = existing(dir.resolve("base.fvecs"));
        Path queryFile = existing(dir.resolve("query.fvecs"));
        float[][] base = Texmex.readFvecs(baseFile, limit == null ? Integer.MAX_VALUE : limit);
        float[][] queries = Texmex.readFvecs(queryFile, queryLimit == null ? Integer.MAX_VALUE : queryLimit);
        if (queries[0].length != base[0].length) {
            throw new IllegalArgumentException(queryFile + " has " + queries[0].length + " dimensions, "
                    + baseFile + " " + base[0].length);
        }
        long baseCount = Files.size(baseFile) / (Integer.BYTES + (long) Float.BYTES * base[0].length);
        Path truthFile = base.length < baseCount ? subsetTruth(dir, base, queryFile, metric, threads, log)
                : existing(dir.resolve("groundtruth.ivecs"));
        int[][] truth = Texmex.readIvecs(truthFile, queries.length);
        if (truth.length < queries.length) {
            throw new IllegalArgumentException(truthFile + " has " + truth.length + " rows for " + queries.length + " queries");
        }
        return new BenchDataset(jsonString(meta, "name", dir.getFileName().toString()), metric, base, queries, truth);
    }

    /**
     * The metric a dataset directory's {@code meta.json} names.
     *
     * @throws IllegalArgumentException if the directory or its meta.json is missing, or the metric is neither l2 nor cosine
     */
    static Metric metricOf(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--data " + dir + " is not a directory");
        }
        Path metaFile = dir.resolve("meta.json");
        if (!Files.isRegularFile(metaFile)) {
            throw new IllegalArgumentException("no meta.json in " + dir + ": is it a dataset directory?");
        }
        String metricName = jsonString(readMeta(metaFile), "metric", "l2");
        if (!metricName.equals("l2") && !metricName.equals("cosine")) {
            throw new IllegalArgumentException("metric '" + metricName + "' in " + metaFile + " is neither l2 nor cosine");
        }
        return Metric.parse(metricName);
    }

    /** The truth file of the first base.length vectors, computed over every query if it is not there yet. */
    private static Path subsetTruth(Path dir, float[][] base, Path queryFile, Metric metric, int threads, PrintWriter log)
            throws IOException, InterruptedException {
        Path file = GroundTruth.subsetFile(dir, base.length);
        if (!Files.isRegularFile(file)) {
            log.println("computing the exact ground truth of the first " + base.length + " base vectors into " + file);
            log.flush();
            float[][] allQueries = Texmex.readFvecs(queryFile);
            GroundTruth.write(file, GroundTruth.compute(base, allQueries, metric == Metric.COSINE, threads));
        }
        return file;
    }

    /** meta.json as text; one that is not UTF-8 is named, not reported as "Input length = 1". */
    private static String readMeta(Path metaFile) throws IOException {
        long size = Files.size(metaFile);
        if (size > MAX_META_BYTES) {
            // Files.readString would fail with an OutOfMemoryError (over 2 GiB) or fill the heap
            throw new IllegalArgumentException(metaFile + " is " + size + " bytes, more than a dataset's meta.json "
                    + "(a few lines of JSON) holds: is it the dataset's meta.json?");
        }
        try {
            return Files.readString(metaFile);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(metaFile + " is not UTF-8 text: is it the dataset's meta.json?", e);
        }
    }

    static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("missing " + file);
        }
        return file;
    }

    /** A string field of meta.json; the harness's files are flat, so a pattern is enough. */
    private static String jsonString(String json, String key, String fallback) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : fallback;
    }
}
