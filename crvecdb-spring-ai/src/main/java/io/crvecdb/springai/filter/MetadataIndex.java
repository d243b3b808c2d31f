package io.crvecdb.springai.filter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;

import org.jspecify.annotations.Nullable;

import io.crvecdb.SearchFilter;

/**
 * Every stored document's metadata, decoded once and normalised (numbers as {@code Double}), plus
 * an inverted index from each key's values to the ids holding them, ordered per value kind.
 *
 * <p>{@link #searchFilter} turns a compiled filter into the core's {@link SearchFilter}: when the
 * index bounds the matching documents to a few, it lists them exactly and the core scans just
 * those; otherwise the core evaluates the filter on the records its graph search visits, one map
 * lookup per record.
 *
 * <p>Thread-safe: writers are serialised, readers never block.
 */
public final class MetadataIndex {

    private final Map<String, Map<String, Object>> documents = new ConcurrentHashMap<>();
    private final Map<String, KeyPostings> keys = new ConcurrentHashMap<>();

    /**
     * Adds or replaces the metadata of a document.
     *
     * @throws IllegalArgumentException if a value is not a string, number or boolean; the index is
     *                                  then unchanged
     */
    public synchronized void put(String id, Map<String, Object> metadata) {
        Map<String, Object> normalized = MetadataValues.normalize(metadata);
        normalized.forEach(KeyPostings::kindOf);
        Map<String, Object> previous = this.documents.put(id, normalized);
        Map<String, Object> before = previous == null ? Map.of() : previous;
        // Readers do not lock: the postings of a value the document keeps are never touched, and
        // new ones are added before stale ones go, so no reader misses a document that matches
        // throughout (stale postings are harmless: every listed id is checked on its metadata).
        normalized.forEach((key, value) -> {
            if (!value.equals(before.get(key))) {
                this.keys.computeIfAbsent(key, k -> new KeyPostings()).add(value, id);
            }
        });
        before.forEach((key, value) -> {
            if (!value.equals(normalized.get(key))) {
                unindex(id, key, value);
            }
        });
    }

    /** Forgets a document; does nothing if it is unknown. */
    public synchronized void remove(String id) {
        Map<String, Object> previous = this.documents.remove(id);
        if (previous != null) {
            previous.forEach((key, value) -> unindex(id, key, value));
        }
    }

    private void unindex(String id, String key, Object value) {
        this.keys.computeIfPresent(key, (k, postings) -> {
            postings.remove(value, id);
            return postings.holders == 0 ? null : postings;
        });
    }

