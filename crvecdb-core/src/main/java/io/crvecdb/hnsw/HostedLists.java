package io.crvecdb.hnsw;

import io.crvecdb.storage.SegmentPages;

/**
 * Records that keep room for a graph's layer-0 link list of each node at {@code offset}, after
 * what a search scores (the vector, or its int8 codes): hnswlib's node block. The list a search
 * reads next has often arrived in cache with the record it scored, where a separate page of lists
 * costs one more miss per step.
 *
 * @param pages  the records, by node ordinal
 * @param offset where the list starts in a record; the list takes the rest of it
 */
public record HostedLists(SegmentPages pages, long offset) {

    public HostedLists {
        if (offset < 0 || offset % 4 != 0 || offset >= pages.recordBytes()) {
            throw new IllegalArgumentException("a hosted link list starts at a multiple of 4 inside its record of "
                    + pages.recordBytes() + " bytes, not at " + offset);
        }
    }

    /** Bytes each record has for its list. */
    long listBytes() {
        return pages.recordBytes() - offset;
    }
}
