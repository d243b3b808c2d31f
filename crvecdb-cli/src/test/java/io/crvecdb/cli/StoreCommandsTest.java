package io.crvecdb.cli;

import io.crvecdb.VectorIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's commands on a real store: import, info, get, check, compact, and bench on a store. */
class StoreCommandsTest {

    @TempDir
    Path dir;

    private Path dataset(String metric, int n, int dim) throws IOException {
        Path data = dir.resolve("data-" + metric + "-" + dim);
        TestDatasets.write(data, metric, n, 20, dim, 7);
        return data;
    }

    @Test
    void importInfoGetCheckCompactRoundTrip() throws IOException {
        Path data = dataset("l2", 1500, 12);
        Path store = dir.resolve("store");
        Cli imported = Cli.run("import", store.toString(), "--data", data.toString(), "--batch", "400", "--threads", "2");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out().lines()).containsExactly("acked 400", "acked 800", "acked 1200", "acked 1500");

        Cli info = Cli.run("info", store.toString(), "--json");
        assertThat(info.exitCode()).as(info.err()).isZero();
        Map<String, Object> fields = Cli.parse(info.out().strip());
        assertThat(fields).containsEntry("records", 1500).containsEntry("deleted", 0).containsEntry("dimensions", 12)
            .containsEntry("metric", "l2").containsEntry("m", 16).containsEntry("quantization", "none");
        @SuppressWarnings("unchecked")
        Map<String, Object> files = (Map<String, Object>) fields.get("files");
        assertThat(files).containsKey("LOCK").hasSize(3);
        assertThat(Cli.run("info", store.toString()).out()).contains("records          1500").contains("files")
            .contains("total");

        Cli get = Cli.run("get", store.toString(), "7", "missing");
        assertThat(get.exitCode()).as(get.err()).isZero();
        List<Map<String, Object>> lines = get.jsonLines();
        assertThat(lines.get(0)).containsEntry("id", "7").containsEntry("found", true);
        assertThat((List<?>) lines.get(0).get("vector")).hasSize(12);
        assertThat(lines.get(1)).containsEntry("id", "missing").containsEntry("found", false);

