package io.crvecdb.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The directory of a durable index: its exclusive lock, and its files by generation. A checkpoint
 * writes the data file of the next generation under a temporary name, syncs it, renames it into
 * place and syncs the directory: the newest {@code data-N.crv} is the store's committed state,
 * and {@code wal-N.log} holds what was written since. Older generations are garbage.
 */
public final class StoreDirectory implements AutoCloseable {

    /** Generations are longs: up to 18 digits, so a stray name with more is not taken for ours. */
    private static final Pattern DATA = Pattern.compile("data-(\\d{1,18})\\.crv");
    private static final Pattern GENERATION_FILE = Pattern.compile("(data|wal)-(\\d{1,18})\\.(crv|log)");
    /** What a checkpoint or compaction writes before renaming it into place. */
    private static final Pattern TEMPORARY = Pattern.compile("data-\\d{1,18}\\.crv\\.tmp");
    static final String LOCK_FILE = "LOCK";
    /**
     * The stores this JVM holds, each by one lock: a writer's, or the shared one of its readers.
     * File locks belong to the process, and closing any channel on the lock file releases them all:
     * a second writer in this JVM must be refused before it opens one, and a second reader shares
     * the first one's lock. Guarded by the class.
     */
    private static final Map<Path, Hold> HELD = new HashMap<>();
    /**
     * Channels of opens refused because this JVM already locks the file by another way the map
     * above does not see (another class loader's copy of crvecdb, a bind mount). They stay open:
     * closing one, even by its collection, would release the other holder's lock.
     */
    private static final Set<FileChannel> REFUSED = ConcurrentHashMap.newKeySet();

    /**
     * One lock of this JVM on a store, and how many open directories use it (readers share it).
     * Channel and lock are null for a store read from read-only media without a lock file.
     */
    private static final class Hold {
        final boolean shared;
        final FileChannel channel;
        final FileLock lock;
        int users = 1;

        Hold(boolean shared, FileChannel channel, FileLock lock) {
            this.shared = shared;
            this.channel = channel;
            this.lock = lock;
        }
    }

    private final Path path;
    private final Path held;
    private final StoreIO io;
    private final Hold hold;
    private boolean closed;

    private StoreDirectory(Path path, Path held, StoreIO io, Hold hold) {
        this.path = path;
        this.held = held;
        this.io = io;
        this.hold = hold;
    }

