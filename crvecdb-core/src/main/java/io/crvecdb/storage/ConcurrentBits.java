package io.crvecdb.storage;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.function.LongFunction;

/** A growable bit set whose bits are set atomically; readers never lock. */
public final class ConcurrentBits {

    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();

    /** One record per 64 bits. */
    private final SegmentPages words;

    public ConcurrentBits(LongFunction<MemorySegment> pageAllocator) {
        this.words = new SegmentPages(Long.BYTES, pageAllocator);
    }

    public boolean get(int index) {
        int word = index >>> 6;
        MemorySegment page = words.pageIfPresent(word);
        if (page == null) {
            return false;
        }
        return (page.get(ValueLayout.JAVA_LONG, words.offset(word)) & (1L << index)) != 0;
    }

    /** Sets the bit; returns whether it was clear before. */
    public boolean set(int index) {
        int word = index >>> 6;
        words.ensureCapacity(word);
        long mask = 1L << index;
        long before = (long) WORD.getAndBitwiseOr(words.page(word), words.offset(word), mask);
        return (before & mask) == 0;
    }
}
