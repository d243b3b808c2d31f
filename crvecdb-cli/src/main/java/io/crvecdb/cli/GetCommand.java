package io.crvecdb.cli;

import io.crvecdb.VectorIndex;
import io.crvecdb.VectorRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code crvecdb get PATH ID…}: records as JSON lines. */
@Command(name = "get", mixinStandardHelpOptions = true, versionProvider = CrvecdbCommand.Version.class,
        description = "Prints the records with these ids, one JSON object per line: the vector, and the payload in "
                + "base64 (and as text when it is UTF-8).")
final class GetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "Store directory.")
    Path path;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "ID", description = "Record ids.")
    List<String> ids;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (VectorIndex index = Stores.openReadOnly(spec, path)) {
            for (String id : ids) {
                Optional<VectorRecord> record = id.isEmpty() ? Optional.empty() : index.get(id);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("id", id);
                line.put("found", record.isPresent());
                record.ifPresent(r -> {
                    line.put("vector", r.vector());
                    line.put("payload_base64", Base64.getEncoder().encodeToString(r.payload()));
                    utf8(r.payload()).ifPresent(text -> line.put("payload_text", text));
                });
                out.println(Json.line(line));
            }
        }
        out.flush();
        return 0;
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
