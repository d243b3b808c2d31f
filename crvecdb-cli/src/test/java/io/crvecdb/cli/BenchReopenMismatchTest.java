package io.crvecdb.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** bench --reopen on a store of another size than the dataset: the refusal names both sizes. */
class BenchReopenMismatchTest {

    @TempDir
    Path dir;

    @Test
    void reopeningAStoreOfAnotherSizeSaysSo() throws IOException {
        Path data = dir.resolve("data");
        TestDatasets.write(data, "l2", 200, 5, 8, 1);
        Path store = dir.resolve("store");
        Cli imported = Cli.run("import", store.toString(), "--data", data.toString(), "--limit", "120");
        assertThat(imported.exitCode()).as(imported.err()).isZero();

        Cli bench = Cli.run("bench", "--data", data.toString(), "--storage", store.toString(), "--reopen",
                "--ef-search", "10", "--runs", "1", "--threads", "1");

        assertThat(bench.exitCode()).isNotZero();
        assertThat(bench.out()).isEmpty();
        assertThat(bench.err().strip()).startsWith("crvecdb bench: the store at " + store)
                .contains("holds 120 vectors of 8 dimensions, the dataset 200 of 8");
    }
}
