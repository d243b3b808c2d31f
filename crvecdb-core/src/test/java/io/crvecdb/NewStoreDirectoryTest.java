package io.crvecdb;

import io.crvecdb.storage.StoreIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A store's new directories are durable in their parents before anything is acknowledged in them. */
class NewStoreDirectoryTest {

    @TempDir
    Path dir;

    /** The file system, recording which directories were synced. */
    private static final class RecordingIO implements StoreIO {
        final List<Path> synced = new ArrayList<>();

        @Override
        public void syncDirectory(Path directory) throws IOException {
            synced.add(directory);
            StoreIO.DEFAULT.syncDirectory(directory);
        }
    }

    private static VectorIndex open(Path storage, StoreIO io) {
        VectorIndex.Builder builder = VectorIndex.builder().dimensions(2).storage(storage);
        builder.io = io;
        return builder.build();
    }

    @Test
    void eachCreatedDirectoryIsSyncedIntoItsParent() {
        Path storage = dir.resolve("a").resolve("b").resolve("store");
        RecordingIO io = new RecordingIO();
        try (VectorIndex index = open(storage, io)) {
            index.add("x", new float[] {1, 2});
        }
        assertThat(io.synced).as("directories synced, in order")
            .startsWith(dir.resolve("a").resolve("b"), dir.resolve("a"), dir);
    }

    @Test
    void anExistingStoreDirectoryIsNotSyncedIntoItsParent() {
        Path storage = dir.resolve("store");
        try (VectorIndex index = open(storage, StoreIO.DEFAULT)) {
            index.add("x", new float[] {1, 2});
        }
        RecordingIO io = new RecordingIO();
        try (VectorIndex index = open(storage, io)) {
            index.add("y", new float[] {3, 4});
        }
        assertThat(io.synced).doesNotContain(dir);
    }
}
