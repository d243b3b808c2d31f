package io.crvecdb.cli;

import io.crvecdb.dataset.Texmex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The whole bench on small synthetic datasets: the lines the peer harness and its table read. */
class BenchEndToEndTest {

    /** Every field the Java peer runners write on their build and search lines. */
    private static final String[] PEER_BUILD_FIELDS = {"lib", "version", "phase", "dataset", "metric", "n", "dim", "m",
        "ef_construction", "seconds", "vectors_per_sec", "threads", "rss_mb", "rss_peak_mb", "heap_used_mb", "data_mb",
        "runtime", "vectorization"};
    private static final String[] PEER_SEARCH_FIELDS = {"lib", "version", "phase", "ef", "k", "recall@1", "recall@10",
        "qps", "qps_threads", "p50_ms", "p95_ms", "p99_ms", "n_query"};

    @TempDir
    Path dir;

    @Test
    void printsABuildLineAndASearchLinePerEfOnStdoutOnly() throws IOException {
        TestDatasets.write(dir, "l2", 2000, 50, 16, 11);

        Cli bench = Cli.run("bench", "--data", dir.toString(), "--threads", "2", "--ef-search", "10,default", "--runs", "1");

        assertThat(bench.exitCode()).as(bench.err()).isZero();
        List<Map<String, Object>> lines = bench.jsonLines();
        assertThat(lines).hasSize(3);
        Map<String, Object> build = lines.getFirst();
        assertThat(build).containsKeys(PEER_BUILD_FIELDS)
                .containsEntry("lib", "crvecdb").containsEntry("version", CrvecdbCommand.version())
                .containsEntry("phase", "build").containsEntry("dataset", dir.getFileName().toString())
                .containsEntry("metric", "l2").containsEntry("index_metric", "L2")
                .containsEntry("n", 2000).containsEntry("dim", 16).containsEntry("m", 16)
                .containsEntry("ef_construction", 200).containsEntry("threads", 2).containsEntry("ef_search_default", 100);
        assertThat((double) build.get("vectors_per_sec")).isPositive();
        assertThat((double) build.get("rss_mb")).isGreaterThan((double) build.get("data_mb"));
        // Tests run without -XX:+UseTransparentHugePages; the kernel may still back some memory with huge pages.
        assertThat((double) build.get("huge_pages_mb")).isBetween(0.0, (double) build.get("rss_mb"));
        // One page of 4,096 records: 16 floats and 33 link ints each, in-degrees and references.
        assertThat((double) build.get("search_memory_mb")).isBetween(0.7, 1.0);

        assertThat(lines.subList(1, 3)).allSatisfy(search -> assertThat(search).containsKeys(PEER_SEARCH_FIELDS)
                .containsEntry("lib", "crvecdb").containsEntry("phase", "search").containsEntry("k", 10)
                .containsEntry("qps_threads", 2).containsEntry("n_query", 50));
        assertThat(lines.get(1)).containsEntry("ef", 10).doesNotContainKey("recall@100");
        Map<String, Object> atDefaultEf = lines.get(2);
        assertThat(atDefaultEf).containsEntry("ef", 100).containsKey("recall@100");
        assertThat((double) atDefaultEf.get("recall@10")).isGreaterThan(0.95);
        assertThat((double) atDefaultEf.get("qps")).isPositive();
        assertThat((double) atDefaultEf.get("p50_ms")).isLessThanOrEqualTo((double) atDefaultEf.get("p99_ms"));

        assertThat(bench.err()).contains("building 100% (2,000/2,000");
    }

    @Test
    void warmBuildsAreUntimedAndReportedAsTheirOwnLibrary() throws IOException {
        TestDatasets.write(dir, "l2", 1000, 50, 16, 12);

        Cli warm = Cli.run("bench", "--data", dir.toString(), "--threads", "2", "--ef-search", "40", "--runs", "1",
                "--warm-builds", "2");

        assertThat(warm.exitCode()).as(warm.err()).isZero();
        List<Map<String, Object>> lines = warm.jsonLines();
        assertThat(lines).hasSize(2).allSatisfy(line -> assertThat(line).containsEntry("lib", "crvecdb-warm"));
        assertThat(lines.getFirst()).containsEntry("warm_builds", 2).containsEntry("n", 1000);
        assertThat((double) lines.get(1).get("recall@10")).isGreaterThan(0.9);
        assertThat(warm.err().split("building 100% \\(1,000/1,000", -1)).as("three builds").hasSize(4);
        Cli reopened = Cli.run("bench", "--data", dir.toString(), "--storage", dir.resolve("none").toString(),
                "--reopen", "--warm-builds", "1");
        assertThat(reopened.exitCode()).isEqualTo(2);
        assertThat(reopened.err()).contains("--warm-builds applies to a build");
    }

    @Test
    void compactAfterTheBuildIsReportedAsItsOwnLibraryWithTheSameRecall() throws IOException {
        TestDatasets.write(dir, "l2", 2000, 50, 16, 11);

        Cli plain = Cli.run("bench", "--data", dir.toString(), "--threads", "2", "--ef-search", "40", "--runs", "1");
        Cli compacted = Cli.run("bench", "--data", dir.toString(), "--threads", "2", "--ef-search", "40", "--runs", "1",
                "--compact");

        assertThat(compacted.exitCode()).as(compacted.err()).isZero();
        List<Map<String, Object>> lines = compacted.jsonLines();
        assertThat(lines).hasSize(2).allSatisfy(line -> assertThat(line).containsEntry("lib", "crvecdb-compacted"));
        assertThat(lines.getFirst()).containsEntry("compacted", true).containsEntry("n", 2000);
        assertThat(plain.jsonLines().getFirst()).containsEntry("compacted", false);
        // Built in parallel, the two graphs differ a little; compaction itself changes no result.
        assertThat((double) lines.get(1).get("recall@10"))
                .isCloseTo((double) plain.jsonLines().get(1).get("recall@10"), within(0.02));
    }

    @Test
    void aCosineSubsetIsMeasuredAgainstItsOwnTruthComputedOnFirstUse() throws IOException {
        TestDatasets.write(dir, "cosine", 1500, 40, 12, 21);

        Cli bench = Cli.run("bench", "--data", dir.toString(), "--limit", "1000", "--queries", "30",
                "--threads", "2", "--ef-search", "64", "--k", "5", "--runs", "1");

        assertThat(bench.exitCode()).as(bench.err()).isZero();
        float[][] firstThousand = Texmex.readFvecs(dir.resolve("base.fvecs"), 1000);
        float[][] queries = Texmex.readFvecs(dir.resolve("query.fvecs"));
        assertThat(Texmex.readIvecs(dir.resolve("groundtruth.first-1000.ivecs"), Integer.MAX_VALUE))
                .isDeepEqualTo(TestDatasets.truth(firstThousand, queries, true, 100));
        List<Map<String, Object>> lines = bench.jsonLines();
        assertThat(lines).hasSize(2);
        assertThat(lines.getFirst()).containsEntry("n", 1000).containsEntry("metric", "cosine")
                .containsEntry("index_metric", "COSINE");
        assertThat(lines.get(1)).containsEntry("ef", 64).containsEntry("k", 5).containsEntry("n_query", 30)
                .containsKey("recall@5").doesNotContainKey("recall@10");
        assertThat((double) lines.get(1).get("recall@5")).isGreaterThan(0.95);
        assertThat(bench.err()).contains("computing the exact ground truth of the first 1000 base vectors");
    }
}
