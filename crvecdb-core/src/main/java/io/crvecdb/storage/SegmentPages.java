package io.crvecdb.storage;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.function.LongFunction;

/**
 * Fixed-size records addressed by ordinal, stored in pages of {@value #RECORDS_PER_PAGE} records.
 * Pages are allocated as ordinals arrive and never move, so readers address a record without
 * locking while writers grow the sequence. Whether a page lives on the heap, off-heap or in a
 * mapped file is up to the page allocator.
 */
public final class SegmentPages {

    /** Records per page: large enough that the page table stays small, small enough for tiny indexes. */
    public static final int RECORDS_PER_PAGE = 1 << 12;
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE_MASK = RECORDS_PER_PAGE - 1;
    /** Bytes from a {@code float[]}'s elements to its page: 64 minus the JVM's default 16-byte array header. */
    private static final int CACHE_LINE_LEAD = 48;
    /**
     * Room in the page table for a million records before it grows: growing it takes a branch the
     * insert path never took before, and the JIT then recompiles the whole insert (measured: about
     * 0.2 s of C2 on two cores, at 32,768 records with a table of 8).
     */
    private static final int INITIAL_PAGES = 256;

    private final long recordBytes;
    private final LongFunction<MemorySegment> pageAllocator;
    /** Replaced (copy-on-grow) only under the lock; volatile so readers see the new table. */
    private volatile MemorySegment[] pages = new MemorySegment[INITIAL_PAGES];
    /**
     * Per page, the {@code float[]} or {@code byte[]} behind it if it is a heap page of this
     * allocator's, else null: the kernels load lanes from an array faster than from a segment, whose
     * every access carries long-offset range checks (measured in cache at 128 dimensions: the
     * four-wide float kernel 1.5× as fast). Grown with {@link #pages}, before it.
     */
    private volatile Object[] arrays = new Object[INITIAL_PAGES];
    /**
     * Where a heap page starts in its array, in bytes: the same for every page of one allocator.
     * Written before {@link #arrays}, so a reader that found an array sees it.
     */
    private long arrayLead;

    /**
     * @param recordBytes   size of one record
     * @param pageAllocator returns a zeroed segment of the given byte size, aligned to 8 bytes at least
     */
    public SegmentPages(long recordBytes, LongFunction<MemorySegment> pageAllocator) {
        if (recordBytes <= 0) {
            throw new IllegalArgumentException("record size must be positive: " + recordBytes);
        }
        this.recordBytes = recordBytes;
        this.pageAllocator = pageAllocator;
    }

    /** A page allocator on the Java heap, backed by {@code long[]} for 8-byte alignment. */
    public static LongFunction<MemorySegment> heapPages() {
        return bytes -> MemorySegment.ofArray(new long[Math.toIntExact((bytes + 7) >>> 3)]);
    }

    /**
     * A page allocator on the Java heap backed by {@code byte[]}, for int8 codes: the int8 kernels
     * read them as that array ({@link #byteArray}), so code pages must come from here.
     */
    public static LongFunction<MemorySegment> heapBytePages() {
        return bytes -> MemorySegment.ofArray(new byte[Math.toIntExact(bytes)]);
    }

    /**
     * A page allocator on the Java heap backed by {@code float[]}, the fastest layout for float
     * kernels, whose pages start {@value #CACHE_LINE_LEAD} bytes into their array: then, with G1 (the
     * default collector) and its default 16-byte array header, a page at least half a heap region in
     * size starts on a cache line, because G1 places such an object at a region's start. Records of
     * whole cache lines then never straddle one, and no 64-byte load of a kernel costs two (measured:
     * {@code 1.2×} the four-wide kernel's speed in cache). Where that placement does not hold (other
     * collectors, smaller pages, compact object headers) the records are merely unaligned, as
     * without the lead.
     */
    public static LongFunction<MemorySegment> heapFloatPages() {
        return bytes -> MemorySegment.ofArray(new float[Math.toIntExact((CACHE_LINE_LEAD + bytes + 3) >>> 2)])
                .asSlice(CACHE_LINE_LEAD, bytes);
    }

    /** The page holding {@code ordinal}; the record starts at {@link #offset(int)} in it. */
    public MemorySegment page(int ordinal) {
        return pages[ordinal >>> PAGE_SHIFT];
    }

    /** The {@code float[]} behind the page of {@code ordinal} if it is a heap float page, else null. */
    public float[] floatArray(int ordinal) {
        return array(ordinal) instanceof float[] floats ? floats : null;
    }

    /** Index of the first float of {@code ordinal}'s record in its {@link #floatArray}. */
    public int floatIndex(int ordinal) {
        return (int) ((arrayLead + offset(ordinal)) >>> 2);
    }

    /** The {@code byte[]} behind the page of {@code ordinal} if it is a heap byte page, else null. */
    public byte[] byteArray(int ordinal) {
        return array(ordinal) instanceof byte[] bytes ? bytes : null;
    }

    /** Index of the first byte of {@code ordinal}'s record in its {@link #byteArray}. */
    public int byteIndex(int ordinal) {
        return (int) (arrayLead + offset(ordinal));
    }

    private Object array(int ordinal) {
        Object[] table = arrays;
        int page = ordinal >>> PAGE_SHIFT;
        return page < table.length ? table[page] : null;
    }

    /** The page holding {@code ordinal}, or null if no page holds it yet. */
    public MemorySegment pageIfPresent(int ordinal) {
        MemorySegment[] table = pages;
        int page = ordinal >>> PAGE_SHIFT;
        return page < table.length ? table[page] : null;
    }

