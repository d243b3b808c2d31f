package io.crvecdb.storage;

import java.nio.file.Path;

/** A store file was written in a format version this crvecdb does not read. */
public class StoreFormatException extends RuntimeException {

    public StoreFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
