package io.crvecdb.cli;

import io.crvecdb.VectorIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code crvecdb info PATH}: what a store holds, its settings and its files. */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = CrvecdbCommand.Version.class,
        description = "Shows a store's record count, deleted ratio, settings and files.")
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "Store directory.")
    Path path;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        Map<String, Object> info = new LinkedHashMap<>();
        try (VectorIndex index = Stores.openReadOnly(spec, path)) {
            int live = index.size();
            int deleted = index.deletedCount();
            info.put("path", path.toString());
            info.put("records", live);
            info.put("deleted", deleted);
            info.put("deleted_ratio", live + deleted == 0 ? 0.0 : Stats.round((double) deleted / (live + deleted), 4));
            info.put("dimensions", index.dimensions());
            info.put("metric", index.metric().configName());
            info.put("m", index.m());
            info.put("ef_construction", index.efConstruction());
            info.put("ef_search", index.efSearch());
            info.put("quantization", index.quantization().name().toLowerCase(Locale.ROOT));
        }
        Map<String, Long> files = Stores.files(path);
        info.put("files", files);
        info.put("total_bytes", files.values().stream().mapToLong(Long::longValue).sum());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.line(info));
        } else {
            info.forEach((key, value) -> {
                if (value instanceof Map<?, ?> sizes) {
                    out.println("files");
                    sizes.forEach((name, bytes) -> out.printf("  %-16s %s%n", name, Stores.humanBytes((Long) bytes)));
                } else if (key.equals("total_bytes")) {
                    out.printf("%-16s %s%n", "total", Stores.humanBytes((Long) value));
                } else {
                    out.printf("%-16s %s%n", key.replace('_', ' '), value);
                }
            });
        }
        out.flush();
        return 0;
    }
}