    /** Byte offset of {@code ordinal}'s record inside its page. */
    public long offset(int ordinal) {
        return (ordinal & PAGE_MASK) * recordBytes;
    }

    /** Bytes of the pages allocated or adopted so far: the memory these records take. */
    public long allocatedBytes() {
        return allocatedRecords() * recordBytes;
    }

    /** Records the pages allocated or adopted so far have room for. */
    public long allocatedRecords() {
        return Arrays.stream(pages).filter(page -> page != null).count() * RECORDS_PER_PAGE;
    }

    /** Bytes of one full page. */
    public long pageBytes() {
        return RECORDS_PER_PAGE * recordBytes;
    }

    /**
     * Installs an existing segment (for example a mapped file region) as page {@code index}. Only
     * for a page no record has been written to; a read-only segment must hold full pages only.
     */
    public synchronized void adopt(int index, MemorySegment page) {
        if (page.byteSize() != pageBytes()) {
            throw new IllegalArgumentException("page of " + page.byteSize() + " bytes, expected " + pageBytes());
        }
        MemorySegment[] table = pages;
        if (index >= table.length) {
            table = Arrays.copyOf(table, Math.max(index + 1, table.length * 2));
        }
        table[index] = page;
        noteArray(index, null, table.length);
        pages = table;
    }

    /**
     * Records the array behind page {@code index} if it is a heap float or byte page of this
     * allocator's (null: an adopted page, which the kernels read as a segment).
     */
    private void noteArray(int index, MemorySegment page, int tableLength) {
        Object[] table = arrays;
        if (table.length < tableLength) {
            table = Arrays.copyOf(table, tableLength);
        }
        Object array = page == null ? null : page.heapBase().orElse(null);
        boolean floats = array instanceof float[] && recordBytes % Float.BYTES == 0 && page.address() % Float.BYTES == 0;
        table[index] = floats || array instanceof byte[] ? array : null;
        if (table[index] != null) {
            arrayLead = page.address();
        }
        arrays = table;
    }

    /**
     * Takes records {@code [0, count)} from a snapshot section laid out record after record: full
     * pages are used in place (a mapped file stays mapped, not copied to the heap), the partial
     * last page is copied so new records can follow it.
     */
    public void load(MemorySegment records, int count) {
        long pageBytes = pageBytes();
        int fullPages = count / RECORDS_PER_PAGE;
        for (int p = 0; p < fullPages; p++) {
            adopt(p, records.asSlice(p * pageBytes, pageBytes));
        }
        copyPages(records, fullPages * RECORDS_PER_PAGE, count);
    }

    /** Copies records {@code [0, count)} from a section laid out like {@link #load}'s into pages of this allocator. */
    public void copy(MemorySegment records, int count) {
        copyPages(records, 0, count);
    }

    /**
     * Copies the first {@code bytes} of the records of {@code source} at {@code order[0], order[1], …}
     * into records 0, 1, … of this (records may hold more than what is copied, in either).
     */
    public void copyRecords(SegmentPages source, int[] order, long bytes) {
        if (bytes > recordBytes || bytes > source.recordBytes) {
            throw new IllegalArgumentException("cannot copy " + bytes + " bytes between records of " + source.recordBytes
                    + " and " + recordBytes + " bytes");
        }
        for (int ordinal = 0; ordinal < order.length; ordinal++) {
            ensureCapacity(ordinal);
            MemorySegment.copy(source.page(order[ordinal]), source.offset(order[ordinal]), page(ordinal), offset(ordinal),
                    bytes);
        }
    }

    private void copyPages(MemorySegment records, int first, int count) {
        for (int ordinal = first; ordinal < count; ordinal += RECORDS_PER_PAGE) {
            ensureCapacity(ordinal);
            long inPage = Math.min(RECORDS_PER_PAGE, count - ordinal);
            MemorySegment.copy(records, ordinal * recordBytes, page(ordinal), 0, inPage * recordBytes);
        }
    }

    /**
     * Takes over the pages of {@code fresh}, a rewrite of these records by the same allocator, in
     * one step for readers: they see the old records or the new ones, never a page missing between.
     * {@code fresh} must not be used afterwards.
     */
    public synchronized void replaceWith(SegmentPages fresh) {
        if (fresh.recordBytes != recordBytes) {
            throw new IllegalArgumentException("records of " + fresh.recordBytes + " bytes cannot replace records of "
                    + recordBytes);
        }
        arrayLead = fresh.arrayLead;
        arrays = fresh.arrays;
        pages = fresh.pages;
    }

    /** Makes sure the record of {@code ordinal} exists; cheap when its page is already there. */
    public void ensureCapacity(int ordinal) {
        int page = ordinal >>> PAGE_SHIFT;
        MemorySegment[] current = pages;
        if (page >= current.length || current[page] == null) {
            allocateThrough(page);
        }
    }

    private synchronized void allocateThrough(int page) {
        MemorySegment[] table = pages;
        if (page >= table.length) {
            table = Arrays.copyOf(table, Math.max(page + 1, table.length * 2));
        }
        for (int p = 0; p <= page; p++) {
            if (table[p] == null) {
                table[p] = pageAllocator.apply(RECORDS_PER_PAGE * recordBytes);
                noteArray(p, table[p], table.length);
            }
        }
        pages = table;
    }
}
