package io.crvecdb;

import io.crvecdb.storage.StoreIO;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real file system, except that the N-th operation that changes a file (a write, fsync,
 * truncate, rename or directory sync) fails, and so does every one after it (a broken disk stays
 * broken): as Lucene's MockDirectoryWrapper, for tests of what survives a failure.
 */
final class FaultyIO implements StoreIO {

    enum Fault {
        /** The operation throws an I/O error and changes nothing. */
        IO_ERROR("injected I/O error"),
        /** The operation throws ENOSPC; a write first writes half its bytes (a short write). */
        DISK_FULL("No space left on device");

        final String message;

        Fault(String message) {
            this.message = message;
        }
    }

    private final int failAt;
    private final int failures;
    private final Fault fault;
    private final AtomicInteger operations = new AtomicInteger();
    private final List<FileChannel> opened = new CopyOnWriteArrayList<>();

    /** @param failAt the 1-based operation that fails first; 0 never fails (counting only) */
    FaultyIO(int failAt, Fault fault) {
        this(failAt, fault, Integer.MAX_VALUE);
    }

    private FaultyIO(int failAt, Fault fault, int failures) {
        this.failAt = failAt;
        this.fault = fault;
        this.failures = failures;
    }

    /** Only the {@code failAt}-th operation fails; the disk works again after it (space was freed). */
    static FaultyIO once(int failAt, Fault fault) {
        return new FaultyIO(failAt, fault, 1);
    }

    /** Mutating operations seen so far. */
    int operations() {
        return operations.get();
    }

    /** Channels opened through this and not closed: a failed open or create must leave none. */
    long openChannels() {
        return opened.stream().filter(FileChannel::isOpen).count();
    }

    boolean fired() {
        return failAt > 0 && operations.get() >= failAt;
    }

    /** Counts a mutating operation; true if it must fail. */
    private boolean failNow() {
        int n = operations.incrementAndGet();
        return failAt > 0 && n >= failAt && n - failAt < failures;
    }

    private IOException failure() {
        return new IOException(fault.message);
    }

    @Override
    public FileChannel open(Path file, OpenOption... options) throws IOException {
        Channel channel = new Channel(FileChannel.open(file, options));
        opened.add(channel);
        return channel;
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        if (failNow()) {
            throw failure();
        }
        StoreIO.DEFAULT.move(from, to);
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        if (failNow()) {
            throw failure();
        }
        StoreIO.DEFAULT.syncDirectory(directory);
    }

    /** A channel whose writes, forces and truncates go through the fault counter. */
    private final class Channel extends FileChannel {
        private final FileChannel delegate;

        Channel(FileChannel delegate) {
            this.delegate = delegate;
        }

        private int write(ByteBuffer source, long position, boolean positional) throws IOException {
            if (failNow()) {
                if (fault == Fault.DISK_FULL && source.remaining() > 1) {
                    ByteBuffer half = source.slice(source.position(), source.remaining() / 2);
                    int written = positional ? delegate.write(half, position) : delegate.write(half);
                    source.position(source.position() + written);
                }
                throw failure();
            }
            return positional ? delegate.write(source, position) : delegate.write(source);
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            return write(source, -1, false);
        }

        @Override
        public int write(ByteBuffer source, long position) throws IOException {
            return write(source, position, true);
        }

        @Override
        public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(sources[i]);
            }
            return total;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (failNow()) {
                throw failure();
            }
            delegate.force(metaData);
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            if (failNow()) {
                throw failure();
            }
            delegate.truncate(size);
            return this;
        }

        @Override
        public int read(ByteBuffer destination) throws IOException {
            return delegate.read(destination);
        }

        @Override
        public long read(ByteBuffer[] destinations, int offset, int length) throws IOException {
            return delegate.read(destinations, offset, length);
        }

        @Override
        public int read(ByteBuffer destination, long position) throws IOException {
            return delegate.read(destination, position);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
            throw new UnsupportedOperationException("not used by the store");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return delegate.map(mode, position, size);
        }

        @Override
        public MemorySegment map(MapMode mode, long offset, long size, Arena arena) throws IOException {
            return delegate.map(mode, offset, size, arena);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }
}