    /**
     * Whether a document's metadata, as stored, passes the filter: for results read back after the
     * search, which a concurrent upsert may have replaced since.
     */
    public static boolean matches(MetadataFilter filter, Map<String, Object> metadata) {
        try {
            return filter.test(MetadataValues.normalize(metadata));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The number of documents. */
    public int size() {
        return this.documents.size();
    }

    /**
     * The core filter for a search with this filter.
     *
     * @param exactScanLimit how many documents the index may list at most: when it can bound the
     *                       matches to that many, the filter {@linkplain SearchFilter#candidates()
     *                       lists} them exactly
     * @throws IllegalArgumentException if some stored document would make the filter compare values
     *                                  of different types, as {@code SimpleVectorStore} would throw
     */
    public SearchFilter searchFilter(MetadataFilter filter, long exactScanLimit) {
        checkComparable(filter);
        Postings postings = FilterPlanner.postings(filter, this, exactScanLimit);
        if (postings != null) {
            return listing(matching(filter, postings.sets()));
        }
        return id -> accepts(filter, id);
    }

    /**
     * A core filter listing every document, for a search asking for at least as many results as
     * there are documents: the core then scans them all exactly rather than walking the graph.
     */
    public SearchFilter everything() {
        return listing(this.documents.keySet());
    }

    private static SearchFilter listing(Set<String> ids) {
        return new SearchFilter() {
            @Override
            public boolean accept(String id) {
                return ids.contains(id);
            }

            @Override
            public Collection<String> candidates() {
                return ids;
            }
        };
    }

    /**
     * The ids of all documents the filter accepts.
     *
     * @throws IllegalArgumentException as {@link #searchFilter}
     */
    public Set<String> matchingIds(MetadataFilter filter) {
        checkComparable(filter);
        Postings postings = FilterPlanner.postings(filter, this, Long.MAX_VALUE);
        return matching(filter, postings != null ? postings.sets() : List.of(this.documents.keySet()));
    }

    /**
     * Throws exactly when {@code SimpleVectorStore} would for these documents: it evaluates the
     * filter on every document and fails on the first comparison of two types. Only documents with
     * a value of another kind than a filter value under a compared key can get there, so only those
     * are evaluated here; the rest of the search can then treat the filter as total.
     */
    private void checkComparable(MetadataFilter filter) {
        Set<String> suspects = new HashSet<>();
        FilterPlanner.collectIncomparable(filter, this, suspects);
        for (String id : suspects) {
            Map<String, Object> metadata = this.documents.get(id);
            if (metadata != null) {
                filter.test(metadata);
            }
        }
    }

    private Set<String> matching(MetadataFilter filter, List<? extends Collection<String>> candidates) {
        Set<String> matching = new HashSet<>();
        for (Collection<String> ids : candidates) {
            for (String id : ids) {
                if (!matching.contains(id) && accepts(filter, id)) {
                    matching.add(id);
                }
            }
        }
        return matching;
    }

    private boolean accepts(MetadataFilter filter, String id) {
        Map<String, Object> metadata = this.documents.get(id);
        if (metadata == null) {
            return false; // a record the index has not been told about yet, or just deleted
        }
        try {
            return filter.test(metadata);
        } catch (IllegalArgumentException e) {
            // checkComparable found no document that fails; this one was written since: reject it.
            return false;
        }
    }

    /**
     * Whether every document holds the key: then conditions that hold for a missing key
     * ({@code <}, {@code <=}, {@code IS NULL}) can be bounded by the key's values too.
     */
    boolean inEveryDocument(String key) {
        KeyPostings postings = this.keys.get(key);
        return postings != null && postings.holders == this.documents.size();
    }

    /** The ids holding exactly this (normalised) value under the key. */
    Set<String> equalTo(String key, Object value) {
        KeyPostings postings = this.keys.get(key);
        ValueKind kind = ValueKind.of(value);
        Set<String> ids = postings == null || kind == null ? null : postings.byKind.get(kind).get(value);
        return ids == null ? Set.of() : ids;
    }

    /**
     * Postings of the values of the same kind above (or below) this one under the key, and equal to
     * it if {@code inclusive}; null beyond {@code limit} ids.
     */
    @SuppressWarnings("unchecked") // the maps of ordered kinds are navigable (KeyPostings)
    @Nullable Postings range(String key, Object value, boolean above, boolean inclusive, long limit) {
        KeyPostings postings = this.keys.get(key);
        ValueKind kind = ValueKind.of(value);
        if (postings == null || kind == null) {
            return Postings.EMPTY;
        }
        if (!kind.ordered()) {
            return null; // a list has no order: only equal lists compare (as 0), which the evaluation finds
        }
        NavigableMap<Object, Set<String>> values = (NavigableMap<Object, Set<String>>) postings.byKind.get(kind);
        return Postings.of((above ? values.tailMap(value, inclusive) : values.headMap(value, inclusive)).values(),
                limit);
    }

    /** Postings of every value under the key; null beyond {@code limit} ids. */
    @Nullable Postings present(String key, long limit) {
        KeyPostings postings = this.keys.get(key);
        if (postings == null) {
            return Postings.EMPTY;
        }
        List<Set<String>> all = new ArrayList<>();
        postings.byKind.values().forEach(values -> all.addAll(values.values()));
        return Postings.of(all, limit);
    }

    /** Adds the ids holding, under the key, a list or a value of another kind than one of the (non-null) filter values. */
    void collectIncomparable(String key, List<?> filterValues, Set<String> out) {
        KeyPostings postings = this.keys.get(key);
        if (postings == null) {
            return;
        }
        postings.byKind.forEach((kind, values) -> {
            // Lists compare with nothing, other lists included, unless equal: evaluate them all.
            boolean incomparable = filterValues.stream().anyMatch(v -> v != null && (ValueKind.of(v) != kind || !kind.ordered()));
            if (incomparable) {
                values.values().forEach(out::addAll);
            }
        });
    }

    /**
     * One key's values, per kind, each with the ids holding it: ordered kinds in their natural
     * order ({@link ConcurrentSkipListMap}s, which {@link #range} relies on), lists unordered.
     */
    private static final class KeyPostings {

        private final Map<ValueKind, ConcurrentMap<Object, Set<String>>> byKind = new EnumMap<>(ValueKind.class);

        /** How many documents hold the key; written under the index's lock. */
        private volatile int holders;

        KeyPostings() {
            for (ValueKind kind : ValueKind.values()) {
                this.byKind.put(kind, kind.ordered() ? new ConcurrentSkipListMap<>() : new ConcurrentHashMap<>());
            }
        }

        static ValueKind kindOf(String key, Object value) {
            ValueKind kind = ValueKind.of(value);
            if (kind == null) {
                throw new IllegalArgumentException("Metadata '" + key + "' holds a " + value.getClass().getName()
                        + "; supported are strings, numbers, booleans and lists");
            }
            return kind;
        }

        void add(Object value, String id) {
            this.byKind.get(ValueKind.of(value)).computeIfAbsent(value, v -> ConcurrentHashMap.newKeySet()).add(id);
            this.holders++;
        }

        void remove(Object value, String id) {
            this.byKind.get(ValueKind.of(value)).computeIfPresent(value, (v, ids) -> {
                ids.remove(id);
                return ids.isEmpty() ? null : ids;
            });
            this.holders--;
        }
    }
}
