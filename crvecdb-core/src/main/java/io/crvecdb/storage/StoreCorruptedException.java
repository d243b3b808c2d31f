package io.crvecdb.storage;

import java.nio.file.Path;

/**
 * A store file failed a check (magic number, checksum, length or a structural invariant): its
 * content is not what crvecdb wrote. Nothing is repaired silently; restore the directory from a
 * backup, or rebuild it from the source data.
 */
public class StoreCorruptedException extends RuntimeException {

    private final Path file;
    private final long offset;

    public StoreCorruptedException(Path file, long offset, String problem) {
        super(file + " is corrupted at byte " + offset + ": " + problem
                + "; restore the store from a backup or rebuild it from the source data");
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** Where in the file the damage was found. */
    public long offset() {
        return offset;
    }
}
