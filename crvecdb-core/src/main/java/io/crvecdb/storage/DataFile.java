package io.crvecdb.storage;

import io.crvecdb.Metric;
import io.crvecdb.Quantization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A store's data file: one generation's complete index, written once by a checkpoint and then only
 * read (mapped). A 4 KiB header (magic number, format version, settings, section table, CRC32C)
 * is followed by the sections, each 4 KiB-aligned so that its pages can be mapped in place, each
 * with its own CRC32C.
 *
 * <p>The reader verifies every checksum when it opens the file, so a damaged byte anywhere is
 * reported before a search could read it.
 */
public final class DataFile implements AutoCloseable {

    /** The sections, in file order. */
    public enum Section {
        /** Vector records exactly as the index lays them out in memory. */
        VECTORS,
        /** Layer-0 link lists, {@code [count, link × 2m]} ints per node. */
        LINKS,
        /** Upper-layer links: {@code [node, level, (count, link × m) × level]} ints per upper node. */
        UPPER_LINKS,
        /** The deleted bit set, a long per 64 nodes. */
        DELETED,
        /** Ids: {@code nodeCount + 1} long offsets into the UTF-8 bytes that follow. */
        IDS,
        /** Payloads: {@code nodeCount + 1} long offsets into the bytes that follow. */
        PAYLOADS,
        /** Int8 codes, {@code [code × dimensions][sum]} per node; empty unless quantized and trained. */
        CODES
    }

    static final long MAGIC = 0x4352_5644_4154_0001L; // "CRVDAT", 0, 1
    /** 2: quantization fields in the header and the CODES section. */
    public static final int VERSION = 2;
    static final int HEADER_BYTES = 4096;
    private static final int ALIGNMENT = 4096;
    private static final int SETTINGS_END = 96;
    private static final int SECTION_ENTRY_BYTES = 24;
    private static final int HEADER_CRC_OFFSET = HEADER_BYTES - 4;

    /**
     * What a data file says about its index.
     *
     * @param quantizedCount records the int8 range was learned from (0: not trained yet); the
     *                       range is {@code quantizerOffset} and {@code quantizerScale}
     * @param storeId        drawn at random when the store was created, the same in all its
     *                       generations, so a data file copied in from another store is told
     *                       apart (0 in files written before store ids, in the header's spare bytes)
     */
    public record Header(int dimensions, Metric metric, int m, int efConstruction, int efSearch, long seed,
                         long generation, long lastSeq, int nodeCount, int entryNode, int entryLevel,
                         Quantization quantization, int quantizedCount, float quantizerOffset, float quantizerScale,
                         long storeId) {
    }

    private final Path file;
    private final Arena arena;
    private final MemorySegment mapped;
    private final Header header;
    private final long[] sectionOffsets = new long[Section.values().length];
    private final long[] sectionLengths = new long[Section.values().length];

    private DataFile(Path file, Arena arena, MemorySegment mapped, Header header) {
        this.file = file;
        this.arena = arena;
        this.mapped = mapped;
        this.header = header;
    }

    public Header header() {
        return header;
    }

    public Path file() {
        return file;
    }

    /** A section's bytes, mapped read-only. */
    public MemorySegment section(Section section) {
        return mapped.asSlice(sectionOffsets[section.ordinal()], sectionLengths[section.ordinal()]);
    }

