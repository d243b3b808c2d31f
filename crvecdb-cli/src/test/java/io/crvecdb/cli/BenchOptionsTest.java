package io.crvecdb.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    private static BenchCommand parse(String... args) {
        BenchCommand bench = new BenchCommand();
        new CommandLine(bench).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args); // as CrvecdbCommand.execute does
        return bench;
    }

    @Test
    void defaultsAreThoseOfThePeerRunners() {
        BenchCommand bench = parse("--data", "some/dir");

        assertThat(bench.data).isEqualTo(Path.of("some/dir"));
        assertThat(bench.m).isEqualTo(16);
        assertThat(bench.efConstruction).isEqualTo(200);
        assertThat(bench.efSearch).containsExactly(10, 20, 40, 80, 160, 320);
        assertThat(bench.k).isEqualTo(10);
        assertThat(bench.threads).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(bench.limit).isNull();
        assertThat(bench.queries).isNull();
        assertThat(bench.runs).isEqualTo(3);
    }

    @Test
    void takesEveryOptionOfTheContract() {
        BenchCommand bench = parse("--data", "d", "--m", "8", "--ef-construction", "64", "--ef-search", "5,50",
                "--k", "20", "--threads", "3", "--limit", "1000", "--queries", "100", "--runs", "5");

        assertThat(bench.m).isEqualTo(8);
        assertThat(bench.efConstruction).isEqualTo(64);
        assertThat(bench.efSearch).containsExactly(5, 50);
        assertThat(bench.k).isEqualTo(20);
        assertThat(bench.threads).isEqualTo(3);
        assertThat(bench.limit).isEqualTo(1000);
        assertThat(bench.queries).isEqualTo(100);
        assertThat(bench.runs).isEqualTo(5);
    }

    @Test
    void efSearchDefaultMeansTheIndexDefault() {
        BenchCommand bench = parse("--data", "d", "--ef-search", "10, default,40");

        assertThat(bench.efSearch).containsExactly(10, EfSearchValue.INDEX_DEFAULT, 40);
        assertThat(BenchCommand.resolve(bench.efSearch, 100)).containsExactly(10, 100, 40);
        assertThat(BenchCommand.resolve(parse("--data", "d", "--ef-search", "default").efSearch, 64)).containsExactly(64);
    }

    @Test
    void rejectsEfValuesThatAreNotPositiveIntegersOrDefault() {
        for (String bad : new String[] {"0", "-5", "ten", "10,x", "10,,20", "1.5"}) {
            assertThatThrownBy(() -> parse("--data", "d", "--ef-search", bad)).as(bad)
                    .isInstanceOf(CommandLine.ParameterException.class)
                    .hasMessageContaining("--ef-search")
                    .hasMessageContaining("is neither a positive integer nor 'default'");
        }
    }

    @Test
    void rejectsCountsThatAreNotPositive() {
        for (String option : new String[] {"--m", "--ef-construction", "--k", "--threads", "--limit", "--queries", "--runs"}) {
            for (String bad : new String[] {"0", "-1", "many", "99999999999"}) {
                assertThatThrownBy(() -> parse("--data", "d", option, bad)).as(option + " " + bad)
                        .isInstanceOf(CommandLine.ParameterException.class)
                        .hasMessageContaining("'" + bad + "' is not a positive integer");
            }
        }
    }

    @Test
    void requiresTheDataDirectory() {
        assertThatThrownBy(() -> parse("--k", "5"))
                .isInstanceOf(CommandLine.MissingParameterException.class)
                .hasMessageContaining("--data");
    }
    @Test
    void threadsBeyondWhatAMachineRunsAreBadInput() {
        assertThat(parse("--data", "d", "--threads", "4096").threads).isEqualTo(4096);
        assertThatThrownBy(() -> parse("--data", "d", "--threads", "2147483647"))
            .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("give 1 to 4096");
        assertThat(Cli.run("import", "store", "--data", "d", "--threads", "5000").exitCode()).isEqualTo(2);
    }

    /**
     * An --m or --ef-construction the index refuses is a bad option (exit 2), told before the
     * dataset is loaded: it was exit 1, after reading every vector and computing a subset's truth.
     */
    @Test
    void settingsTheIndexRefusesAreBadInputBeforeTheDatasetIsRead(@TempDir Path dir) throws IOException {
        TestDatasets.write(dir, "l2", 300, 5, 8, 1);
        for (String[] bad : new String[][] {{"--m", "1"}, {"--m", "513"}}) {
            Cli bench = Cli.run("bench", "--data", dir.toString(), "--limit", "200", "--ef-search", "10", "--runs", "1",
                    bad[0], bad[1]);
            assertThat(bench.exitCode()).as(bench.err()).isEqualTo(2);
            assertThat(bench.out()).isEmpty();
            assertThat(bench.err().lines()).singleElement().asString().startsWith("crvecdb bench: ").contains("m must be");
            assertThat(GroundTruth.subsetFile(dir, 200)).as("truth computed for a run refused").doesNotExist();
        }
    }

    /**
     * --storage naming a directory that holds other files (here the dataset's own), or a file, is a
     * bad option, told before the dataset is loaded; it was exit 1 once every vector was read.
     */
    @Test
    void aStoragePathHoldingOtherFilesIsBadInputBeforeTheDatasetIsRead(@TempDir Path dir) throws IOException {
        TestDatasets.write(dir, "l2", 300, 5, 8, 1);

        Cli bench = Cli.run("bench", "--data", dir.toString(), "--storage", dir.toString(), "--limit", "200",
                "--ef-search", "10", "--runs", "1");

        assertThat(bench.exitCode()).as(bench.err()).isEqualTo(2);
        assertThat(bench.out()).isEmpty();
        assertThat(bench.err().lines()).singleElement().asString().startsWith("crvecdb bench: " + dir)
                .contains("empty");
        assertThat(GroundTruth.subsetFile(dir, 200)).as("truth computed for a run refused").doesNotExist();

        Path file = dir.resolve("meta.json");
        Cli onAFile = Cli.run("bench", "--data", dir.toString(), "--storage", file.toString(), "--limit", "200",
                "--ef-search", "10", "--runs", "1");
        assertThat(onAFile.exitCode()).as(onAFile.err()).isEqualTo(2);
        assertThat(onAFile.err().lines()).singleElement().asString().startsWith("crvecdb bench: " + file + " is a file");
        assertThat(GroundTruth.subsetFile(dir, 200)).as("truth computed for a run refused").doesNotExist();
    }
}
