package io.crvecdb.cli;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs the command in-process and captures what it writes. */
record Cli(int exitCode, String out, String err) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = CrvecdbCommand.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(exitCode, out.toString(), err.toString());
    }

    /** Every stdout line, parsed as a JSON object (fails on anything that is not one). */
    List<Map<String, Object>> jsonLines() {
        return out.lines().map(Cli::parse).toList();
    }

    static Map<String, Object> parse(String line) {
        return JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() { });
    }
}
