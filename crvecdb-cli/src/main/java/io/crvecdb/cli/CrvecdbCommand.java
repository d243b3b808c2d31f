package io.crvecdb.cli;

import io.crvecdb.storage.StoreCorruptedException;
import io.crvecdb.storage.StoreFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The {@code crvecdb} command. Each subcommand is one class, listed in {@code subcommands}. This
 * class is not runnable itself, so picocli reports a missing subcommand as bad input.
 */
@Command(name = "crvecdb", mixinStandardHelpOptions = true, versionProvider = CrvecdbCommand.Version.class,
        description = "crvecdb, an embedded HNSW vector database for Java: command-line tools.",
        subcommands = {BenchCommand.class, ImportCommand.class, InfoCommand.class, CheckCommand.class,
                CompactCommand.class, GetCommand.class})
public final class CrvecdbCommand {

    private static final String VERSION = readVersion();

    public static void main(String[] args) {
        // UTF-8 whatever the locale: under LANG=C the platform's encoding would print JSON's
        // non-ASCII text as '?'.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(undecodedArgument(args, System.getProperty("sun.jnu.encoding", "UTF-8"), err)
                ? CommandLine.ExitCode.USAGE : execute(out, err, args));
    }

    /**
     * Whether the JVM lost bytes of an argument decoding it in the locale's charset (ASCII under
     * LC_ALL=C turns each other byte into U+FFFD): {@code get} would then look up an id no record
     * has, and answer "not found" for one that is there. bin/crvecdb runs under a UTF-8 locale.
     */
    static boolean undecodedArgument(String[] args, String charset, PrintWriter err) {
        for (String arg : args) {
            if (arg.indexOf('\uFFFD') >= 0 && !charset.equalsIgnoreCase("UTF-8")) {
                err.println("crvecdb: the argument '" + arg + "' holds characters that the locale's charset ("
                        + charset + ") cannot decode; run under a UTF-8 locale, e.g. LC_ALL=C.UTF-8 (bin/crvecdb does)");
                return true;
            }
        }
        return false;
    }

    /**
     * Runs a command line. Bad input is one line on {@code err} and exit code 2; a failure while
     * running (missing files, unreadable data) is one line and exit code 1; never a stack trace.
     */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new CrvecdbCommand()).setOut(out).setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true) // --durability sync, --quantization int8
                // An argument is what was typed: picocli would replace "@name" (a record id such as a
                // handle) by the contents of a file of that name, or fail on a directory of that name.
                .setExpandAtFiles(false);
        commandLine.setParameterExceptionHandler((e, unused) -> {
            CommandLine command = e.getCommandLine();
            String name = command.getCommandSpec().qualifiedName();
            command.getErr().println(name + ": " + e.getMessage() + dashHint(e, args) + " (see '" + name + " --help')");
            return command.getCommandSpec().exitCodeOnInvalidInput();
        });
        commandLine.setExecutionExceptionHandler((e, command, unused) -> {
            command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + describe(e));
            return command.getCommandSpec().exitCodeOnExecutionException();
        });
        try {
            return commandLine.execute(args);
        } catch (OutOfMemoryError e) {
            // Errors pass picocli's handlers; the data a command reads (or the index it builds) outgrew the heap.
            err.println("crvecdb: out of memory (" + e.getMessage() + "): give the JVM more heap, e.g. "
                    + "CRVECDB_JVM_OPTS=-Xmx16g");
            return 1;
        }
    }

    /**
     * picocli reads an argument that starts with '-' as an option, so an id such as "-x" comes out
     * as a missing or unknown argument: say where such an argument goes (found by a review).
     */
    private static String dashHint(CommandLine.ParameterException e, String[] args) {
        if (!(e instanceof CommandLine.MissingParameterException || e instanceof CommandLine.UnmatchedArgumentException)
                || Arrays.asList(args).contains("--")) {
            return "";
        }
        // A "--word" is more likely a mistyped option than an id.
        List<String> dashed = Arrays.stream(args).filter(arg -> arg.startsWith("-") && !arg.startsWith("--")
                && arg.length() > 1 && !e.getCommandLine().getCommandSpec().optionsMap().containsKey(arg)).toList();
        if (dashed.isEmpty()) {
            return "";
        }
        List<String> rest = Arrays.stream(args).filter(arg -> !dashed.contains(arg)).toList();
        return "; an argument that starts with '-' goes after '--', e.g. 'crvecdb " + String.join(" ", rest) + " -- "
                + String.join(" ", dashed) + "'";
    }

    /** The message alone for the failures users cause; the exception's type too for anything else. */
    private static String describe(Exception e) {
        Throwable cause = e instanceof UncheckedIOException && e.getCause() instanceof NoSuchFileException ? e.getCause() : e;
        if (cause instanceof NoSuchFileException missing) {
            return "no such file: " + missing.getFile();
        }
        // Bad settings, I/O problems, a locked or damaged store: the message says it all.
        boolean expected = cause instanceof IllegalArgumentException || cause instanceof IOException
                || cause instanceof IllegalStateException || cause instanceof StoreCorruptedException
                || cause instanceof StoreFormatException || cause instanceof UncheckedIOException;
        return expected && cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    /** The project version this jar was built from. */
    static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = CrvecdbCommand.class.getResourceAsStream("/crvecdb-cli.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"crvecdb " + version(), "java " + Runtime.version()};
        }
    }
}
