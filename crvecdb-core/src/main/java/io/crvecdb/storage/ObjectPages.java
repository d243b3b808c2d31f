package io.crvecdb.storage;

import java.util.Arrays;

/**
 * References addressed by ordinal, in pages that never move: the heap counterpart of
 * {@link SegmentPages}, for per-record objects such as ids, payloads or upper-layer links.
 */
public final class ObjectPages<T> {

    private static final int PAGE_SHIFT = 12;
    private static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE_SIZE - 1;

    private volatile Object[][] pages = new Object[8][];

    @SuppressWarnings("unchecked")
    public T get(int ordinal) {
        Object[][] table = pages;
        int page = ordinal >>> PAGE_SHIFT;
        if (page >= table.length || table[page] == null) {
            return null;
        }
        return (T) table[page][ordinal & PAGE_MASK];
    }

    public void set(int ordinal, T value) {
        int page = ordinal >>> PAGE_SHIFT;
        Object[][] table = pages;
        if (page >= table.length || table[page] == null) {
            table = allocateThrough(page);
        }
        table[page][ordinal & PAGE_MASK] = value;
    }

    private synchronized Object[][] allocateThrough(int page) {
        Object[][] table = pages;
        if (page >= table.length) {
            table = Arrays.copyOf(table, Math.max(page + 1, table.length * 2));
        }
        for (int p = 0; p <= page; p++) {
            if (table[p] == null) {
                table[p] = new Object[PAGE_SIZE];
            }
        }
        pages = table;
        return table;
    }
}
