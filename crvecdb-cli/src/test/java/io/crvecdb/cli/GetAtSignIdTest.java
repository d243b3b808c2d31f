package io.crvecdb.cli;

import io.crvecdb.VectorIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An id that starts with '@' (a handle, an npm scope) is an id, not the name of a file of arguments. */
class GetAtSignIdTest {

    @TempDir
    Path dir;

    @Test
    void idsStartingWithAnAtSignAreLookedUpAsTyped() throws IOException {
        Path store = dir.resolve("store");
        String handle = "@" + dir.resolve("alice");   // an existing file of that name
        String folder = "@" + dir.resolve("team");    // an existing directory of that name
        try (VectorIndex index = VectorIndex.builder().dimensions(2).storage(store).build()) {
            index.add(handle, new float[] {1, 2});
            index.add(folder, new float[] {5, 6});
            index.add("secret", new float[] {3, 4});
        }
        Files.writeString(dir.resolve("alice"), "secret\n");
        Files.createDirectories(dir.resolve("team"));

        Cli get = Cli.run("get", store.toString(), handle);
        assertThat(get.exitCode()).as(get.err()).isZero();
        List<Map<String, Object>> lines = get.jsonLines();
        assertThat(lines).singleElement().satisfies(line -> assertThat(line).containsEntry("id", handle)
                .containsEntry("found", true).containsEntry("vector", List.of(1.0, 2.0)));

        Cli dirId = Cli.run("get", store.toString(), folder);
        assertThat(dirId.err()).doesNotContain("Exception");
        assertThat(dirId.exitCode()).as(dirId.err()).isZero();
        assertThat(dirId.jsonLines()).singleElement().satisfies(line -> assertThat(line).containsEntry("id", folder)
                .containsEntry("found", true));
    }
}
