package io.crvecdb.cli;

import io.crvecdb.VectorIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store another process holds is bad input, exit code 2, whichever command is pointed at it (for
 * {@code check}, exit 1 means a damaged store).
 */
class HeldStoreExitCodeTest {

    @TempDir
    Path dir;

    @Test
    void everyCommandGivesTheSameExitCodeForAHeldStore() throws IOException {
        Path data = dir.resolve("data");
        TestDatasets.write(data, "l2", 200, 5, 8, 1);
        Path store = dir.resolve("store");
        assertThat(Cli.run("import", store.toString(), "--data", data.toString()).exitCode()).isZero();
        try (VectorIndex held = VectorIndex.open(store)) {
            for (List<String> args : List.of(List.of("info", store.toString()), List.of("check", store.toString()),
                    List.of("get", store.toString(), "1"), List.of("compact", store.toString()),
                    List.of("import", store.toString(), "--data", data.toString()),
                    List.of("bench", "--data", data.toString(), "--storage", store.toString(), "--reopen",
                            "--ef-search", "10", "--runs", "1", "--threads", "1"))) {
                Cli cli = Cli.run(args.toArray(String[]::new));
                assertThat(cli.err()).as(args.getFirst()).contains("is open in another process");
                assertThat(cli.exitCode()).as("exit code of %s on a held store", args.getFirst()).isEqualTo(2);
            }
            assertThat(held.size()).isEqualTo(200);
        }
    }
}
