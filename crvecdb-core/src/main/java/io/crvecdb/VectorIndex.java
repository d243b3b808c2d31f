package io.crvecdb;

import java.util.List;
import java.util.Optional;

/**
 * An HNSW vector index: add vectors under string ids, search the nearest ones.
 *
 * <pre>{@code
 * try (VectorIndex index = VectorIndex.builder().dimensions(384).metric(Metric.COSINE).build()) {
 *     index.add("doc-1", embedding);
 *     List<SearchHit> hits = index.search(query, 10);
 * }
 * }</pre>
 *
 * <p>All methods are thread-safe: adds, deletes and searches may run concurrently from any number
 * of threads, without a global lock. The index has no fixed capacity; it grows as vectors arrive.
 *
 * <p><b>Updates and deletes.</b> Adding an id that exists replaces its vector and payload
 * (upsert). A deleted or replaced vector is never returned again. Its node stays in the graph as a
 * routing-only tombstone, so neighbourhoods remain connected and recall holds; when tombstones
 * exceed a quarter of the graph the index repairs the neighbourhoods around them (each node that
 * linked to a tombstone relinks to the tombstone's live neighbours, chosen with the same diversity
 * heuristic) so searches stop paying for them.
 */
public final class VectorIndex implements AutoCloseable {

    /** Default maximum links per node on the upper layers (twice as many on the base layer). */
    public static final int DEFAULT_M = 16;
    /** Default size of the candidate list while inserting. */
    public static final int DEFAULT_EF_CONSTRUCTION = 200;
    /** Default size of the candidate list while searching (raised to k when k is larger). */
    public static final int DEFAULT_EF_SEARCH = 100;

    private VectorIndex() {
        throw new UnsupportedOperationException("in progress");
    }

    /** Starts configuring a new index. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of vectors the index holds (deleted ones excluded). */
    public int size() {
        throw new UnsupportedOperationException("in progress");
    }

    public int dimensions() {
        throw new UnsupportedOperationException("in progress");
    }

    public Metric metric() {
        throw new UnsupportedOperationException("in progress");
    }

    public int m() {
        throw new UnsupportedOperationException("in progress");
    }

    public int efConstruction() {
        throw new UnsupportedOperationException("in progress");
    }

    /** The candidate list size a search uses when it gives none. */
    public int efSearch() {
        throw new UnsupportedOperationException("in progress");
    }

    /** Adds a vector, or replaces the vector stored under {@code id}. */
    public void add(String id, float[] vector) {
        add(id, vector, null);
    }

    /**
     * Adds a vector with a payload (opaque bytes returned by {@link #get}), or replaces both when
     * {@code id} exists.
     *
     * @throws IllegalArgumentException if the id is null or empty, the vector is null, has the wrong
     *                                  number of dimensions, contains NaN or infinity, or is all
     *                                  zeros under cosine; the index is then unchanged
     * @throws IllegalStateException    if the index is closed
     */
    public void add(String id, float[] vector, byte[] payload) {
        throw new UnsupportedOperationException("in progress");
    }

    /**
     * Adds many records using {@code parallelism} threads (1 = the calling thread only). Every
     * record is validated before any is added, so a bad record leaves the index unchanged.
     */
    public void addAll(List<VectorRecord> records, int parallelism) {
        throw new UnsupportedOperationException("in progress");
    }

    /** The record stored under {@code id}, if any. */
    public Optional<VectorRecord> get(String id) {
        throw new UnsupportedOperationException("in progress");
    }

    public boolean contains(String id) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Deletes the record stored under {@code id}; returns whether there was one. */
    public boolean delete(String id) {
        throw new UnsupportedOperationException("in progress");
    }

    /** The {@code k} nearest records, best first, searched with the index's default ef. */
    public List<SearchHit> search(float[] query, int k) {
        return search(query, k, 0, null);
    }

    /** The {@code k} nearest records that {@code filter} accepts, best first. */
    public List<SearchHit> search(float[] query, int k, SearchFilter filter) {
        return search(query, k, 0, filter);
    }

    /**
     * The {@code k} nearest records that {@code filter} accepts, best first.
     *
     * @param ef     candidate list size; larger is slower and more accurate. 0 uses
     *               {@link #efSearch()}; a value below {@code k} is raised to {@code k}
     * @param filter null to accept every record
     * @throws IllegalArgumentException if {@code k <= 0}, {@code ef < 0} or the query is invalid
     *                                  (as for {@link #add})
     * @throws IllegalStateException    if the index is closed
     */
    public List<SearchHit> search(float[] query, int k, int ef, SearchFilter filter) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Closes the index and releases its memory. Idempotent; later calls fail with IllegalStateException. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("in progress");
    }

    public boolean isClosed() {
        throw new UnsupportedOperationException("in progress");
    }

    /** Settings of a new index. Only {@link #dimensions} is required. */
    public static final class Builder {
        private int dimensions;
        private Metric metric = Metric.COSINE;
        private int m = DEFAULT_M;
        private int efConstruction = DEFAULT_EF_CONSTRUCTION;
        private int efSearch = DEFAULT_EF_SEARCH;
        private long seed = 42;

        private Builder() {
        }

        /** Number of components of every vector; required, at least 1. */
        public Builder dimensions(int dimensions) {
            this.dimensions = dimensions;
            return this;
        }

        /** How vectors are compared; default cosine. */
        public Builder metric(Metric metric) {
            this.metric = metric;
            return this;
        }

        /** Same as {@link #metric(Metric)} with a name parsed by {@link Metric#parse}. */
        public Builder metric(String metric) {
            return metric(Metric.parse(metric));
        }

        /** Maximum links per node on upper layers (2·m on the base layer); default 16, at least 2. */
        public Builder m(int m) {
            this.m = m;
            return this;
        }

        /** Candidate list size while inserting; default 200, at least 1 (raised to m). */
        public Builder efConstruction(int efConstruction) {
            this.efConstruction = efConstruction;
            return this;
        }

        /** Default candidate list size while searching; default 100, at least 1. */
        public Builder efSearch(int efSearch) {
            this.efSearch = efSearch;
            return this;
        }

        /** Seed of the level assignment, for reproducible graphs; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Validates the settings and creates the index. */
        public VectorIndex build() {
            throw new UnsupportedOperationException("in progress");
        }
    }
}
