package io.crvecdb.cli;

import io.crvecdb.Metric;
import io.crvecdb.dataset.Texmex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A benchmark dataset in the peer harness's layout: {@code base.fvecs}, {@code query.fvecs},
 * {@code groundtruth.ivecs} (or {@code groundtruth.first-N.ivecs} for {@code --limit N}) and
 * {@code meta.json} with the metric (l2 or cosine).
 */
record BenchData(String name, Metric metric, float[][] base, float[][] queries, int[][] truth) {

    int dimensions() {
        return base[0].length;
    }

    double baseMegabytes() {
        return (double) base.length * dimensions() * Float.BYTES / (1 << 20);
    }

    static BenchData load(Path dir, int limit, int queryLimit) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--data " + dir + " is not a directory");
        }
        Path metaFile = dir.resolve("meta.json");
        if (!Files.isRegularFile(metaFile)) {
            throw new IllegalArgumentException("no meta.json in " + dir + ": is it a dataset directory?");
        }
        String meta = Files.readString(metaFile);
        String metricName = jsonString(meta, "metric", "l2");
        if (!metricName.equals("l2") && !metricName.equals("cosine")) {
            throw new IllegalArgumentException("metric '" + metricName + "' in " + metaFile + " is neither l2 nor cosine");
        }
        float[][] base = Texmex.readFvecs(require(dir.resolve("base.fvecs")), limit > 0 ? limit : Integer.MAX_VALUE);
        float[][] queries = Texmex.readFvecs(require(dir.resolve("query.fvecs")), queryLimit > 0 ? queryLimit : Integer.MAX_VALUE);
        if (base.length == 0 || queries.length == 0) {
            throw new IllegalArgumentException(dir + " has no base vectors or no queries");
        }
        if (queries[0].length != base[0].length) {
            throw new IllegalArgumentException("queries have " + queries[0].length + " dimensions, base vectors " + base[0].length);
        }
        Path truthFile = limit > 0 && limit < count(meta, dir) ? dir.resolve("groundtruth.first-" + base.length + ".ivecs")
                : dir.resolve("groundtruth.ivecs");
        if (!Files.isRegularFile(truthFile)) {
            throw new IllegalArgumentException("no exact ground truth " + truthFile + "; compute it with "
                    + "../shared/bench/peers/java/run.sh groundtruth --data " + dir + " --limit " + base.length);
        }
        int[][] truth = Texmex.readIvecs(truthFile, queries.length);
        if (truth.length < queries.length) {
            throw new IllegalArgumentException(truthFile + " has " + truth.length + " rows for " + queries.length + " queries");
        }
        String name = jsonString(meta, "name", dir.getFileName().toString());
        return new BenchData(name, Metric.parse(metricName), base, queries, truth);
    }

    private static Path require(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("missing " + file);
        }
        return file;
    }

    private static long count(String meta, Path dir) throws IOException {
        Matcher m = Pattern.compile("\"n_base\"\\s*:\\s*(\\d+)").matcher(meta);
        if (m.find()) {
            return Long.parseLong(m.group(1));
        }
        return Files.size(dir.resolve("base.fvecs")); // an upper bound is all the comparison needs
    }

    private static String jsonString(String json, String key, String fallback) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : fallback;
    }
}
