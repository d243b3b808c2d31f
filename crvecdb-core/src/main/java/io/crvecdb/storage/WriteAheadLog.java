package io.crvecdb.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The write-ahead log of one store generation: records appended in order, each framed as
 * {@code [length][~length][crc32c(body)][body]}, after a header naming the generation.
 *
 * <p><b>Group commit.</b> {@link #append} writes a record to the file (the OS has it: a killed
 * process loses nothing) and returns its sequence number; {@link #sync} returns once that record
 * is on disk. Writers that sync at the same time share one {@code fsync}: the first to take the
 * sync lock forces everything appended so far, and the others find their record already durable.
 *
 * <p><b>Recovery.</b> {@link #replay} hands every intact record to a consumer. A damaged record
 * followed by nothing valid is a torn tail (its write never completed, so it was never
 * acknowledged) and is cut off; a damaged record followed by valid ones is corruption of
 * acknowledged data and an error naming the file and offset.
 */
public final class WriteAheadLog implements AutoCloseable {

    /** The file name of generation {@code g}'s log. */
    public static String fileName(long generation) {
        return "wal-" + generation + ".log";
    }

    static final long MAGIC = 0x4352_5657_414C_0001L; // "CRVWAL", 0, 1
    /**
     * Header {@code [magic][version][generation][storeId][crc32c]} since version 2; version 1,
     * still read, had no store id and its checksum after the generation.
     */
    static final int VERSION = 2;
    static final int HEADER_BYTES = 32;
    private static final int FRAME_BYTES = 12;
    /** Bounds a record's length so a damaged length field can never drive a huge allocation. */
    public static final int MAX_RECORD_BYTES = 256 << 20;

    /** Reopens of the channel one write or sync may make before it gives up (see {@link #onChannel}). */
    private static final int MAX_REOPENS = 100;

    private final Path file;
    private final StoreIO io;
    /** Replaced (under the append lock) when an interrupt closed it; see {@link #onChannel}. */
    private volatile FileChannel channel;
    private volatile boolean closing;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ReentrantLock syncLock = new ReentrantLock();
    private final CRC32C crc = new CRC32C();
    private long appended;
    /**
     * The first write or fsync that failed. After it nothing more is appended or acknowledged: a
     * record written after a torn one would make the log unreadable, and an fsync that succeeds
     * after a failed one may not cover pages the kernel dropped ("fsyncgate").
     */
    private volatile IOException failure;
    private volatile long appendedSeq;
    private volatile long syncedSeq;

    private WriteAheadLog(Path file, StoreIO io, FileChannel channel, long startSeq) {
        this.file = file;
        this.io = io;
        this.channel = channel;
        this.appendedSeq = startSeq;
        this.syncedSeq = startSeq;
    }

    /**
     * Creates an empty log for {@code generation} (replacing any file there) and makes it durable.
     *
     * @param startSeq the sequence number the first record follows (sequence numbers grow across generations)
     * @param storeId  the store's id (see {@link DataFile.Header#storeId()}), so that a log of another
     *                 store is never replayed into this one
     */
    public static WriteAheadLog create(StoreDirectory directory, long generation, long startSeq, long storeId) {
        Path file = directory.path().resolve(fileName(generation));
        try {
            FileChannel channel = directory.io().open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE, StandardOpenOption.READ);
            try {
                ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                header.putLong(MAGIC).putInt(VERSION).putLong(generation).putLong(storeId);
                CRC32C headerCrc = new CRC32C();
                headerCrc.update(header.array(), 0, header.position());
                header.putInt((int) headerCrc.getValue());
                header.clear();
                writeFully(channel, header);
                channel.force(true);
                directory.io().syncDirectory(directory.path());
                return new WriteAheadLog(file, directory.io(), channel, startSeq);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the write-ahead log " + file + ": " + e.getMessage(), e);
        }
    }

    /** Receives each intact record of a log being replayed. */
    @FunctionalInterface
    public interface RecordConsumer {
        void accept(ByteBuffer body);
    }

    /**
     * Replays the log of {@code generation}, truncating a torn tail, and opens it for appending.
     *
     * @return the log, positioned after its last intact record
     * @throws StoreCorruptedException if the header or a record before the tail is damaged
     */
    public static WriteAheadLog openAndReplay(StoreDirectory directory, long generation, long startSeq, long storeId,
                                              RecordConsumer consumer) {
        Path file = directory.path().resolve(fileName(generation));
        try {
            FileChannel channel = directory.io().open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
            try {
                long size = channel.size();
                if (size <= HEADER_BYTES && !headerIntact(file, channel, size, generation, storeId)) {
                    // Creating the log failed or crashed before its header was durable, so before
                    // any record could follow it: start it again.
                    channel.close();
                    return create(directory, generation, startSeq, storeId);
                }
                checkHeader(file, channel, size, generation, storeId);
                AtomicLong seq = new AtomicLong(startSeq);
                long position = replayRecords(file, channel, size, body -> {
                    consumer.accept(body);
                    seq.incrementAndGet();
                });
                if (position < size) {
                    // A torn tail: cut it off so new records follow the last intact one.
                    channel.truncate(position);
                    channel.force(true);
                }
                channel.position(position);
                WriteAheadLog log = new WriteAheadLog(file, directory.io(), channel, seq.get());
                log.appended = position - HEADER_BYTES;
                return log;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the write-ahead log " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replays the log of {@code generation} without changing it: a torn tail is left where it is.
     * For a store opened read-only. A missing log, or one whose creation never completed, holds
     * nothing to replay.
     *
     * @throws StoreCorruptedException if the header or a record before the tail is damaged
     */
    public static void replayReadOnly(StoreDirectory directory, long generation, long storeId, RecordConsumer consumer) {
        Path file = directory.path().resolve(fileName(generation));
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel channel = directory.io().open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size <= HEADER_BYTES && !headerIntact(file, channel, size, generation, storeId)) {
                return;
            }
            checkHeader(file, channel, size, generation, storeId);
            replayRecords(file, channel, size, consumer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the write-ahead log " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Hands every intact record after the header to the consumer; returns where they end: the
     * file's size, or the start of a torn tail.
     *
     * @throws StoreCorruptedException if a damaged record is followed by intact ones
     */
    private static long replayRecords(Path file, FileChannel channel, long size, RecordConsumer consumer)
            throws IOException {
        long position = HEADER_BYTES;
        ByteBuffer frame = ByteBuffer.allocate(FRAME_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        while (position < size) {
            ByteBuffer body = readRecord(channel, position, size, frame);
            if (body == null) {
                if (nextValidRecord(channel, resumeAfter(channel, position, size, frame), size, frame) >= 0) {
                    throw new StoreCorruptedException(file, position, "damaged log record followed by intact ones");
                }
                return position;
            }
            consumer.accept(body.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
            position += FRAME_BYTES + body.capacity();
        }
        return position;
    }

    private static boolean headerIntact(Path file, FileChannel channel, long size, long generation, long storeId)
            throws IOException {
        try {
            checkHeader(file, channel, size, generation, storeId);
            return true;
        } catch (StoreCorruptedException e) {
            return false;
        }
    }

    /**
     * Checks the header against the generation in the file's name and the store's id (0, of a
     * store from before ids, or in a version-1 log, matches any).
     */
    private static void checkHeader(Path file, FileChannel channel, long size, long generation, long storeId)
            throws IOException {
        if (size < HEADER_BYTES) {
            throw new StoreCorruptedException(file, 0, "log header truncated to " + size + " bytes");
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, header, 0);
        header.flip();
        long magic = header.getLong();
        if (magic != MAGIC) {
            throw new StoreCorruptedException(file, 0, "not a crvecdb log (bad magic number)");
        }
        int version = header.getInt();
        long storedGeneration = header.getLong();
        long storedId = version >= 2 ? header.getLong() : 0;
        int checked = header.position();
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, checked);
        if (header.getInt() != (int) crc.getValue()) {
            throw new StoreCorruptedException(file, 0, "log header checksum mismatch");
        }
        if (version != 1 && version != VERSION) {
            throw new StoreFormatException(file, "log format version " + version + ", this crvecdb reads versions 1 to "
                    + VERSION + "; open it with the crvecdb version that wrote it");
        }
        if (storedGeneration != generation) {
            throw new StoreCorruptedException(file, 12, "log of generation " + storedGeneration + " under the name of "
                    + generation);
        }
        if (storedId != 0 && storeId != 0 && storedId != storeId) {
            throw new StoreCorruptedException(file, 20, "a log of another store (id " + Long.toHexString(storedId)
                    + ") beside this store's data file (id " + Long.toHexString(storeId) + "): the files of two stores "
                    + "are mixed; put back this store's own log, or remove it to open the store as of its last "
                    + "checkpoint");
        }
    }

    /** The intact record at {@code position}, or null if it is damaged or incomplete. */
    private static ByteBuffer readRecord(FileChannel channel, long position, long size, ByteBuffer frame) throws IOException {
        if (size - position < FRAME_BYTES) {
            return null;
        }
        frame.clear();
        readFully(channel, frame, position);
        frame.flip();
        int length = frame.getInt();
        int check = frame.getInt();
        int expectedCrc = frame.getInt();
        if (length < 1 || length > MAX_RECORD_BYTES || check != ~length || length > size - position - FRAME_BYTES) {
            return null;
        }
        ByteBuffer body = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, body, position + FRAME_BYTES);
        CRC32C crc = new CRC32C();
        crc.update(body.array());
        return (int) crc.getValue() == expectedCrc ? body.clear() : null;
    }

    /**
     * Where an intact record could follow the damaged one at {@code position}: after the body its
     * frame claims if the frame is intact (a record's own payload may hold bytes shaped like a
     * record, and a torn record whose claimed end lies past the file has nothing after it), else at
     * the next byte.
     */
    private static long resumeAfter(FileChannel channel, long position, long size, ByteBuffer frame) throws IOException {
        if (size - position >= FRAME_BYTES) {
            frame.clear();
            readFully(channel, frame, position);
            frame.flip();
            int length = frame.getInt();
            if (length >= 1 && length <= MAX_RECORD_BYTES && frame.getInt() == ~length) {
                return position + FRAME_BYTES + length;
            }
        }
        return position + 1;
    }

    /**
     * The offset of the first intact record at or after {@code from}, or -1: tells a torn tail from
     * corruption. Reads the rest of the file in windows, and checks a record's body only where its
     * length and inverted length agree, so a torn record of many megabytes is scanned in a moment.
     */
    private static long nextValidRecord(FileChannel channel, long from, long size, ByteBuffer frame) throws IOException {
        int lengths = 8; // [length][~length]
        ByteBuffer window = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (long start = from; start + FRAME_BYTES <= size; start += window.capacity() - lengths + 1) {
            window.clear().limit((int) Math.min(window.capacity(), size - start));
            readFully(channel, window, start);
            for (int i = 0; i + lengths <= window.limit(); i++) {
                int length = window.getInt(i);
                if (length >= 1 && window.getInt(i + 4) == ~length && readRecord(channel, start + i, size, frame) != null) {
                    return start + i;
                }
            }
        }
        return -1;
    }

    /** Appends one record (its body between position and limit); returns its sequence number. */
    public long append(ByteBuffer body) {
        int length = body.remaining();
        if (length > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a record of " + length + " bytes exceeds the log's limit of "
                    + MAX_RECORD_BYTES + " bytes; store large payloads elsewhere and keep a reference");
        }
        appendLock.lock();
        try {
            checkNotFailed();
            crc.reset();
            crc.update(body.duplicate());
            ByteBuffer frame = ByteBuffer.allocate(FRAME_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            frame.putInt(length).putInt(~length).putInt((int) crc.getValue()).flip();
            onChannel(current -> {
                writeFully(current, frame.duplicate());
                writeFully(current, body.duplicate());
            });
            appended += FRAME_BYTES + length;
            return ++appendedSeq;
        } catch (IOException e) {
            noteFailure(e);
            throw new UncheckedIOException("cannot append to the write-ahead log " + file + ": " + e.getMessage(), e);
        } finally {
            appendLock.unlock();
        }
    }

    /** Returns once the record with sequence number {@code seq} (and every earlier one) is on disk. */
    public void sync(long seq) {
        if (syncedSeq >= seq) {
            return;
        }
        syncLock.lock();
        try {
            if (syncedSeq >= seq) {
                return; // another writer's fsync covered this record
            }
            checkNotFailed();
            long target = appendedSeq; // every record up to here is written
            onChannel(current -> current.force(false));
            syncedSeq = target;
        } catch (IOException e) {
            noteFailure(e);
            throw new UncheckedIOException("cannot sync the write-ahead log " + file + ": " + e.getMessage(), e);
        } finally {
            syncLock.unlock();
        }
    }

    /** One write or sync on the log's channel. */
    private interface ChannelStep {
        void run(FileChannel channel) throws IOException;
    }

    /**
     * Runs {@code step} on the channel, on a reopened one if an interrupt closed it. The JDK closes
     * a {@code FileChannel} for good when a thread using it is interrupted, failing every thread
     * using it then: no failure of the file, so the log reopens it, cuts off a record the close cut
     * short (never acknowledged: {@link #appended} counts whole records only) and runs the step
     * again with the interrupt set aside, then restores it. Only a close by {@link #close()}, or
     * more than {@value #MAX_REOPENS} interrupts in a row, fail the step. A reopen takes the append
     * lock (appenders already hold it): it must not cut off a record being appended.
     */
    private void onChannel(ChannelStep step) throws IOException {
        boolean interrupted = false;
        try {
            for (int reopens = 0; ; reopens++) {
                FileChannel current = channel;
                try {
                    step.run(current);
                    return;
                } catch (ClosedChannelException e) {
                    if (closing || reopens == MAX_REOPENS) {
                        throw e;
                    }
                    interrupted |= Thread.interrupted();
                    appendLock.lock();
                    try {
                        reopen(current);
                    } finally {
                        appendLock.unlock();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Replaces the channel {@code broken}, unless another thread did already. */
    private void reopen(FileChannel broken) throws IOException {
        if (channel != broken) {
            return;
        }
        FileChannel fresh = io.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            long end = HEADER_BYTES + appended;
            fresh.truncate(end);
            fresh.position(end);
        } catch (IOException e) {
            fresh.close();
            if (e instanceof ClosedChannelException) {
                return; // interrupted again: the next attempt reopens
            }
            throw e;
        }
        channel = fresh;
    }

    private void noteFailure(IOException e) {
        if (failure == null) {
            failure = e;
        }
    }

    private void checkNotFailed() throws IOException {
        IOException first = failure;
        if (first != null) {
            throw new IOException("an earlier write to it failed (" + first.getMessage()
                    + "), so it takes no more records; reopen the index, which keeps every acknowledged write", first);
        }
    }

    /** Syncs everything appended so far. */
    public void syncAll() {
        sync(appendedSeq);
    }

    /** The sequence number of the last appended record. */
    public long lastSeq() {
        return appendedSeq;
    }

    /** Bytes of records appended (header excluded). */
    public long size() {
        return appended;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        closing = true;
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the write-ahead log " + file + ": " + e.getMessage(), e);
        }
    }

    static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position);
            if (read < 0) {
                throw new IOException("unexpected end of file at " + position);
            }
            position += read;
        }
    }
}
