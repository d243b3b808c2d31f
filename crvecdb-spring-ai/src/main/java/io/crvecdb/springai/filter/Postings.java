package io.crvecdb.springai.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Id sets from the metadata index whose union holds every document a filter may accept, with the
 * sum of their sizes (an upper bound of the union's size). Nothing is copied.
 */
record Postings(List<Set<String>> sets, long size) {

    static final Postings EMPTY = new Postings(List.of(), 0);

    /** The postings of these sets; null once their sizes add up to more than {@code limit}. */
    static @Nullable Postings of(Iterable<Set<String>> sets, long limit) {
        List<Set<String>> kept = new ArrayList<>();
        long size = 0;
        for (Set<String> ids : sets) {
            size += ids.size();
            if (size > limit) {
                return null;
            }
            kept.add(ids);
        }
        return new Postings(kept, size);
    }

    /** Both postings together; null if their sizes add up to more than {@code limit}. */
    @Nullable Postings union(Postings other, long limit) {
        if (this.size + other.size > limit) {
            return null;
        }
        List<Set<String>> both = new ArrayList<>(this.sets);
        both.addAll(other.sets);
        return new Postings(both, this.size + other.size);
    }
}
