package io.crvecdb.hnsw;

import io.crvecdb.storage.SegmentPages;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.function.LongFunction;

/**
 * Layer-0 link lists, one fixed-size record per node: {@code [count, link × maxDegree]}.
 *
 * <p>Lists in pages of their own pack each link into just enough bits to name every node there is
 * (17 bits for 100,000 nodes, 20 for a million, never fewer than 8): at 128 dimensions 32-bit links would weigh as much
 * as an int8 index's codes. When the nodes outgrow the width, {@link #widened} copies the lists into
 * wider records. Lists kept beside their float vectors (hnswlib's node block, see
 * {@link VectorValues}) stay plain ints, copied out in one call: there the float vectors dominate
 * the memory and a search reads the list right after the vector.
 *
 * <p>The count is published with release semantics after the links it covers, as before. A packed
 * link is written byte by byte, so a reader racing the writer of that very link can read some
 * bytes old and some new; readers therefore take a link at or above the node count they were given
 * as the list's own node (which they have already seen). Writers of one list hold its node's lock.
 */
final class LinkLists {

    /** The width of plain lists: whole ints. */
    static final int PLAIN = Integer.SIZE;
    /**
     * Widening copies the lists once per doubling of the nodes, a small cost next to the inserts
     * that doubled them; starting narrow makes every index past 256 nodes take that path.
     */
    private static final int MIN_WIDTH = 8;

    private static final VarHandle SEGMENT_INT = ValueLayout.JAVA_INT.varHandle();

    private final SegmentPages pages;
    /** Where a list starts in its record: 0, or after the vector it shares a record with. */
    private final long listOffset;
    private final int maxDegree;
    private final int width;
    private final int mask;
    /** Allocator of packed pages, for the wider lists; null for plain lists. */
    private final LongFunction<MemorySegment> allocator;

    private LinkLists(SegmentPages pages, long listOffset, int maxDegree, int width,
                      LongFunction<MemorySegment> allocator) {
        this.pages = pages;
        this.listOffset = listOffset;
        this.maxDegree = maxDegree;
        this.width = width;
        this.mask = width == PLAIN ? -1 : (1 << width) - 1;
        this.allocator = allocator;
    }

    /** Plain lists at {@code listOffset} in the records of {@code pages} (the vectors' pages). */
    static LinkLists plain(SegmentPages pages, long listOffset, int maxDegree) {
        return new LinkLists(pages, listOffset, maxDegree, PLAIN, null);
    }

    /** Empty packed lists, wide enough for {@code nodes} nodes, in pages from {@code allocator}. */
    static LinkLists packed(int nodes, int maxDegree, LongFunction<MemorySegment> allocator) {
        int width = widthFor(nodes);
        long linkBytes = ((long) maxDegree * width + 7) >>> 3;
        long recordBytes = Integer.BYTES + ((linkBytes + 3) & ~3L); // whole ints, for the count's release store
        // Eight spare bytes per page: a link is read as the long at its first byte, which for the
        // page's last links reaches past the last record.
        SegmentPages pages = new SegmentPages(recordBytes, bytes -> allocator.apply(bytes + Long.BYTES));
        return new LinkLists(pages, 0, maxDegree, width, allocator);
    }

    /** Bits per link for {@code nodes} nodes (ordinals {@code 0 .. nodes - 1}). */
    static int widthFor(int nodes) {
        return Math.max(MIN_WIDTH, Integer.SIZE - Integer.numberOfLeadingZeros(Math.max(nodes, 1) - 1));
    }

    int width() {
        return width;
    }

    /** Whether links can name {@code nodes} nodes. */
    boolean holds(int nodes) {
        return width == PLAIN || widthFor(nodes) <= width;
    }

    /**
     * Packed lists wide enough for {@code nodes} nodes holding the lists of nodes
     * {@code 0 .. bound - 1} of these packed ones (plain lists hold any node and never widen). No
     * list may change meanwhile: the caller excludes writers.
     */
    LinkLists widened(int nodes, int bound) {
        LinkLists wider = packed(nodes, maxDegree, allocator);
        int[] links = new int[maxDegree];
        for (int node = 0; node < bound; node++) {
            wider.ensureCapacity(node);
            int count = read(node, links, bound);
            wider.write(node, links, count);
        }
        return wider;
    }

    void ensureCapacity(int node) {
        pages.ensureCapacity(node);
    }

