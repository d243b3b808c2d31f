package io.crvecdb.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The {@code crvecdb} command; each subcommand is one class. */
@Command(name = "crvecdb", mixinStandardHelpOptions = true, versionProvider = CrvecdbCommand.Version.class,
        description = "crvecdb, an embedded vector database: benchmarks and (with durable storage) operator tools.",
        subcommands = {BenchCommand.class})
public final class CrvecdbCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line; bad input gets one line on stderr and exit code 1 or 2, never a stack trace. */
    static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new CrvecdbCommand());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("crvecdb " + cmd.getCommandName() + ": " + message(e));
            return 1;
        });
        return commandLine.execute(args);
    }

    private static String message(Throwable e) {
        if (e instanceof UncheckedIOException io) {
            e = io.getCause();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** The version from the build. */
    static String version() {
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
            return new String[] {"crvecdb " + version()};
        }
    }
}
