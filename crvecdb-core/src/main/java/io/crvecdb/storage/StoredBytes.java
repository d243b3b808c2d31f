package io.crvecdb.storage;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Variable-length byte strings by ordinal in a snapshot section: {@code count + 1} long offsets,
 * then the bytes. Read in place (a mapped section stays off the heap); every offset is checked
 * when the section is opened, so a read can never leave it.
 */
public final class StoredBytes {

    private static final byte[] EMPTY = new byte[0];

    private final MemorySegment section;
    private final int count;
    private final long dataStart;

    /**
     * @throws IllegalArgumentException naming the first offset that is out of order or out of bounds
     */
    public StoredBytes(MemorySegment section, int count) {
        this.section = section;
        this.count = count;
        this.dataStart = 8L * (count + 1);
        if (section.byteSize() < dataStart) {
            throw new IllegalArgumentException("section of " + section.byteSize() + " bytes cannot hold " + (count + 1)
                    + " offsets");
        }
        long previous = 0;
        for (int i = 0; i <= count; i++) {
            long offset = offset(i);
            if (offset < previous || offset > section.byteSize() - dataStart) {
                throw new IllegalArgumentException("offset " + i + " is " + offset + " (previous " + previous
                        + ", data " + (section.byteSize() - dataStart) + " bytes)");
            }
            previous = offset;
        }
        if (count > 0 && offset(0) != 0) {
            throw new IllegalArgumentException("first offset is " + offset(0) + ", expected 0");
        }
    }

    public int count() {
        return count;
    }

    /** A copy of string {@code i}. */
    public byte[] get(int i) {
        long from = offset(i);
        int length = Math.toIntExact(offset(i + 1) - from);
        if (length == 0) {
            return EMPTY;
        }
        byte[] bytes = new byte[length];
        MemorySegment.copy(section, ValueLayout.JAVA_BYTE, dataStart + from, bytes, 0, length);
        return bytes;
    }

    private long offset(int i) {
        return section.get(ValueLayout.JAVA_LONG_UNALIGNED, 8L * i);
    }

    /** Writes strings {@code [0, n)} given by {@code source} in this layout. */
    public static void write(DataFile.Writer out, int n, java.util.function.IntFunction<byte[]> source) {
        long offset = 0;
        out.writeLong(0);
        for (int i = 0; i < n; i++) {
            offset += source.apply(i).length;
            out.writeLong(offset);
        }
        for (int i = 0; i < n; i++) {
            out.writeBytes(source.apply(i));
        }
    }
}
