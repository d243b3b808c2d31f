package io.crvecdb.cli;

import io.crvecdb.VectorIndex;
import io.crvecdb.dataset.Texmex;
import io.crvecdb.testing.Tmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code crvecdb import} into a real full disk (a 3 MiB tmpfs mounted for the test; skipped with
 * the reason where mounting is impossible): one line saying the disk is full and exit 1; once
 * there is room, {@code check} passes, every acknowledged record is there, and the import resumes.
 */
class ImportDiskFullTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final Tmpfs disk = new Tmpfs("size=3m");

    @Test
    void aFullDiskIsOneClearLineAndTheImportResumesOnceThereIsRoom() throws IOException {
        Path data = dir.resolve("data");
        TestDatasets.write(data, "l2", 20_000, 5, 64, 11); // 5 MB of vectors: more than the disk holds
        Path store = disk.mountPoint().resolve("store");

        Cli full = Cli.run("import", store.toString(), "--data", data.toString(), "--batch", "500");
        assertThat(full.exitCode()).isEqualTo(1);
        // Progress lines, then the one error line.
        assertThat(full.err().lines().filter(line -> !line.startsWith("importing "))).hasSize(1).first().asString()
            .startsWith("crvecdb import: ").contains("No space left on device");
        int acked = full.out().lines().mapToInt(line -> Integer.parseInt(line.substring("acked ".length())))
            .max().orElse(0);
        assertThat(acked).as("some batches made it before the disk filled").isPositive().isLessThan(20_000);

        disk.remount("size=64m");
        Cli check = Cli.run("check", store.toString());
        assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
        float[][] base = Texmex.readFvecs(data.resolve("base.fvecs"));
        try (VectorIndex index = VectorIndex.open(store)) {
            for (int i = 0; i < acked; i++) {
                float[] expected = base[i];
                assertThat(index.get(Integer.toString(i))).as("acknowledged record %d", i)
                    .hasValueSatisfying(record -> assertThat(record.vector()).containsExactly(expected));
            }
        }
        Cli resumed = Cli.run("import", store.toString(), "--data", data.toString(), "--batch", "5000");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out().lines().toList()).last().isEqualTo("acked 20000");
    }
}