    /**
     * Creates the directory if needed and takes its exclusive lock.
     *
     * @throws IllegalArgumentException if the path is a file or not writable
     * @throws IllegalStateException    if another process (or another index in this one) holds the store
     */
    public static StoreDirectory lock(Path path, StoreIO io) {
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new IllegalArgumentException("storage path " + path + " is a file; give a directory (it is created if missing)");
        }
        createDurably(path.toAbsolutePath(), io);
        if (!Files.isWritable(path)) {
            throw new IllegalArgumentException("storage directory " + path + " is not writable; fix its permissions or choose another path");
        }
        return hold(path, io, false);
    }

    /**
     * Creates {@code directory} and any missing parents, and syncs the parent of each one created:
     * a new directory's name lives in its parent, and until that is on disk a power cut can lose the
     * whole store, even writes already synced inside it.
     */
    private static void createDurably(Path directory, StoreIO io) {
        Path firstMissing = null;
        for (Path ancestor = directory; ancestor != null && !Files.exists(ancestor); ancestor = ancestor.getParent()) {
            firstMissing = ancestor;
        }
        if (firstMissing == null) {
            return;
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create the storage directory " + directory + ": " + e, e);
        }
        for (Path created = directory; ; created = created.getParent()) {
            try {
                io.syncDirectory(created.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot sync " + created.getParent() + " after creating "
                        + created.getFileName() + " in it: " + e.getMessage(), e);
            }
            if (created.equals(firstMissing)) {
                return;
            }
        }
    }

    /**
     * Takes a shared lock on an existing store for reading only: refused while a writer holds it,
     * and keeps writers out meanwhile. Writes nothing but a missing lock file, so it works on a
     * read-only copy; where that file is missing and cannot be created (read-only media), no writer
     * can open the store either, and it goes without. Readers in this JVM share one lock.
     *
     * @throws IllegalStateException if a writer (in another process, or another index in this one) holds the store
     */
    public static StoreDirectory lockForReading(Path path, StoreIO io) {
        return hold(path, io, true);
    }

    private static StoreDirectory hold(Path path, StoreIO io, boolean shared) {
        Path held;
        try {
            held = path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve the storage directory " + path + ": " + e.getMessage(), e);
        }
        synchronized (StoreDirectory.class) {
            Hold hold = HELD.get(held);
            if (hold != null) {
                if (!shared || !hold.shared) {
                    throw heldElsewhere(path);
                }
                hold.users++;
            } else {
                hold = lockFile(path, io, shared);
                HELD.put(held, hold);
            }
            return new StoreDirectory(path, held, io, hold);
        }
    }

    private static Hold lockFile(Path path, StoreIO io, boolean shared) {
        Path lockFile = path.resolve(LOCK_FILE);
        if (shared && !Files.exists(lockFile) && !Files.isWritable(path)) {
            return new Hold(true, null, null);
        }
        FileChannel channel;
        try {
            channel = shared && Files.exists(lockFile) ? io.open(lockFile, StandardOpenOption.READ)
                    : io.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the lock file of " + path + ": " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock(0, Long.MAX_VALUE, shared);
        } catch (OverlappingFileLockException e) {
            REFUSED.add(channel);
            throw heldElsewhere(path);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + path + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw heldElsewhere(path);
        }
        return new Hold(shared, channel, lock);
    }

    private static IllegalStateException heldElsewhere(Path path) {
        return new IllegalStateException("the store " + path + " is open in another process, or in another index of "
                + "this one; one writer per store: close the other one first");
    }

    public Path path() {
        return path;
    }

    /** How this store touches its files. */
    public StoreIO io() {
        return io;
    }

    /** Whether {@code directory} holds a committed data file; reads without taking the lock. */
    public static boolean holdsStore(Path directory) {
        return newestGeneration(directory) >= 0;
    }

    /** The newest committed generation, if the directory holds a store. */
    public OptionalLong currentGeneration() {
        long newest = newestGeneration(path);
        return newest < 0 ? OptionalLong.empty() : OptionalLong.of(newest);
    }

    private static long newestGeneration(Path path) {
        if (!Files.isDirectory(path)) {
            return -1;
        }
        return dataFiles(path).values().stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    /** The committed data files in {@code path}, each with its generation. */
    private static Map<Path, Long> dataFiles(Path path) {
        Map<Path, Long> found = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path)) {
            for (Path file : files) {
                Matcher matcher = DATA.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    found.put(file, Long.parseLong(matcher.group(1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
        }
        return found;
    }

    /**
     * Whether the directory holds nothing but our lock file and our temporary files (what a crash
     * while creating the store leaves).
     */
    public static boolean isEmptyIgnoringTemporaries(Path path) {
        if (!Files.isDirectory(path)) {
            return true;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!name.equals(LOCK_FILE) && !TEMPORARY.matcher(name).matches()) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
        }
    }

    /** The data files of generations other than {@code generation}: garbage of earlier ones, or strays. */
    public List<Path> dataFilesExcept(long generation) {
        List<Path> others = new ArrayList<>();
        dataFiles(path).forEach((file, fileGeneration) -> {
            if (fileGeneration != generation) {
                others.add(file);
            }
        });
        return others;
    }

    public static String dataFileName(long generation) {
        return "data-" + generation + ".crv";
    }

    public Path dataFile(long generation) {
        return path.resolve(dataFileName(generation));
    }

    /** Renames a fully written and synced temporary file into place, then syncs the directory. */
    public void commit(Path temporary, Path target) {
        try {
            // A commit repeated after its rename (its directory sync was interrupted) only syncs.
            if (Files.exists(temporary) || !Files.exists(target)) {
                io.move(temporary, target);
            }
            io.syncDirectory(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + temporary + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deletes leftovers: temporary files and the files of generations other than {@code current}. */
    public void deleteGarbage(long current) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher matcher = GENERATION_FILE.matcher(name);
                boolean stale = matcher.matches() && Long.parseLong(matcher.group(2)) != current;
                if (stale || TEMPORARY.matcher(name).matches()) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up " + path + ": " + e.getMessage(), e);
        }
    }

    /** Bytes of all the store's files. */
    public long sizeOnDisk() {
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path)) {
            for (Path file : files) {
                try {
                    total += Files.size(file);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // renamed or deleted by a checkpoint since the listing: while one runs, the
                    // total is approximate
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
        }
        return total;
    }

    /** Releases the lock, once the last reader sharing it closes. */
    @Override
    public void close() {
        synchronized (StoreDirectory.class) {
            if (closed) {
                return;
            }
            closed = true;
            if (--hold.users > 0) {
                return;
            }
            HELD.remove(held);
            try {
                if (hold.lock != null) {
                    hold.lock.release();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release the lock of " + path + ": " + e.getMessage(), e);
            } finally {
                if (hold.channel != null) {
                    closeQuietly(hold.channel);
                }
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing after a failure: the original exception is what matters
        }
    }
}
