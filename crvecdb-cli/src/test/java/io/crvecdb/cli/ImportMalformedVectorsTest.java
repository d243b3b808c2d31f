package io.crvecdb.cli;

import io.crvecdb.VectorIndex;
import io.crvecdb.dataset.Texmex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A base.fvecs with a vector the index cannot take (NaN, Infinity, all zeros under cosine) is refused
 * as a whole, as one of the wrong dimension is: no store is created, an existing one is left as it was.
 */
class ImportMalformedVectorsTest {

    @TempDir
    Path dir;

    private Path dataset(String name, String metric, int bad, float[] badVector) throws IOException {
        Path data = dir.resolve(name);
        TestDatasets.write(data, metric, 50, 5, 4, 3);
        float[][] base = Texmex.readFvecs(data.resolve("base.fvecs"));
        base[bad] = badVector;
        TestDatasets.writeFvecs(data.resolve("base.fvecs"), base);
        return data;
    }

    /** A store holding a dataset's 20 vectors of 4 dimensions, imported by the command. */
    private Path storeOf20(String dataName, String metric, String storeName) throws IOException {
        Path data = dir.resolve(dataName);
        TestDatasets.write(data, metric, 20, 5, 4, 3);
        Path store = dir.resolve(storeName);
        assertThat(Cli.run("import", store.toString(), "--data", data.toString()).exitCode()).isZero();
        return store;
    }

    @Test
    void aNonFiniteComponentIsRefusedBeforeAnythingIsImported() throws IOException {
        for (float x : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            Path data = dataset("data-" + x, "l2", 30, new float[] {1, x, 2, 3});
            Path store = dir.resolve("store-" + x);
            Cli imported = Cli.run("import", store.toString(), "--data", data.toString(), "--batch", "10");
            assertThat(imported.exitCode()).isEqualTo(1);
            assertThat(imported.out()).as("acked lines of a refused import").isEmpty();
            assertThat(VectorIndex.exists(store)).as("a store was created from a malformed file").isFalse();
            assertThat(imported.err().lines().filter(line -> !line.startsWith("importing "))).singleElement()
                    .asString().startsWith("crvecdb import: ").contains("base.fvecs").contains("vector 30")
                    .contains(Float.toString(x));
        }
    }

    @Test
    void aZeroVectorUnderCosineLeavesAnExistingStoreAsItWas() throws IOException {
        Path store = storeOf20("good", "cosine", "store");

        Path data = dataset("zero", "cosine", 40, new float[4]);
        Cli imported = Cli.run("import", store.toString(), "--data", data.toString(), "--batch", "10");
        assertThat(imported.exitCode()).isEqualTo(1);
        try (VectorIndex index = VectorIndex.openReadOnly(store)) {
            assertThat(index.size()).as("records after a refused import").isEqualTo(20);
        }
        assertThat(imported.err()).contains("vector 40").contains("all zeros");
        assertThat(Files.exists(store)).isTrue();
    }

    @Test
    void aDatasetOfAnotherMetricOrDimensionIsRefusedNamingTheStoresSettings() throws IOException {
        Path store = storeOf20("first", "l2", "settled");

        Path cosine = dir.resolve("cosine");
        TestDatasets.write(cosine, "cosine", 30, 5, 4, 3);
        Path wider = dir.resolve("wider");
        TestDatasets.write(wider, "l2", 30, 5, 6, 3);
        for (Path data : new Path[] {cosine, wider}) {
            Cli imported = Cli.run("import", store.toString(), "--data", data.toString());
            assertThat(imported.exitCode()).as(data.toString()).isEqualTo(1);
            assertThat(imported.out()).isEmpty();
            assertThat(imported.err().strip()).as(data.toString())
                .startsWith("crvecdb import: the store at " + store + " holds l2 vectors of 4 dimensions, the dataset at "
                        + data)
                .contains("another store").doesNotContain("drop the setting");
        }
        try (VectorIndex index = VectorIndex.openReadOnly(store)) {
            assertThat(index.size()).isEqualTo(20);
        }
    }

    /**
     * A store as a crash leaves it (its records in the log, none checkpointed) and a dataset of
     * other dimensions: the import is refused without touching a file. It used to open the store as
     * a writer before comparing, and the close checkpointed it: a new data file, the log emptied.
     */
    @Test
    void aRefusedDatasetLeavesTheFilesOfACrashedStoreAsTheyWere() throws IOException {
        Path live = dir.resolve("live");
        Path image = Files.createDirectories(dir.resolve("image"));
        try (VectorIndex index = VectorIndex.builder().dimensions(4).metric("l2").storage(live).build()) {
            for (int i = 0; i < 30; i++) {
                index.add(Integer.toString(i), new float[] {i, 1, 2, 3});
            }
            try (Stream<Path> files = Files.list(live)) {
                for (Path file : files.toList()) {
                    Files.copy(file, image.resolve(file.getFileName())); // every add is in the log
                }
            }
        }
        Map<String, String> before = contents(image);
        Path wider = dir.resolve("wider");
        TestDatasets.write(wider, "l2", 30, 5, 6, 3);

        Cli imported = Cli.run("import", image.toString(), "--data", wider.toString());

        assertThat(imported.exitCode()).as(imported.err()).isEqualTo(1);
        assertThat(imported.err()).contains("holds l2 vectors of 4 dimensions");
        assertThat(contents(image)).as("the store's files after a refused import").isEqualTo(before);
    }

    /**
     * A store filled from another dataset of the same metric and dimensions: its ids were skipped
     * as if the import resumed, and it ended "acked 30" with exit 0 although records 0..19 held the
     * other dataset's vectors.
     */
    @Test
    void aStoreFilledFromAnotherDatasetIsRefusedBeforeAnythingIsImported() throws IOException {
        Path store = storeOf20("first", "l2", "filled");
        Path other = dir.resolve("other");
        TestDatasets.write(other, "l2", 30, 5, 4, 99);

        Cli imported = Cli.run("import", store.toString(), "--data", other.toString());

        assertThat(imported.exitCode()).as(imported.err()).isEqualTo(1);
        assertThat(imported.out()).as("acked lines of a refused import").isEmpty();
        assertThat(imported.err().lines().filter(line -> !line.startsWith("importing "))).singleElement().asString()
            .startsWith("crvecdb import: ").contains("record '0'").contains("Nothing was imported");
        float[] first = Texmex.readFvecs(dir.resolve("first").resolve("base.fvecs"))[0];
        try (VectorIndex index = VectorIndex.openReadOnly(store)) {
            assertThat(index.size()).as("records after a refused import").isEqualTo(20);
            assertThat(index.get("0").orElseThrow().vector()).containsExactly(first);
        }
    }

    /** Each file's name and a digest of its bytes. */
    private static Map<String, String> contents(Path store) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        try (Stream<Path> files = Files.list(store)) {
            for (Path file : files.toList()) {
                digests.put(file.getFileName().toString(), HexFormat.of().formatHex(sha256(Files.readAllBytes(file))));
            }
        }
        return digests;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
