package io.crvecdb.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.crvecdb.VectorIndex;
import io.crvecdb.testing.Tmpfs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each unusable {@code crvecdb.*} setting stops start-up, and {@link CrvecdbFailureAnalyzer} run on
 * the start-up failure names the property, what is wrong and the fix.
 */
class CrvecdbFailureAnalyzerTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CrvecdbIndexAutoConfiguration.class,
                CrvecdbVectorStoreAutoConfiguration.class));

    private final ApplicationContextRunner withModel = this.runner
        .withBean(EmbeddingModel.class, () -> new WordEmbeddingModel(24));

    @TempDir
    Path dir;

    @Test
    void unknownMetric() {
        assertFailure(this.withModel.withPropertyValues("crvecdb.metric=manhattan"), "crvecdb.metric", "manhattan",
                "Set crvecdb.metric to cosine, l2 or dot");
    }

    @Test
    void mBelowTwoOrAbove512() {
        assertFailure(this.withModel.withPropertyValues("crvecdb.m=1"), "crvecdb.m", "is 1, it must be between 2 and 512",
                "Set crvecdb.m within that range");
        assertFailure(this.withModel.withPropertyValues("crvecdb.m=513"), "crvecdb.m", "is 513", "Set crvecdb.m");
    }

    @Test
    void efBelowOne() {
        assertFailure(this.withModel.withPropertyValues("crvecdb.ef-construction=0"), "crvecdb.ef-construction",
                "at least 1", "Set crvecdb.ef-construction");
        assertFailure(this.withModel.withPropertyValues("crvecdb.ef-search=-5"), "crvecdb.ef-search", "is -5",
                "Set crvecdb.ef-search");
    }

    @Test
    void unknownQuantization() {
        assertFailure(this.withModel.withPropertyValues("crvecdb.quantization=int4"), "crvecdb.quantization", "int4",
                "none or int8");
    }

    @Test
    void blankName() {
        assertFailure(this.withModel.withPropertyValues("crvecdb.name= "), "crvecdb.name", "is blank",
                "Set crvecdb.name");
    }

    /** The vector store names itself with crvecdb.name on an index of the application's own too. */
    @Test
    void blankNameWithAnIndexOfTheApplicationsOwn() {
        assertFailure(this.withModel.withBean(VectorIndex.class, () -> VectorIndex.builder().dimensions(24).build())
            .withPropertyValues("crvecdb.name= "), "crvecdb.name", "is blank", "Set crvecdb.name");
    }

    @Test
    void negativeMinFreeDisk() {
        assertFailure(this.withModel.withConfiguration(AutoConfigurations.of(CrvecdbHealthAutoConfiguration.class))
            .withPropertyValues("crvecdb.health.min-free-disk=-1MB"), "crvecdb.health.min-free-disk",
                "is -1048576B, a negative size", "or to 0");
    }

    @Test
    void syncIntervalOutOfTheCoresRange() {
        assertFailure(this.withModel.withPropertyValues("crvecdb.storage.sync-interval=0ms"),
                "crvecdb.storage.sync-interval", "is 0ms, it must be between 1ms and 1m", "default is 100ms");
        assertFailure(this.withModel.withPropertyValues("crvecdb.storage.sync-interval=500us"),
                "crvecdb.storage.sync-interval", "is 0.5ms, it must be between 1ms and 1m",
                "Set crvecdb.storage.sync-interval");
        assertFailure(this.withModel.withPropertyValues("crvecdb.storage.sync-interval=2m"),
                "crvecdb.storage.sync-interval", "is 120000ms", "Set crvecdb.storage.sync-interval");
    }

    @Test
    void durabilitySettingsWithoutAStoragePath() {
        assertFailure(this.withModel.withPropertyValues("crvecdb.storage.durability=sync"), "crvecdb.storage.durability",
                "is set but crvecdb.storage.path is not: the index lives in memory only",
                "Set crvecdb.storage.path to a directory for a durable index, or remove crvecdb.storage.durability");
        assertFailure(this.withModel.withPropertyValues("crvecdb.storage.sync-interval=50ms"),
                "crvecdb.storage.sync-interval", "is set but crvecdb.storage.path is not",
                "or remove crvecdb.storage.sync-interval");
    }

    @Test
    void dimensionsBelowOne() {
        assertFailure(this.runner.withPropertyValues("crvecdb.dimensions=0"), "crvecdb.dimensions", "at least 1",
                "Set crvecdb.dimensions");
    }

    @Test
    void dimensionsDisagreeingWithTheEmbeddingModel() {
        assertFailure(this.withModel.withPropertyValues("crvecdb.dimensions=384"), "crvecdb.dimensions",
                "384 but the EmbeddingModel produces 24", "Remove crvecdb.dimensions");
    }

    @Test
    void noDimensionsAndNoEmbeddingModel() {
        assertFailure(this.runner, "crvecdb.dimensions", "not set, and there is no EmbeddingModel",
                "Set crvecdb.dimensions");
    }

    @Test
    void storagePathThatIsAFile() throws IOException {
        Path file = Files.writeString(this.dir.resolve("a-file"), "x");
        assertFailure(this.withModel.withPropertyValues("crvecdb.storage.path=" + file), "crvecdb.storage.path",
                file + " is a file, not a directory", "Point crvecdb.storage.path at a directory");
    }

    @Test
    void storagePathUnderAFile() throws IOException {
        Path file = Files.writeString(this.dir.resolve("a-file"), "x");
        assertFailure(this.withModel.withPropertyValues("crvecdb.storage.path=" + file.resolve("store")),
                "crvecdb.storage.path", "cannot create the storage directory", "Point crvecdb.storage.path");
    }

    /** Without write permission, or (for root, whom permissions do not bind) on a read-only file system. */
    @Test
    void storagePathThatIsNotWritable() throws IOException {
        Path readOnly = Files.createDirectories(this.dir.resolve("read-only"));
        assertThat(readOnly.toFile().setWritable(false, false)).isTrue();
        boolean mounted = Files.isWritable(readOnly);
        if (mounted) {
            Tmpfs.mountOrSkip(readOnly, "ro,size=1m");
        }
        try {
            assertThat(Files.isWritable(readOnly)).isFalse();
            assertFailure(this.withModel.withPropertyValues("crvecdb.storage.path=" + readOnly.resolve("store")),
                    "crvecdb.storage.path", readOnly + " is not writable", "Fix the directory's permissions");
        }
        finally {
            if (mounted) {
                Tmpfs.unmount(readOnly);
            }
        }
    }

    @Test
    void storagePathHoldingSomethingElse() throws IOException {
        Path other = Files.createDirectories(this.dir.resolve("documents"));
        Files.writeString(other.resolve("notes.txt"), "not a store");
        assertFailure(this.withModel.withPropertyValues("crvecdb.storage.path=" + other), "crvecdb.storage.path",
                "holds files but no crvecdb store", "Point crvecdb.storage.path at an empty or new directory");
    }

    @Test
    void storeThatCannotBeRead() throws IOException {
        Path store = this.dir.resolve("store");
        VectorIndex.builder().dimensions(24).storage(store).build().close();
        try (var files = Files.list(store)) {
            Path data = files.filter(file -> file.getFileName().toString().matches("data-\\d+\\.crv")).findFirst()
                .orElseThrow();
            Files.write(data, new byte[64]); // zeros over the header
        }
        assertFailure(this.withModel.withPropertyValues("crvecdb.storage.path=" + store), "crvecdb.storage.path",
                "holds a store that cannot be opened", "Restore the directory from a backup");
    }

    @Test
    void storeOpenElsewhere() {
        Path store = this.dir.resolve("store");
        VectorIndex other = VectorIndex.builder().dimensions(24).storage(store).build();
        try {
            assertFailure(this.withModel.withPropertyValues("crvecdb.storage.path=" + store), "crvecdb.storage.path",
                    "is open in another process", "give this application its own crvecdb.storage.path");
        }
        finally {
            other.close();
        }
    }

    @Test
    void settingsDisagreeingWithAnExistingStore() {
        Path store = this.dir.resolve("store");
        this.withModel.withPropertyValues("crvecdb.storage.path=" + store, "crvecdb.metric=l2", "crvecdb.m=10")
            .run(context -> assertThat(context).hasNotFailed());
        assertFailure(this.withModel.withPropertyValues("crvecdb.storage.path=" + store, "crvecdb.m=16"), "crvecdb.m",
                "is 16 but the store at " + store + " was created with 10", "Remove crvecdb.m");
        assertFailure(this.withModel.withPropertyValues("crvecdb.storage.path=" + store, "crvecdb.metric=cosine"),
                "crvecdb.metric", "was created with L2", "Remove crvecdb.metric");
        assertFailure(this.runner.withPropertyValues("crvecdb.storage.path=" + store, "crvecdb.dimensions=32"),
                "crvecdb.dimensions", "is 32 but the store at " + store + " holds 24-dimensional vectors",
                "point crvecdb.storage.path at a new directory");
        assertFailure(this.runner.withBean(EmbeddingModel.class, () -> new WordEmbeddingModel(32))
            .withPropertyValues("crvecdb.storage.path=" + store), "crvecdb.dimensions",
                "EmbeddingModel produces 32-dimensional embeddings but the store at " + store + " holds 24",
                "Use the embedding model the store was built with");
    }

    /** The context fails, and the failure analyzer's report names the property, the problem and the fix. */
    private static void assertFailure(ApplicationContextRunner runner, String property, String problem, String action) {
        runner.run((AssertableApplicationContext context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new CrvecdbFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).as("a crvecdb failure analysis of %s", context.getStartupFailure()).isNotNull();
            assertThat(analysis.getDescription()).startsWith("Invalid crvecdb configuration: " + property)
                .contains(problem);
            assertThat(analysis.getAction()).contains(action);
        });
    }

}
