package io.crvecdb;

import java.util.Collection;
import java.util.Set;

/**
 * Restricts a search to the records whose id it accepts. The filter is applied inside the graph
 * search: rejected records still serve as stepping stones between neighbourhoods but are never
 * returned, so a filtered search returns {@code k} hits whenever {@code k} records pass.
 *
 * <p>When few records pass, the index scans them exactly instead of walking the graph. It estimates
 * how many pass by sampling {@link #accept} unless the filter {@linkplain #candidates() lists them}:
 * a filter built with {@link #anyOf} is scanned directly, which is the fast path for very selective
 * filters (a metadata index lookup, a tenant's ids).
 *
 * <p>Implementations must be thread-safe and cheap: {@link #accept} may be called for every visited
 * record.
 */
@FunctionalInterface
public interface SearchFilter {

    /** Whether the record with this id may be returned. */
    boolean accept(String id);

    /**
     * The ids this filter accepts, when it can list them cheaply; {@code null} (the default) when it
     * cannot. A non-null answer must be exactly the ids {@link #accept} accepts.
     */
    default Collection<String> candidates() {
        return null;
    }

    /** A filter accepting exactly the given ids; the index scans them directly when they are few. */
    static SearchFilter anyOf(Collection<String> ids) {
        if (ids == null) {
            throw new IllegalArgumentException("ids is null; pass a collection of record ids");
        }
        for (String id : ids) {
            if (id == null) {
                throw new IllegalArgumentException("ids holds null; pass record ids only");
            }
        }
        Set<String> set = Set.copyOf(ids);
        return new SearchFilter() {
            @Override
            public boolean accept(String id) {
                return set.contains(id);
            }

            @Override
            public Collection<String> candidates() {
                return set;
            }
        };
    }
}
