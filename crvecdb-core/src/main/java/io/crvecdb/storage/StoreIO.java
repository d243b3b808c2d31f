package io.crvecdb.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Every way a store touches its files: opening channels (for reading, writing, syncing, locking
 * and mapping), atomic renames and directory syncs. The seam where tests inject failures, as
 * Lucene's MockDirectoryWrapper does; {@link #DEFAULT} is the real file system.
 */
public interface StoreIO {

    StoreIO DEFAULT = new StoreIO() {
    };

    default FileChannel open(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, options);
    }

    /** Renames {@code from} to {@code to} atomically, replacing {@code to}. */
    default void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Makes renames and creations in {@code directory} durable. */
    default void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
