package io.crvecdb;

import io.crvecdb.hnsw.HnswGraph;
import io.crvecdb.hnsw.NodeFilter;
import io.crvecdb.hnsw.NodeQueue;
import io.crvecdb.hnsw.VectorValues;
import io.crvecdb.storage.ConcurrentBits;
import io.crvecdb.storage.ObjectPages;
import io.crvecdb.storage.SegmentPages;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

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

    /** Cosine vectors' lengths stay where products of two of them are exact enough in float. */
    private static final double MIN_COSINE_LENGTH = 1e-15;
    private static final double MAX_COSINE_LENGTH = 1e15;
    private static final byte[] NO_PAYLOAD = new byte[0];
    private static final int ID_LOCK_STRIPES = 1024;
    /** Records tested to estimate how many pass a filter. */
    private static final int FILTER_SAMPLE = 256;

    private final int dimensions;
    private final Metric metric;
    private final int m;
    private final int efConstruction;
    private final int efSearch;
    private final VectorValues vectors;
    private final ConcurrentBits deleted;
    private final HnswGraph graph;
    private final ObjectPages<String> ids = new ObjectPages<>();
    private final ObjectPages<byte[]> payloads = new ObjectPages<>();
    private final ConcurrentHashMap<String, Integer> ordinals = new ConcurrentHashMap<>();
    private final AtomicInteger nextOrdinal = new AtomicInteger();
    /** Tombstones created since the last repair of the graph around them. */
    private final AtomicInteger unrepairedTombstones = new AtomicInteger();
    private final ReentrantLock repairLock = new ReentrantLock();
    /** Serialises writers of the same id, so an upsert and a delete of one id cannot interleave. */
    private final ReentrantLock[] idLocks = new ReentrantLock[ID_LOCK_STRIPES];
    private volatile boolean closed;

    private VectorIndex(Builder builder) {
        this.dimensions = builder.dimensions;
        this.metric = builder.metric;
        this.m = builder.m;
        this.efConstruction = builder.efConstruction;
        this.efSearch = builder.efSearch;
        this.vectors = new VectorValues(dimensions, metric, SegmentPages.heapFloatPages());
        this.deleted = new ConcurrentBits(SegmentPages.heapPages());
        this.graph = new HnswGraph(vectors, deleted, m, efConstruction, builder.seed, SegmentPages.heapPages());
        for (int i = 0; i < ID_LOCK_STRIPES; i++) {
            idLocks[i] = new ReentrantLock();
        }
    }

    /** Starts configuring a new index. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of vectors the index holds (deleted ones excluded). */
    public int size() {
        checkOpen();
        return ordinals.size();
    }

    public int dimensions() {
        return dimensions;
    }

    public Metric metric() {
        return metric;
    }

    public int m() {
        return m;
    }

    public int efConstruction() {
        return efConstruction;
    }

    /** The candidate list size a search uses when it gives none. */
    public int efSearch() {
        return efSearch;
    }

    /** Adds a vector, or replaces the vector stored under {@code id}. */
    public void add(String id, float[] vector) {
        add(id, vector, null);
    }

    /**
     * Adds a vector with a payload (opaque bytes returned by {@link #get}), or replaces both when
     * {@code id} exists. The vector and payload are copied.
     *
     * @throws IllegalArgumentException if the id is null or empty, the vector is null, has the wrong
     *                                  number of dimensions, contains NaN or infinity, or is all
     *                                  zeros under cosine; the index is then unchanged
     * @throws IllegalStateException    if the index is closed
     */
    public void add(String id, float[] vector, byte[] payload) {
        checkOpen();
        checkId(id);
        checkVector(vector, "vector of '" + id + "'");
        insert(id, vector.clone(), payload == null ? NO_PAYLOAD : payload.clone());
    }

    /**
     * Adds many records using {@code parallelism} threads (1 = the calling thread only). Every
     * record is validated before any is added, so a bad record leaves the index unchanged. When
     * one id appears several times, the last record wins.
     */
    public void addAll(List<VectorRecord> records, int parallelism) {
        checkOpen();
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        if (records == null) {
            throw new IllegalArgumentException("records is null; pass a list of VectorRecord");
        }
        for (int i = 0; i < records.size(); i++) {
            VectorRecord record = records.get(i);
            if (record == null) {
                throw new IllegalArgumentException("record " + i + " is null; nothing was added");
            }
            checkId(record.id());
            checkVector(record.vector(), "vector of '" + record.id() + "' (record " + i + ")");
        }
        // Later duplicates win: insert only the last occurrence of each id.
        Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            last.put(records.get(i).id(), i);
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < records.size(); ) {
                VectorRecord record = records.get(i);
                if (last.get(record.id()) == i) {
                    insert(record.id(), record.vector().clone(), record.payload().clone());
                }
            }
        };
        runParallel(worker, Math.min(parallelism, Math.max(1, records.size())));
    }

    private static void runParallel(Runnable worker, int threads) {
        if (threads == 1) {
            worker.run();
            return;
        }
        List<Thread> started = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            started.add(Thread.ofPlatform().name("crvecdb-add-" + t).start(() -> {
                try {
                    worker.run();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread thread : started) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while adding records", e);
            }
        }
        if (failure.get() instanceof RuntimeException e) {
            throw e;
        } else if (failure.get() instanceof Error e) {
            throw e;
        }
    }

    private void insert(String id, float[] vector, byte[] payload) {
        ReentrantLock lock = idLock(id);
        lock.lock();
        try {
            checkOpen();
            int ordinal = nextOrdinal.getAndIncrement();
            if (ordinal < 0) {
                nextOrdinal.set(Integer.MAX_VALUE);
                throw new IllegalStateException("the index holds the maximum of " + Integer.MAX_VALUE
                        + " records (deleted ones included); compact it or shard the data");
            }
            vectors.set(ordinal, vector);
            ids.set(ordinal, id);
            payloads.set(ordinal, payload);
            graph.insert(ordinal, vectors.prepareQuery(vector));
            Integer replaced = ordinals.put(id, ordinal);
            if (replaced == null) {
                return;
            }
            deleted.set(replaced);
            graph.tombstoned(replaced);
        } finally {
            lock.unlock();
        }
        tombstoneCreated();
    }

    /** The record stored under {@code id}, if any. */
    public Optional<VectorRecord> get(String id) {
        checkOpen();
        checkId(id);
        Integer ordinal = ordinals.get(id);
        if (ordinal == null) {
            return Optional.empty();
        }
        return Optional.of(new VectorRecord(id, vectors.get(ordinal), payloads.get(ordinal).clone()));
    }

    public boolean contains(String id) {
        checkOpen();
        checkId(id);
        return ordinals.containsKey(id);
    }

    /** Deletes the record stored under {@code id}; returns whether there was one. */
    public boolean delete(String id) {
        checkOpen();
        checkId(id);
        ReentrantLock lock = idLock(id);
        lock.lock();
        try {
            Integer ordinal = ordinals.remove(id);
            if (ordinal == null) {
                return false;
            }
            deleted.set(ordinal);
            graph.tombstoned(ordinal);
        } finally {
            lock.unlock();
        }
        tombstoneCreated();
        return true;
    }

    /**
     * Repairs the graph around tombstones once they exceed a quarter of the live records, in the
     * calling thread; other writers go on meanwhile.
     */
    private void tombstoneCreated() {
        int unrepaired = unrepairedTombstones.incrementAndGet();
        if (unrepaired > Math.max(64, ordinals.size() / 4) && repairLock.tryLock()) {
            try {
                unrepairedTombstones.addAndGet(-unrepaired);
                graph.repairTombstones();
            } finally {
                repairLock.unlock();
            }
        }
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
        checkOpen();
        if (k <= 0) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (ef < 0) {
            throw new IllegalArgumentException("ef must be 0 (the index default) or positive, got " + ef);
        }
        checkVector(query, "query");
        // No search can return more records than were ever inserted: cap the beam there, so a
        // huge k or ef costs nothing more than scanning them all.
        int beam = Math.min(Math.max(ef == 0 ? efSearch : ef, k), Math.max(1, graph.nodeBound()));
        float[] prepared = vectors.prepareQuery(query);
        HnswGraph.Neighbors found = filter == null
                ? unfilteredSearch(prepared, k, beam)
                : filteredSearch(prepared, k, beam, filter);
        return toHits(found, k);
    }

    /**
     * The graph search, backed by an exact scan when it returns fewer than k records while the index
     * holds more: pruning can, rarely (tiny m, dot product), cut a few records off from the rest,
     * and a caller asking for k must still get k.
     */
    private HnswGraph.Neighbors unfilteredSearch(float[] query, int k, int beam) {
        HnswGraph.Neighbors found = graph.search(query, beam, null, Integer.MAX_VALUE);
        if (found.count() >= k || found.count() >= ordinals.size()) {
            return found;
        }
        return exactScan(query, beam, all(graph.nodeBound(), node -> ids.get(node) != null));
    }

    /**
     * Chooses between the graph and an exact scan, as Lucene does: when few records pass, scanning
     * them is cheaper and exact; otherwise the graph search collects only accepted records, and
     * falls back to the scan if it visits more records than the scan would cost or finds fewer
     * than k.
     */
    private HnswGraph.Neighbors filteredSearch(float[] query, int k, int beam, SearchFilter filter) {
        // Scans cover every ordinal below the bound, including ones whose insert has not yet
        // stored its id (a concurrent insert of a higher ordinal raised the bound): skip those.
        NodeFilter accepted = node -> {
            String id = ids.get(node);
            return id != null && filter.accept(id);
        };
        Collection<String> listed = filter.candidates();
        int bound = graph.nodeBound();
        long passing;
        if (listed != null) {
            passing = listed.size();
            if (passing <= 2L * beam) {
                return exactScan(query, beam, listedOrdinals(listed));
            }
        } else {
            passing = estimatePassing(accepted, bound);
            if (passing <= 2L * beam) {
                return exactScan(query, beam, all(bound, accepted));
            }
        }
        // An exact scan costs a distance per passing record (plus, unlisted, a cheap filter call per record).
        long scanCost = passing + (listed == null ? bound / 8 : 0);
        int visitLimit = (int) Math.min(Integer.MAX_VALUE, Math.max(scanCost, 4L * beam));
        HnswGraph.Neighbors found = graph.search(query, beam, accepted, visitLimit);
        if (found.complete() && found.count() >= k) {
            return found;
        }
        return exactScan(query, beam, listed != null ? listedOrdinals(listed) : all(bound, accepted));
    }

    /** Estimates how many live records pass a filter from a random sample. */
    private long estimatePassing(NodeFilter accepted, int bound) {
        if (bound <= FILTER_SAMPLE) {
            return 0; // small enough to scan outright
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int sampled = 0;
        int passed = 0;
        for (int tries = 0; tries < 4 * FILTER_SAMPLE && sampled < FILTER_SAMPLE; tries++) {
            int node = random.nextInt(bound);
            if (!deleted.get(node)) {
                sampled++;
                if (accepted.accept(node)) {
                    passed++;
                }
            }
        }
        return sampled == 0 ? 0 : (long) passed * ordinals.size() / sampled;
    }

    /** Ordinal source for an exact scan: calls {@code sink} with each candidate ordinal. */
    private interface Ordinals {
        void forEach(IntConsumer sink);
    }

    private Ordinals listedOrdinals(Collection<String> listed) {
        return sink -> {
            for (String id : listed) {
                Integer ordinal = id == null ? null : ordinals.get(id);
                if (ordinal != null) {
                    sink.accept(ordinal);
                }
            }
        };
    }

    private Ordinals all(int bound, NodeFilter accepted) {
        return sink -> {
            for (int node = 0; node < bound; node++) {
                if (!deleted.get(node) && accepted.accept(node)) {
                    sink.accept(node);
                }
            }
        };
    }

    private HnswGraph.Neighbors exactScan(float[] query, int beam, Ordinals candidates) {
        NodeQueue best = new NodeQueue(NodeQueue.Order.FARTHEST_FIRST, beam + 1);
        candidates.forEach(node -> {
            if (!deleted.get(node)) {
                best.pushBounded(node, vectors.distance(query, node), beam);
            }
        });
        int count = best.size();
        int[] nodes = new int[count];
        float[] distances = new float[count];
        for (int i = count - 1; i >= 0; i--) {
            distances[i] = best.topDistance();
            nodes[i] = best.pop();
        }
        return new HnswGraph.Neighbors(nodes, distances, count, true);
    }

    /**
     * Turns nodes into hits. An upsert links the new node before it tombstones the old one, so a
     * concurrent search may meet both: the nearer one wins.
     */
    private List<SearchHit> toHits(HnswGraph.Neighbors found, int k) {
        List<SearchHit> hits = new ArrayList<>(Math.min(k, found.count()));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < found.count() && hits.size() < k; i++) {
            String id = ids.get(found.nodes()[i]);
            if (seen.add(id)) {
                hits.add(hit(id, found.distances()[i]));
            }
        }
        return hits;
    }

    /** Converts the graph's internal distance (see {@link VectorValues}) to the documented score and distance. */
    private SearchHit hit(String id, float internal) {
        return switch (metric) {
            case L2 -> new SearchHit(id, 1f / (1f + internal), (float) Math.sqrt(Math.max(0f, internal)));
            case COSINE -> {
                // Rounding can take 1 - cos a hair outside [0, 2].
                float distance = Math.clamp(internal, 0f, 2f);
                yield new SearchHit(id, 1f - distance / 2f, distance);
            }
            case DOT_PRODUCT -> new SearchHit(id, 1f - internal / 2f, internal);
        };
    }

    /**
     * Closes the index: later calls fail with {@link IllegalStateException}, and its memory is
     * reclaimed once the index is no longer referenced. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the index is closed; open or build a new one");
        }
    }

    private static void checkId(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("id must be a non-empty string, got " + (id == null ? "null" : "\"\""));
        }
    }

    private void checkVector(float[] vector, String what) {
        if (vector == null) {
            throw new IllegalArgumentException(what + " is null; expected " + dimensions + " floats");
        }
        if (vector.length != dimensions) {
            throw new IllegalArgumentException(what + " has " + vector.length + " dimensions; this index expects "
                    + dimensions);
        }
        boolean allZero = true;
        for (int i = 0; i < vector.length; i++) {
            float x = vector[i];
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException(what + " has " + x + " at position " + i
                        + "; every component must be a finite number");
            }
            allZero &= x == 0f;
        }
        if (metric != Metric.COSINE) {
            return;
        }
        if (allZero) {
            throw new IllegalArgumentException(what + " is all zeros, which has no direction for cosine similarity; "
                    + "drop it or use the l2 metric");
        }
        double length = VectorValues.length(vector);
        if (length < MIN_COSINE_LENGTH || length > MAX_COSINE_LENGTH) {
            throw new IllegalArgumentException(what + " has length " + length + "; cosine needs a length between "
                    + MIN_COSINE_LENGTH + " and " + MAX_COSINE_LENGTH + " so float dot products neither underflow nor "
                    + "overflow; scale it (only its direction counts)");
        }
    }

    private ReentrantLock idLock(String id) {
        return idLocks[id.hashCode() & (ID_LOCK_STRIPES - 1)];
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

        /** Maximum links per node on upper layers (2·m on the base layer); default 16, from 2 to 512. */
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
            if (dimensions < 1) {
                throw new IllegalArgumentException("dimensions must be at least 1, got " + dimensions
                        + "; set it to the length of your vectors (e.g. 384 for all-MiniLM-L6-v2)");
            }
            if (metric == null) {
                throw new IllegalArgumentException("metric must not be null; use cosine, l2 or dot");
            }
            if (m < 2) {
                throw new IllegalArgumentException("m must be at least 2, got " + m + "; 16 is a good default");
            }
            if (m > 512) {
                throw new IllegalArgumentException("m must be at most 512, got " + m + "; 16 to 64 is typical");
            }
            if (efConstruction < 1) {
                throw new IllegalArgumentException("efConstruction must be at least 1, got " + efConstruction
                        + "; 200 is a good default");
            }
            if (efSearch < 1) {
                throw new IllegalArgumentException("efSearch must be at least 1, got " + efSearch
                        + "; " + DEFAULT_EF_SEARCH + " is a good default");
            }
            return new VectorIndex(this);
        }
    }
}
