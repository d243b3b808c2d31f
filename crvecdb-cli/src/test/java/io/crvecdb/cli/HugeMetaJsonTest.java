package io.crvecdb.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A meta.json of gigabytes (not a dataset's) is named, not reported as the JVM running out of heap. */
class HugeMetaJsonTest {

    @TempDir
    Path dir;

    @Test
    void aMetaJsonTooLargeToBeOneIsNamed() throws IOException {
        Path data = dir.resolve("data");
        TestDatasets.write(data, "l2", 50, 5, 4, 1);
        try (RandomAccessFile meta = new RandomAccessFile(data.resolve("meta.json").toFile(), "rw")) {
            meta.setLength(3L << 30); // sparse: takes no disk
        }
        for (List<String> args : List.of(List.of("import", dir.resolve("store").toString(), "--data", data.toString()),
                List.of("bench", "--data", data.toString(), "--runs", "1", "--ef-search", "10"))) {
            Cli cli = Cli.run(args.toArray(String[]::new));
            assertThat(cli.exitCode()).isEqualTo(1);
            assertThat(cli.err().strip()).as(String.join(" ", args)).doesNotContain("out of memory")
                    .doesNotContain("-Xmx").contains("meta.json");
        }
    }
}