    private long start(int node) {
        return pages.offset(node) + listOffset;
    }

    /** How many links {@code node} has, read with acquire semantics. */
    int count(int node) {
        // A plain read and a fence: the VarHandle's acquire read re-checks alignment per call.
        int count = pages.page(node).get(ValueLayout.JAVA_INT_UNALIGNED, start(node));
        VarHandle.acquireFence();
        return Math.min(count, maxDegree);
    }

    /**
     * Copies the links of {@code node} into {@code into} and returns their count; a link read at or
     * above {@code limit} (half written, see the class comment) reads as {@code node}.
     */
    int read(int node, int[] into, int limit) {
        int count = count(node);
        MemorySegment page = pages.page(node);
        long links = start(node) + Integer.BYTES;
        if (width == PLAIN) {
            // One bounds check and one copy per list, where reading link by link pays the
            // segment's checks per link on the search's hottest loop.
            MemorySegment.copy(page, ValueLayout.JAVA_INT_UNALIGNED, links, into, 0, count);
            return count;
        }
        // Streams the packed bits a word at a time: one load per 64 bits, where unpacking each
        // link on its own loads (and range-checks) a word per link.
        long buffer = 0;
        int buffered = 0;
        for (int i = 0; i < count; i++) {
            long bits;
            if (buffered >= width) {
                bits = buffer;
                buffer >>>= width;
                buffered -= width;
            } else {
                long word = page.get(ValueLayout.JAVA_LONG_UNALIGNED, links);
                links += Long.BYTES;
                bits = buffer | word << buffered;
                buffer = word >>> (width - buffered);
                buffered += Long.SIZE - width;
            }
            int link = (int) bits & mask;
            into[i] = link < limit ? link : node;
        }
        return count;
    }

    /** Link {@code i} of {@code node}; one at or above {@code limit} (half written) reads as {@code node}. */
    int link(int node, int i, int limit) {
        long links = start(node) + Integer.BYTES;
        if (width == PLAIN) {
            return pages.page(node).get(ValueLayout.JAVA_INT_UNALIGNED, links + (long) Integer.BYTES * i);
        }
        return unpack(pages.page(node), links, i, node, limit);
    }

    /** Packed link {@code i} of the list at {@code links}, or {@code node} if it reads at or above {@code limit}. */
    private int unpack(MemorySegment page, long links, int i, int node, int limit) {
        long bit = (long) i * width;
        int link = (int) (page.get(ValueLayout.JAVA_LONG_UNALIGNED, links + (bit >>> 3)) >>> (bit & 7)) & mask;
        return link < limit ? link : node;
    }

    /** Sets link {@code i} of {@code node}, touching no byte outside the node's record. */
    void set(int node, int i, int target) {
        MemorySegment page = pages.page(node);
        long links = start(node) + Integer.BYTES;
        if (width == PLAIN) {
            page.set(ValueLayout.JAVA_INT_UNALIGNED, links + (long) Integer.BYTES * i, target);
            return;
        }
        if (target < 0 || target > mask) {
            throw new IllegalStateException("node " + target + " does not fit links of " + width + " bits");
        }
        long bit = (long) i * width;
        long at = links + (bit >>> 3);
        int shift = (int) (bit & 7);
        long field = (long) mask << shift;
        long value = (long) target << shift;
        for (int b = 0, bytes = (shift + width + 7) >>> 3; b < bytes; b++, field >>>= 8, value >>>= 8) {
            byte old = page.get(ValueLayout.JAVA_BYTE, at + b);
            page.set(ValueLayout.JAVA_BYTE, at + b, (byte) ((old & ~field) | value));
        }
    }

    /** Publishes a list's count after its links are written, so readers that see it see them. */
    void publish(int node, int count) {
        SEGMENT_INT.setRelease(pages.page(node), start(node), count);
    }

    /** Writes {@code node}'s whole list and publishes its count. */
    void write(int node, int[] links, int count) {
        for (int i = 0; i < count; i++) {
            set(node, i, links[i]);
        }
        publish(node, count);
    }

    /** Bytes of the lists' records (for plain lists beside vectors, the list part of each record only). */
    long allocatedBytes() {
        return width == PLAIN ? pages.allocatedRecords() * Integer.BYTES * (1L + maxDegree) : pages.allocatedBytes();
    }
}
