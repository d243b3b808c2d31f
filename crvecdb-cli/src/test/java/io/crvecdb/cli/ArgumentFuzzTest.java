package io.crvecdb.cli;

import io.crvecdb.VectorIndex;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random command lines built from the command's own subcommands and options, a real store and
 * dataset, broken paths, and hostile values (overflowing, negative, huge, empty, not numbers): every one ends in
 * exit 0, or in one line on stderr that names the problem (no stack trace, no exception's class)
 * and exit 1 or 2; and the store they point at keeps exactly its records.
 */
class ArgumentFuzzTest {

    private static final int RECORDS = 300;
    private static Path dir;
    private static Path store;
    private static Path data;
    private static Map<String, float[]> stored;

    @BeforeContainer
    static void createStore() throws IOException {
        dir = Files.createTempDirectory("crvecdb-fuzz");
        data = dir.resolve("data");
        TestDatasets.write(data, "l2", RECORDS, 10, 8, 3);
        store = dir.resolve("store");
        assertThat(Cli.run("import", store.toString(), "--data", data.toString()).exitCode()).isZero();
        stored = records(store);
        assertThat(stored).hasSize(RECORDS);
    }

    @AfterContainer
    static void deleteFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static Map<String, float[]> records(Path path) {
        Map<String, float[]> records = new TreeMap<>();
        try (VectorIndex index = VectorIndex.open(path)) {
            index.forEach(record -> records.put(record.id(), record.vector()));
        }
        return records;
    }

    @Property(tries = 400, seed = "20261125")
    void everyCommandLineEndsInAResultOrOneClearLine(@ForAll("commandLines") List<String> args) {
        Cli cli = Cli.run(args.toArray(String[]::new));
        String command = String.join(" ", args);
        Statistics.collect(args.getFirst(), "exit " + cli.exitCode());
        assertThat(cli.exitCode()).as("exit code of '%s'", command).isBetween(0, 2);
        if (cli.exitCode() != 0) {
            assertThat(cli.err().lines()).as("stderr of '%s'", command).hasSize(1).allSatisfy(line -> assertThat(line)
                    .startsWith("crvecdb").doesNotContain("Exception").doesNotContain("Error").doesNotContain("\tat "));
        }
        Map<String, float[]> after = records(store);
        assertThat(after.keySet()).as("ids stored after '%s'", command).isEqualTo(stored.keySet());
        after.forEach((id, vector) -> assertThat(vector).as("vector of %s after '%s'", id, command)
                .containsExactly(stored.get(id)));
    }

    /**
     * A subcommand, positional arguments, and options of that subcommand each with a value (or, now
     * and then, any token at all). The only dataset is the one the store holds, so an import that
     * succeeds rewrites identical records; {@code --runs} is left out, as a huge run count is a
     * legitimately endless benchmark.
     */
    @Provide
    Arbitrary<List<String>> commandLines() {
        List<String> values = new ArrayList<>(List.of("", " ", "0", "-1", "1", "2", "3", "007", "2147483647", "2147483648",
                "-2147483649", "99999999999999999999", "1.5", "NaN", "1e309", "0x10", "10,,20", "20,10,0", "abc", "l2",
                "cosine", "dot", "int8", "none", "sync", "interval", "INT8", "ü", "%s%n", "x".repeat(5000), "7", "missing",
                "--help", "-V", "--", "-"));
        values.addAll(List.of(data.toString(), data.toString(), data.resolve("base.fvecs").toString(),
                data.resolve("meta.json").toString(), dir.resolve("missing").toString(), dir.toString(), "/dev/null",
                "/proc", "/"));
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(values)),
                Tuple.of(2, Arbitraries.just(store.toString())),
                Tuple.of(1, Arbitraries.integers().between(0, 1_000_000).map(i -> dir.resolve("new-" + i).toString())));
        CommandLine root = new CommandLine(new CrvecdbCommand());
        Map<String, CommandLine> subcommands = root.getSubcommands();
        return Arbitraries.of(subcommands.keySet()).flatMap(name -> {
            List<OptionSpec> options = subcommands.get(name).getCommandSpec().options().stream()
                    .filter(option -> !option.longestName().equals("--runs")).toList();
            Arbitrary<List<String>> option = Arbitraries.of(options).flatMap(spec -> spec.arity().max() == 0
                    ? Arbitraries.just(List.of(spec.longestName()))
                    : value.map(v -> List.of(spec.longestName(), v)));
            Arbitrary<List<String>> part = Arbitraries.frequencyOf(
                    Tuple.of(6, option),
                    Tuple.of(3, value.map(List::of)),
                    Tuple.of(1, Arbitraries.of(subcommands.keySet()).map(List::of)));
            return part.list().ofMaxSize(6).map(parts -> {
                List<String> args = new ArrayList<>(List.of(name));
                parts.forEach(args::addAll);
                return args;
            });
        });
    }
}
