package io.crvecdb.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line as a user meets it: help, version, and one clear line for every mistake. */
class CrvecdbCommandTest {

    @TempDir
    Path dir;

    @Test
    void helpListsTheBenchCommand() {
        Cli help = Cli.run("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: crvecdb").contains("bench");
        assertThat(Cli.run("bench", "--help").out()).contains("--data=DIR", "--ef-search", "--threads=T", "--limit=N");
    }

    @Test
    void versionIsTheProjectVersion() {
        Cli version = Cli.run("--version");

        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("crvecdb " + CrvecdbCommand.version());
        assertThat(CrvecdbCommand.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() {
        assertOneLineError(Cli.run(), 2, "crvecdb: Missing required subcommand");
        assertOneLineError(Cli.run("frobnicate"), 2, "crvecdb: Unmatched argument at index 0: 'frobnicate'");
        assertOneLineError(Cli.run("bench"), 2, "crvecdb bench: Missing required option: '--data=DIR'");
        assertOneLineError(Cli.run("bench", "--data", "d", "--k", "ten"), 2,
                "crvecdb bench: Invalid value for option '--k': 'ten' is not a positive integer");
        assertOneLineError(Cli.run("bench", "--data", "d", "--ef-search", "10,big"), 2,
                "crvecdb bench: Invalid value for option '--ef-search'");
        assertOneLineError(Cli.run("bench", "--data", "d", "--colour", "red"), 2, "crvecdb bench: Unknown option");
    }

    @Test
    void aDatasetThatCannotBeReadIsOneLineAndExitCodeOne() throws IOException {
        assertOneLineError(Cli.run("bench", "--data", dir.resolve("nowhere").toString()), 1,
                "crvecdb bench: --data " + dir.resolve("nowhere") + " is not a directory");

        assertOneLineError(Cli.run("bench", "--data", dir.toString()), 1,
                "crvecdb bench: no meta.json in " + dir + ": is it a dataset directory?");

        Files.writeString(dir.resolve("meta.json"), "{\"metric\": \"hamming\"}");
        assertOneLineError(Cli.run("bench", "--data", dir.toString()), 1, "crvecdb bench: metric 'hamming'");

        Files.writeString(dir.resolve("meta.json"), "{\"metric\": \"l2\"}");
        assertOneLineError(Cli.run("bench", "--data", dir.toString()), 1,
                "crvecdb bench: missing " + dir.resolve("base.fvecs"));

        Files.write(dir.resolve("base.fvecs"), new byte[] {16, 0, 0, 0, 1, 2, 3});
        Files.write(dir.resolve("query.fvecs"), new byte[] {16, 0, 0, 0, 1, 2, 3});
        assertOneLineError(Cli.run("bench", "--data", dir.toString()), 1, "crvecdb bench: " + dir.resolve("base.fvecs"));
    }

    @Test
    void aMissingTruthFileIsNamed() throws IOException {
        TestDatasets.write(dir, "l2", 50, 5, 4, 1);
        Files.delete(dir.resolve("groundtruth.ivecs"));

        assertOneLineError(Cli.run("bench", "--data", dir.toString()), 1,
                "crvecdb bench: missing " + dir.resolve("groundtruth.ivecs"));
    }

    private static void assertOneLineError(Cli cli, int exitCode, String start) {
        assertThat(cli.exitCode()).as(cli.err()).isEqualTo(exitCode);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err().lines()).as(cli.err()).singleElement().asString().startsWith(start)
                .doesNotContain("Exception");
    }
}