    /** Unmaps the file: every segment it handed out becomes inaccessible. */
    @Override
    public void close() {
        arena.close();
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    /**
     * Maps a data file and verifies its header and every section's checksum.
     *
     * @throws StoreCorruptedException if any check fails
     * @throws StoreFormatException    if it was written in another format version
     */
    public static DataFile open(StoreIO io, Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = io.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < HEADER_BYTES) {
                throw new StoreCorruptedException(file, size, "data file truncated to " + size + " bytes");
            }
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            DataFile dataFile = new DataFile(file, arena, mapped, readHeader(file, mapped));
            dataFile.readSections(size);
            return dataFile;
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot read the data file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * The header of a data file, read and verified without mapping or checking its sections.
     *
     * @throws StoreCorruptedException if the header is damaged
     * @throws StoreFormatException    if it was written in another format version
     */
    public static Header readHeader(StoreIO io, Path file) {
        try (Arena arena = Arena.ofConfined(); FileChannel channel = io.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < HEADER_BYTES) {
                throw new StoreCorruptedException(file, size, "data file truncated to " + size + " bytes");
            }
            return readHeader(file, channel.map(FileChannel.MapMode.READ_ONLY, 0, HEADER_BYTES, arena));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Header readHeader(Path file, MemorySegment mapped) {
        if (mapped.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) != MAGIC) {
            throw new StoreCorruptedException(file, 0, "not a crvecdb data file (bad magic number)");
        }
        int storedCrc = mapped.get(ValueLayout.JAVA_INT_UNALIGNED, HEADER_CRC_OFFSET);
        if (storedCrc != crc(mapped.asSlice(0, HEADER_CRC_OFFSET))) {
            throw new StoreCorruptedException(file, 0, "header checksum mismatch");
        }
        int version = mapped.get(ValueLayout.JAVA_INT_UNALIGNED, 8);
        if (version != VERSION) {
            throw new StoreFormatException(file, "data format version " + version + ", this crvecdb reads version "
                    + VERSION + "; open it with the crvecdb version that wrote it");
        }
        int metricCode = mapped.get(ValueLayout.JAVA_INT_UNALIGNED, 16);
        if (metricCode < 0 || metricCode >= Metric.values().length) {
            throw new StoreCorruptedException(file, 16, "unknown metric code " + metricCode);
        }
        int quantizationCode = mapped.get(ValueLayout.JAVA_INT_UNALIGNED, 68);
        if (quantizationCode < 0 || quantizationCode >= Quantization.values().length) {
            throw new StoreCorruptedException(file, 68, "unknown quantization code " + quantizationCode);
        }
        Header header = new Header(
                mapped.get(ValueLayout.JAVA_INT_UNALIGNED, 12), Metric.values()[metricCode],
                mapped.get(ValueLayout.JAVA_INT_UNALIGNED, 20), mapped.get(ValueLayout.JAVA_INT_UNALIGNED, 24),
                mapped.get(ValueLayout.JAVA_INT_UNALIGNED, 28), mapped.get(ValueLayout.JAVA_LONG_UNALIGNED, 32),
                mapped.get(ValueLayout.JAVA_LONG_UNALIGNED, 40), mapped.get(ValueLayout.JAVA_LONG_UNALIGNED, 48),
                mapped.get(ValueLayout.JAVA_INT_UNALIGNED, 56), mapped.get(ValueLayout.JAVA_INT_UNALIGNED, 60),
                mapped.get(ValueLayout.JAVA_INT_UNALIGNED, 64), Quantization.values()[quantizationCode],
                mapped.get(ValueLayout.JAVA_INT_UNALIGNED, 72), mapped.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 76),
                mapped.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 80), mapped.get(ValueLayout.JAVA_LONG_UNALIGNED, 84));
        if (header.dimensions() < 1 || header.m() < 2 || header.m() > 512 || header.efConstruction() < 1
                || header.efSearch() < 1 || header.nodeCount() < 0
                || (header.nodeCount() > 0 && (header.entryNode() < 0 || header.entryNode() >= header.nodeCount()))) {
            throw new StoreCorruptedException(file, 12, "impossible settings in the header: " + header);
        }
        return header;
    }

    private void readSections(long size) {
        for (Section section : Section.values()) {
            long entry = SETTINGS_END + (long) section.ordinal() * SECTION_ENTRY_BYTES;
            long offset = mapped.get(ValueLayout.JAVA_LONG_UNALIGNED, entry);
            long length = mapped.get(ValueLayout.JAVA_LONG_UNALIGNED, entry + 8);
            int storedCrc = mapped.get(ValueLayout.JAVA_INT_UNALIGNED, entry + 16);
            if (offset < HEADER_BYTES || length < 0 || offset > size || length > size - offset) {
                throw new StoreCorruptedException(file, entry, "section " + section + " [" + offset + ", +" + length
                        + ") lies outside the file of " + size + " bytes (truncated?)");
            }
            if (storedCrc != crc(mapped.asSlice(offset, length))) {
                throw new StoreCorruptedException(file, offset, "section " + section + " checksum mismatch");
            }
            sectionOffsets[section.ordinal()] = offset;
            sectionLengths[section.ordinal()] = length;
        }
    }

    private static int crc(MemorySegment bytes) {
        CRC32C crc = new CRC32C();
        long chunk = 1 << 30;
        for (long at = 0; at < bytes.byteSize(); at += chunk) {
            crc.update(bytes.asSlice(at, Math.min(chunk, bytes.byteSize() - at)).asByteBuffer());
        }
        return (int) crc.getValue();
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    /**
     * Writes a data file section by section, in {@link Section} order, with a checksum per section;
     * {@link #finish} writes the header and syncs. The caller renames the file into place.
     */
    public static final class Writer implements AutoCloseable {

        private final Path file;
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        private final long[] offsets = new long[Section.values().length];
        private final long[] lengths = new long[Section.values().length];
        private final int[] crcs = new int[Section.values().length];
        private int nextSection;
        private long position = HEADER_BYTES;
        private long sectionStart = -1;
        private long unalignedEnd;

        public Writer(StoreIO io, Path file) {
            this.file = file;
            try {
                this.channel = io.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
            }
        }

        /** Starts the next section (sections must come in {@link Section} order). */
        public void begin(Section section) {
            if (section.ordinal() != nextSection || sectionStart >= 0) {
                throw new IllegalStateException("section " + section + " out of order");
            }
            flush();
            unalignedEnd = position;
            long aligned = (position + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
            position = aligned;
            sectionStart = aligned;
            crc.reset();
        }

        public void end() {
            flush();
            if (position == sectionStart) {
                // An empty section takes no padding, so it never lies past the end of the file.
                position = unalignedEnd;
                sectionStart = unalignedEnd;
            }
            int s = nextSection++;
            offsets[s] = sectionStart;
            lengths[s] = position - sectionStart;
            crcs[s] = (int) crc.getValue();
            sectionStart = -1;
        }

        public void writeInt(int value) {
            ensure(4);
            buffer.putInt(value);
        }

        public void writeLong(long value) {
            ensure(8);
            buffer.putLong(value);
        }

        public void writeBytes(byte[] bytes) {
            for (int at = 0; at < bytes.length; ) {
                ensure(1);
                int n = Math.min(buffer.remaining(), bytes.length - at);
                buffer.put(bytes, at, n);
                at += n;
            }
        }

        /** Copies raw bytes, such as a page of vector records. */
        public void writeSegment(MemorySegment bytes) {
            for (long at = 0; at < bytes.byteSize(); ) {
                ensure(1);
                int n = (int) Math.min(buffer.remaining(), bytes.byteSize() - at);
                // A buffer's segment starts at its position.
                MemorySegment.copy(bytes, at, MemorySegment.ofBuffer(buffer), 0, n);
                buffer.position(buffer.position() + n);
                at += n;
            }
        }

        private void ensure(int bytes) {
            if (buffer.remaining() < bytes) {
                flush();
            }
        }

        private void flush() {
            buffer.flip();
            crc.update(buffer.duplicate());
            try {
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
            buffer.clear();
        }

        /** Writes the header (after every section), and syncs the file. */
        public void finish(Header header) {
            if (nextSection != Section.values().length) {
                throw new IllegalStateException("only " + nextSection + " sections written");
            }
            ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(MAGIC).putInt(VERSION).putInt(header.dimensions()).putInt(header.metric().ordinal())
                    .putInt(header.m()).putInt(header.efConstruction()).putInt(header.efSearch())
                    .putLong(header.seed()).putLong(header.generation()).putLong(header.lastSeq())
                    .putInt(header.nodeCount()).putInt(header.entryNode()).putInt(header.entryLevel())
                    .putInt(header.quantization().ordinal()).putInt(header.quantizedCount())
                    .putFloat(header.quantizerOffset()).putFloat(header.quantizerScale()).putLong(header.storeId());
            head.position(SETTINGS_END);
            for (int s = 0; s < offsets.length; s++) {
                head.putLong(offsets[s]).putLong(lengths[s]).putInt(crcs[s]).putInt(0);
            }
            CRC32C headerCrc = new CRC32C();
            headerCrc.update(head.array(), 0, HEADER_CRC_OFFSET);
            head.putInt(HEADER_CRC_OFFSET, (int) headerCrc.getValue());
            head.clear();
            try {
                long at = 0;
                while (head.hasRemaining()) {
                    at += channel.write(head, at);
                }
                channel.force(true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