        Cli check = Cli.run("check", store.toString());
        assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).startsWith("OK: ").contains("1500 records");

        try (VectorIndex index = VectorIndex.open(store)) {
            for (int i = 0; i < 1500; i += 3) {
                index.delete(Integer.toString(i));
            }
        }
        Cli compact = Cli.run("compact", store.toString());
        assertThat(compact.exitCode()).as(compact.err()).isZero();
        assertThat(compact.out()).contains("before: 1000 records, 500 deleted").contains("after:  1000 records, 0 deleted");
        assertThat(Cli.run("check", store.toString()).exitCode()).isZero();
        assertThat(Cli.parse(Cli.run("info", store.toString(), "--json").out().strip())).containsEntry("records", 1000)
            .containsEntry("deleted", 0);
    }

    @Test
    void importResumesWhereItStopped() throws IOException {
        Path data = dataset("cosine", 600, 8);
        Path store = dir.resolve("store");
        assertThat(Cli.run("import", store.toString(), "--data", data.toString(), "--limit", "250").exitCode()).isZero();
        Cli rest = Cli.run("import", store.toString(), "--data", data.toString(), "--batch", "300", "--durability",
                "interval");
        assertThat(rest.exitCode()).as(rest.err()).isZero();
        assertThat(rest.out().lines()).containsExactly("acked 300", "acked 600");
        try (VectorIndex index = VectorIndex.open(store)) {
            assertThat(index.size()).isEqualTo(600);
        }
    }

    @Test
    void checkReportsADamagedStore() throws IOException {
        Path store = dir.resolve("store");
        Path dataFile = importedDataFile(store);
        byte[] bytes = Files.readAllBytes(dataFile);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(dataFile, bytes);
        Cli check = Cli.run("check", store.toString());
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.out()).startsWith("PROBLEM: ").contains(dataFile.getFileName().toString()).contains("checksum");
    }

    /** A data file that cannot be read (here a directory in its place) is a problem of the store, on stdout. */
    @Test
    void checkReportsAnUnreadableDataFile() throws IOException {
        Path store = dir.resolve("store");
        Path dataFile = importedDataFile(store);
        Files.delete(dataFile);
        Files.createDirectory(dataFile);
        Cli check = Cli.run("check", store.toString());
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.out()).as(check.err()).startsWith("PROBLEM: ").contains(dataFile.getFileName().toString());
    }

    /** Imports 300 vectors into {@code store}; returns its data file. */
    private Path importedDataFile(Path store) throws IOException {
        Path data = dataset("l2", 300, 8);
        assertThat(Cli.run("import", store.toString(), "--data", data.toString()).exitCode()).isZero();
        try (Stream<Path> files = Files.list(store)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".crv")).findFirst().orElseThrow();
        }
    }

    @Test
    void badInputIsOneLineAndANonZeroExit() throws IOException {
        Path data = dataset("l2", 200, 8);
        Path store = dir.resolve("store");
        assertThat(Cli.run("import", store.toString(), "--data", data.toString()).exitCode()).isZero();
        Path notAStore = Files.createDirectories(dir.resolve("empty"));
        Path otherDimensions = dataset("l2", 100, 16);
        for (String[] args : List.of(new String[] {"info", dir.resolve("missing").toString()},
                new String[] {"check", notAStore.toString()}, new String[] {"get", notAStore.toString(), "1"},
                new String[] {"compact", dir.resolve("missing").toString()},
                new String[] {"import", store.toString(), "--data", otherDimensions.toString()},
                new String[] {"import", store.toString(), "--data", dir.resolve("no-data").toString()},
                new String[] {"import", store.toString(), "--data", data.toString(), "--durability", "never"},
                new String[] {"bench", "--data", data.toString(), "--reopen"},
                new String[] {"bench", "--data", data.toString(), "--storage", store.toString(), "--reopen", "--compact"},
                new String[] {"bench", "--data", data.toString(), "--storage", store.toString()})) {
            Cli cli = Cli.run(args);
            assertThat(cli.exitCode()).as("exit code of %s", String.join(" ", args)).isNotZero();
            assertThat(cli.err().lines()).as("stderr of %s", String.join(" ", args)).hasSize(1)
                .allSatisfy(line -> assertThat(line).startsWith("crvecdb ").doesNotContain("Exception").doesNotContain("\tat "));
        }
        assertThat(Cli.run("check", notAStore.toString()).exitCode()).as("not a store is bad input").isEqualTo(2);
        try (VectorIndex held = VectorIndex.open(store)) {
            Cli locked = Cli.run("info", store.toString());
            assertThat(locked.exitCode()).isNotZero();
            assertThat(locked.err()).contains("is open in another process");
            assertThat(held.size()).isEqualTo(200);
        }
        Cli wrongDimensions = Cli.run("import", store.toString(), "--data", otherDimensions.toString());
        assertThat(wrongDimensions.err()).contains("holds l2 vectors of 8 dimensions")
            .contains(otherDimensions + " l2 vectors of 16");
    }

    @Test
    void benchBuildsIntoAStoreAndReopensIt() throws IOException {
        Path data = dataset("l2", 800, 16);
        Path store = dir.resolve("bench-store");
        Cli built = Cli.run("bench", "--data", data.toString(), "--storage", store.toString(), "--ef-search", "20",
                "--threads", "2", "--runs", "1", "--quantization", "int8");
        assertThat(built.exitCode()).as(built.err()).isZero();
        assertThat(built.jsonLines().getFirst()).containsEntry("lib", "crvecdb-int8-durable").containsEntry("phase", "build");
        // The store is int8: its row says so without --quantization.
        Cli reopened = Cli.run("bench", "--data", data.toString(), "--storage", store.toString(), "--reopen",
                "--ef-search", "20", "--threads", "2", "--runs", "1");
        assertThat(reopened.exitCode()).as(reopened.err()).isZero();
        List<Map<String, Object>> lines = reopened.jsonLines();
        assertThat(lines.getFirst()).containsEntry("lib", "crvecdb-int8-mapped").containsKey("open_ms");
        assertThat(((Number) lines.get(1).get("recall@10")).doubleValue()).isGreaterThan(0.9);
    }
    /** Under LC_ALL=C (cron, systemd units, minimal containers) the JSON is still UTF-8. */
    @Test
    void getPrintsUtf8WhateverTheLocale() throws Exception {
        Path store = dir.resolve("utf8");
        try (VectorIndex index = VectorIndex.builder().dimensions(2).storage(store).build()) {
            index.add("plain", new float[] {3, 4}, "grüße".getBytes(StandardCharsets.UTF_8));
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                CrvecdbCommand.class.getName(), "get", store.toString(), "plain")
            .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("LANG");
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(Cli.parse(out.strip())).containsEntry("payload_text", "grüße");
    }

    /** An id that starts with '-' reads as an option: the refusal says to put it after '--', where it works. */
    @Test
    void anIdThatLooksLikeAnOptionGoesAfterTheDoubleDash() {
        Path store = dir.resolve("dashes");
        try (VectorIndex index = VectorIndex.builder().dimensions(2).storage(store).build()) {
            index.add("-x", new float[] {3, 4});
        }
        Cli refused = Cli.run("get", store.toString(), "-x");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("'--'").contains("crvecdb get " + store + " -- -x");
        Cli found = Cli.run("get", store.toString(), "--", "-x");
        assertThat(found.exitCode()).as(found.err()).isZero();
        assertThat(Cli.parse(found.out().strip())).containsEntry("id", "-x");
    }

    /** bench --reopen on a store of another size than the dataset: the refusal names both sizes. */
    @Test
    void benchReopenNamesBothSizesOfAMismatch() throws IOException {
        Path data = dir.resolve("sized-data");
        TestDatasets.write(data, "l2", 200, 5, 8, 1);
        Path store = dir.resolve("sized");
        Cli imported = Cli.run("import", store.toString(), "--data", data.toString(), "--limit", "120");
        assertThat(imported.exitCode()).as(imported.err()).isZero();

        Cli bench = Cli.run("bench", "--data", data.toString(), "--storage", store.toString(), "--reopen",
                "--ef-search", "10", "--runs", "1", "--threads", "1");

        assertThat(bench.exitCode()).isNotZero();
        assertThat(bench.out()).isEmpty();
        assertThat(bench.err().strip()).startsWith("crvecdb bench: the store at " + store)
                .contains("holds 120 vectors of 8 dimensions, the dataset 200 of 8");
    }

    /**
     * The same vectors under another metric (a dataset copied with its meta.json changed): the
     * store was searched and its recall scored against the other metric's truth, and the build line
     * named the dataset's metric, not the index's.
     */
    @Test
    void benchReopenRefusesAStoreOfAnotherMetric() throws IOException {
        Path cosine = dir.resolve("cosine-data");
        TestDatasets.write(cosine, "cosine", 200, 5, 8, 1);
        Path store = dir.resolve("cosine-store");
        assertThat(Cli.run("import", store.toString(), "--data", cosine.toString()).exitCode()).isZero();
        Path l2 = dir.resolve("l2-data");
        TestDatasets.write(l2, "l2", 200, 5, 8, 1); // the same seed: the same base vectors, with l2 truth

        Cli bench = Cli.run("bench", "--data", l2.toString(), "--storage", store.toString(), "--reopen",
                "--ef-search", "10", "--runs", "1", "--threads", "1");

        assertThat(bench.exitCode()).as(bench.err()).isEqualTo(1);
        assertThat(bench.out()).as("stdout of a run that failed").isEmpty();
        assertThat(bench.err().strip()).startsWith("crvecdb bench: the store at " + store).contains("cosine")
                .contains("l2");
    }

    /** A store of the dataset's size and dimensions that was not built from it is refused before any line is printed. */
    @Test
    void benchReopenRefusesAStoreNotBuiltFromTheDataset() throws IOException {
        Path data = dir.resolve("other-data");
        TestDatasets.write(data, "l2", 200, 5, 8, 1);
        Path store = dir.resolve("other");
        float[][] base = io.crvecdb.dataset.Texmex.readFvecs(data.resolve("base.fvecs"));
        try (VectorIndex index = VectorIndex.builder().dimensions(8).storage(store).build()) {
            for (int i = 0; i < base.length; i++) {
                index.add("doc-" + i, base[i]);
            }
        }
        Cli bench = Cli.run("bench", "--data", data.toString(), "--storage", store.toString(), "--reopen",
                "--ef-search", "10", "--runs", "1", "--threads", "1");
        assertThat(bench.exitCode()).isNotZero();
        assertThat(bench.err()).contains("was not built from").contains("record '0' is missing");
        assertThat(bench.out()).as("stdout of a run that failed").isEmpty();
    }
    /** info, check and get inspect a store as a crash left it without touching a file (a backup stays a backup). */
    @Test
    void inspectingAStoreChangesNoFile() throws IOException {
        Path live = dir.resolve("inspect-live");
        Path image = dir.resolve("inspect-image");
        try (VectorIndex index = VectorIndex.builder().dimensions(4).storage(live).build()) {
            for (int i = 0; i < 50; i++) {
                index.add("r" + i, new float[] {i, 1, 2, 3});
            }
            Files.createDirectories(image);
            try (Stream<Path> files = Files.list(live)) {
                for (Path file : files.toList()) {
                    Files.copy(file, image.resolve(file.getFileName())); // every add is in the log, none checkpointed
                }
            }
        }
        Map<String, Long> before = Stores.files(image);
        assertThat(Cli.run("info", image.toString(), "--json").exitCode()).isZero();
        Cli check = Cli.run("check", image.toString());
        assertThat(check.exitCode()).as(check.err()).isZero();
        assertThat(check.out()).contains("OK: ").contains(": 50 records");
        assertThat(Cli.run("get", image.toString(), "r49").out()).contains("\"found\": true");
        assertThat(Stores.files(image)).as("files after info, check and get").isEqualTo(before);
    }
}
