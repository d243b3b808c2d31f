package io.crvecdb;

import io.crvecdb.hnsw.HnswGraph;
import io.crvecdb.hnsw.NodeFilter;
import io.crvecdb.hnsw.NodeQueue;
import io.crvecdb.hnsw.QueryScorer;
import io.crvecdb.hnsw.VectorValues;
import io.crvecdb.quantization.QuantizedVectors;
import io.crvecdb.quantization.ScalarQuantizer;
import io.crvecdb.storage.ConcurrentBits;
import io.crvecdb.storage.DataFile;
import io.crvecdb.storage.ObjectPages;
import io.crvecdb.storage.SegmentPages;
import io.crvecdb.storage.StoreCorruptedException;
import io.crvecdb.storage.StoredBytes;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import java.util.function.LongFunction;
import java.util.stream.IntStream;

/**
 * The records of an index and the graph over them: what {@link VectorIndex} validates, logs and
 * locks for. An engine is either built empty or loaded from a data file; compaction replaces the
 * whole engine, so searches holding the old one finish undisturbed.
 *
 * <p>Callers serialise writers of the same id; everything else is safe to call concurrently.
 */
final class Engine {

    /** Records tested to estimate how many pass a filter. */
    private static final int FILTER_SAMPLE = 256;
    /** Records an int8 range is first learned from; it is learned again each time the index doubles. */
    private static final int FIRST_TRAINING = 1024;
    /**
     * An int8 search walks a beam of at least this many times k candidates; up to ef = 2·k the
     * re-scoring ({@link #RESCORED_PER_RESULT}) covers the whole beam. There its recall@10 matched
     * full precision's at the same ef (ef 20: SIFT-100k 0.9526 vs 0.9521, text-wordnet 0.9468 vs
     * 0.9442). The floor was 4·k before the relaxed heuristic (commit 12a51ac); on its graph that
     * only made small ef slower.
     */
    static final int OVERSAMPLING = 2;
    /**
     * Of which it re-scores against the full vectors the best (by int8 distance) this many times k,
     * at least {@link #MIN_RESCORED}: on both shared datasets re-scoring 2·k gave the recall@1 and
     * @10 of re-scoring the whole beam (at ef up to 160), where each re-scored record is a float
     * vector read from far away.
     */
    static final int RESCORED_PER_RESULT = 2;
    static final int MIN_RESCORED = 10;
    private static final byte[] NO_PAYLOAD = new byte[0];

    final int dimensions;
    final Metric metric;
    final int m;
    final int efConstruction;
    final long seed;
    final Quantization quantization;
    private final VectorValues vectors;
    /** Int8 codes when quantized, else null. */
    private final QuantizedVectors quantized;
    /** Records the int8 range was last learned from (or found to hold none, see {@link ScalarQuantizer#train}). */
    private volatile int trainedAt;
    private final ConcurrentBits deleted;
    /**
     * Per node replaced by an upsert since the engine was made, the new node's ordinal + 1 (0:
     * none): a scan under way takes the old node while its direct successor lies beyond the scan.
     */
    private final SegmentPages successors = new SegmentPages(Integer.BYTES, SegmentPages.heapPages());
    /** The reverse of {@link #successors}: per node an upsert made, the node it replaced + 1 (0: none). */
    private final SegmentPages predecessors = new SegmentPages(Integer.BYTES, SegmentPages.heapPages());
    private final HnswGraph graph;
    private final ObjectPages<String> ids = new ObjectPages<>();
    /** Payloads of records added since the engine was loaded; older ones are read from the data file. */
    private final ObjectPages<byte[]> payloads = new ObjectPages<>();
    private final StoredBytes loadedPayloads;
    private final ConcurrentHashMap<String, Integer> ordinals = new ConcurrentHashMap<>();
    private final AtomicInteger nextOrdinal = new AtomicInteger();
    private final AtomicInteger deletedCount = new AtomicInteger();
    /** Tombstones created since the last repair of the graph around them. */
    private final AtomicInteger unrepairedTombstones = new AtomicInteger();
    private final ReentrantLock repairLock = new ReentrantLock();
    /** Reads of the data file this engine was loaded from, if any. */
    final MappedReads reads;

    /**
     * @param listsBesideVectors whether each node's layer-0 link list sits right after its vector, in
     *                           the vector pages (see {@link VectorValues}), rather than in pages of
     *                           lists from {@code linkPages}
     */
    private Engine(int dimensions, Metric metric, int m, int efConstruction, long seed, Quantization quantization,
                   boolean listsBesideVectors, LongFunction<MemorySegment> linkPages, StoredBytes loadedPayloads,
                   DataFile mapping) {
        this.dimensions = dimensions;
        this.metric = metric;
        this.m = m;
        this.efConstruction = efConstruction;
        this.seed = seed;
        this.quantization = quantization;
        this.vectors = new VectorValues(dimensions, metric, listsBesideVectors ? HnswGraph.listBytes(m) : 0,
                SegmentPages.heapFloatPages());
        this.quantized = quantization == Quantization.INT8
                ? new QuantizedVectors(dimensions, metric, vectors) : null;
        this.deleted = new ConcurrentBits(SegmentPages.heapPages());
        this.graph = new HnswGraph(vectors, deleted, m, efConstruction, seed, linkPages);
        this.loadedPayloads = loadedPayloads;
        this.reads = new MappedReads(mapping);
    }

    /**
     * An empty engine on the heap. Without quantization each layer-0 link list sits beside its
     * vector; int8 searches walk the codes and lists and never the float vectors, so there the
     * lists keep pages of their own, packed.
     */
    static Engine inMemory(int dimensions, Metric metric, int m, int efConstruction, long seed,
                           Quantization quantization) {
        return new Engine(dimensions, metric, m, efConstruction, seed, quantization,
                quantization == Quantization.NONE, SegmentPages.heapPages(), null, null);
    }

    /**
     * An engine over a data file's records: vectors and payloads stay in the mapping, link lists
     * are copied off-heap into pages of their own (they change as records arrive, and the mapped
     * vector pages hold vectors only), ids come onto the heap for lookups.
     *
     * @throws StoreCorruptedException if a section holds impossible values
     */
    static Engine load(DataFile file) {
        DataFile.Header header = file.header();
        int count = header.nodeCount();
        StoredBytes payloads;
        StoredBytes ids;
        try {
            payloads = new StoredBytes(file.section(DataFile.Section.PAYLOADS), count);
            ids = new StoredBytes(file.section(DataFile.Section.IDS), count);
        } catch (IllegalArgumentException e) {
            throw new StoreCorruptedException(file.file(), 0, "ids or payloads: " + e.getMessage());
        }
        Engine engine = new Engine(header.dimensions(), header.metric(), header.m(), header.efConstruction(),
                header.seed(), header.quantization(), false, bytes -> Arena.ofAuto().allocate(bytes, 8), payloads, file);
        MemorySegment vectorSection = file.section(DataFile.Section.VECTORS);
        if (vectorSection.byteSize() != count * engine.vectors.recordBytes()) {
            throw new StoreCorruptedException(file.file(), 0, "vector section of " + vectorSection.byteSize()
                    + " bytes for " + count + " records");
        }
        engine.vectors.load(vectorSection, count);
        MemorySegment deletedSection = file.section(DataFile.Section.DELETED);
        if (deletedSection.byteSize() != 8L * ((count + 63) / 64)) {
            throw new StoreCorruptedException(file.file(), 0, "deleted set of " + deletedSection.byteSize() + " bytes");
        }
        for (int node = 0; node < count; node++) {
            long word = deletedSection.get(ValueLayout.JAVA_LONG_UNALIGNED, 8L * (node >>> 6));
            String id = new String(ids.get(node), StandardCharsets.UTF_8);
            engine.ids.set(node, id);
            if ((word & (1L << node)) != 0) {
                engine.deleted.set(node);
                engine.deletedCount.incrementAndGet();
            } else if (id.isEmpty() || engine.ordinals.putIfAbsent(id, node) != null) {
                throw new StoreCorruptedException(file.file(), 0, "live record " + node + " has the id '" + id
                        + "', empty or held by another live record");
            }
        }
        try {
            engine.graph.load(file.section(DataFile.Section.LINKS), file.section(DataFile.Section.UPPER_LINKS),
                    count, header.entryNode(), header.entryLevel());
        } catch (IllegalArgumentException e) {
            throw new StoreCorruptedException(file.file(), 0, "graph: " + e.getMessage());
        }
        MemorySegment codes = file.section(DataFile.Section.CODES);
        if (engine.quantized != null && header.quantizedCount() > 0) {
            if (codes.byteSize() != count * engine.quantized.recordBytes()) {
                throw new StoreCorruptedException(file.file(), 0, "code section of " + codes.byteSize() + " bytes for "
                        + count + " records");
            }
            try {
                engine.quantized.load(new ScalarQuantizer(header.quantizerOffset(), header.quantizerScale()), codes, count);
            } catch (IllegalArgumentException e) {
                throw new StoreCorruptedException(file.file(), 76, e.getMessage());
            }
            engine.trainedAt = header.quantizedCount();
        } else if (codes.byteSize() != 0) {
            throw new StoreCorruptedException(file.file(), 0, "codes stored for an index that has none");
        }
        engine.nextOrdinal.set(count);
        return engine;
    }

    int size() {
        return ordinals.size();
    }

    /** See {@link VectorIndex#searchMemoryBytes()}. */
    long searchMemoryBytes() {
        return graph.allocatedBytes() + (hasTrainedCodes() ? quantized.allocatedBytes() : vectors.allocatedBytes());
    }

    /** Whether searches walk int8 codes: the index is quantized and its range has been learned. */
    private boolean hasTrainedCodes() {
        return quantized != null && quantized.isTrained();
    }

    /** Tombstones: deleted or replaced records still in the graph. */
    int deletedCount() {
        return deletedCount.get();
    }

    /** Records ever inserted, tombstones included. */
    int nodeCount() {
        return graph.nodeBound();
    }

    // ---------------------------------------------------------------------------------------------
    // Writes (the caller holds the id's lock)

    void insert(String id, float[] vector, byte[] payload) {
        int ordinal = nextOrdinal.getAndIncrement();
        if (ordinal < 0) {
            nextOrdinal.set(Integer.MAX_VALUE);
            throw new IllegalStateException("the index holds the maximum of " + Integer.MAX_VALUE
                    + " records (deleted ones included); compact it or shard the data");
        }
        vectors.set(ordinal, vector);
        if (quantized != null) {
            quantized.add(ordinal, vector); // before the graph links it: searches may meet it from then on
        }
        ids.set(ordinal, id);
        payloads.set(ordinal, payload);
        graph.insert(ordinal, scorer(vectors.prepareQuery(vector), hasTrainedCodes()));
        // The caller holds the id's lock: the node it maps to cannot change until the put below. Its
        // successor is recorded first, so that a walk that finds the id moved on also finds where.
        Integer replaced = ordinals.get(id);
        if (replaced != null) {
            recordNode(successors, replaced, ordinal);
            recordNode(predecessors, ordinal, replaced);
        }
        ordinals.put(id, ordinal);
        if (replaced != null) {
            tombstone(replaced);
        }
    }

    boolean delete(String id) {
        Integer ordinal = ordinals.remove(id);
        if (ordinal == null) {
            return false;
        }
        tombstone(ordinal);
        return true;
    }

    private void tombstone(int ordinal) {
        deleted.set(ordinal);
        deletedCount.incrementAndGet();
        graph.tombstoned(ordinal);
        unrepairedTombstones.incrementAndGet();
    }

    /**
     * Repairs the graph around tombstones once they exceed a quarter of the live records, in the
     * calling thread; other writers go on meanwhile. Call without holding an id lock.
     *
     * @return whether it repaired (the caller then {@linkplain #reconnectUnreachable reconnects})
     */
    boolean repairIfDue() {
        int unrepaired = unrepairedTombstones.get();
        if (unrepaired > Math.max(64, ordinals.size() / 4) && repairLock.tryLock()) {
            try {
                unrepairedTombstones.addAndGet(-unrepaired);
                graph.repairTombstones(this::replacementOf);
                return true;
            } finally {
                repairLock.unlock();
            }
        }
        return false;
    }

    /** The live node that holds the record of tombstone {@code node} now (upserted, or added again after a delete), or -1. */
    private int replacementOf(int node) {
        String id = ids.get(node);
        Integer current = id == null ? null : ordinals.get(id);
        return current == null || current == node ? -1 : current;
    }

    /** Whether the int8 range should be learned (again): at 1,024 records, then each time they double. */
    boolean quantizationDue() {
        return quantized != null && graph.nodeBound() >= Math.max(FIRST_TRAINING, 2L * trainedAt);
    }

    /** Learns the int8 range from the records and re-encodes them all; callers stop writers first. */
    void trainQuantizer() {
        int count = graph.nodeBound();
        quantized.train(count, node -> !deleted.get(node));
        trainedAt = count;
    }

    // ---------------------------------------------------------------------------------------------
    // Reads

    VectorRecord get(String id) {
        Integer ordinal = ordinals.get(id);
        return ordinal == null ? null : new VectorRecord(id, vectors.get(ordinal), payload(ordinal));
    }

    boolean contains(String id) {
        return ordinals.containsKey(id);
    }

    void forEach(java.util.function.Consumer<VectorRecord> action) {
        int bound = graph.nodeBound();
        BitSet taken = new BitSet(bound);
        for (int node = 0; node < bound; node++) {
            String id = ids.get(node);
            // Live means the id still maps to this node: an upsert's newer node is seen, not both.
            // A node an upsert replaced meanwhile by one at or beyond the bound, which the walk never
            // reaches, is the record as it was: taken, or the record would be missed altogether.
            if (id != null && ((!deleted.get(node) && Integer.valueOf(node).equals(ordinals.get(id)))
                    || replacedBeyond(node, bound))
                    && !earlierVersionTaken(node, taken)) {
                taken.set(node);
                action.accept(new VectorRecord(id, vectors.get(node), payload(node)));
            }
        }
    }

    /**
     * Whether the walk took a version of this node's record that this node's upsert replaced: an
     * upsert under way when the walk began has its node below the bound, and the old node may have
     * been taken while it was still the record's. (Each live record's history is walked once, so a
     * walk stays linear in the nodes.)
     */
    private boolean earlierVersionTaken(int node, BitSet taken) {
        for (int version = predecessorOf(node); version >= 0; version = predecessorOf(version)) {
            if (taken.get(version)) {
                return true;
            }
        }
        return false;
    }

    private int predecessorOf(int node) {
        return recordedNode(predecessors, node);
    }

    /** Records {@code other} for {@code node} in an upsert table ({@link #successors}, {@link #predecessors}). */
    private static void recordNode(SegmentPages table, int node, int other) {
        table.ensureCapacity(node);
        table.page(node).set(ValueLayout.JAVA_INT, table.offset(node), other + 1);
    }

    /** The node recorded for {@code node} in an upsert table, or -1 if none. */
    private static int recordedNode(SegmentPages table, int node) {
        MemorySegment page = table.pageIfPresent(node);
        return page == null ? -1 : page.get(ValueLayout.JAVA_INT, table.offset(node)) - 1;
    }

    private byte[] payload(int ordinal) {
        byte[] recent = payloads.get(ordinal);
        if (recent != null) {
            return recent.clone();
        }
        return loadedPayloads != null && ordinal < loadedPayloads.count() ? loadedPayloads.get(ordinal) : NO_PAYLOAD;
    }

    List<SearchHit> search(float[] query, int k, int ef, SearchFilter filter) {
        // No search can return more records than were ever inserted: cap the beam there, so a
        // huge k or ef costs nothing more than scanning them all.
        boolean int8 = hasTrainedCodes();
        long wanted = int8 ? Math.max(ef, (long) OVERSAMPLING * k) : Math.max(ef, k);
        long rescored = Math.max((long) RESCORED_PER_RESULT * k, MIN_RESCORED);
        float[] prepared = vectors.prepareQuery(query);
        QueryScorer scorer = scorer(prepared, int8);
        for (long extra = 0; ; ) {
            int bound = Math.max(1, graph.nodeBound());
            int beam = (int) Math.min(wanted + extra, bound);
            HnswGraph.Neighbors found = filter == null
                    ? unfilteredSearch(prepared, scorer, k, beam)
                    : filteredSearch(prepared, scorer, k, beam, filter);
            if (int8) {
                found = rescore(prepared, found, (int) Math.min(Integer.MAX_VALUE, rescored + extra));
            }
            List<SearchHit> hits = new ArrayList<>(Math.min(k, found.count()));
            int duplicates = toHits(found, k, hits);
            // An upsert under way can put both versions of a record among the candidates, the second
            // taking another record's place: search again, wider by as many, so that k pass, k return.
            if (hits.size() >= k || duplicates == 0 || beam >= bound) {
                return hits;
            }
            extra += duplicates;
        }
    }

    /** What searches and inserts walk the graph by: int8 codes once learned, else full precision. */
    private QueryScorer scorer(float[] prepared, boolean int8) {
        return int8 ? quantized.scorer(prepared) : vectors.scorer(prepared);
    }

    /**
     * Keeps the first {@code count} of {@code found} (nearest first), with their quantized distances
     * replaced by full-precision ones, re-sorted: exact scores, and recall back.
     */
    private HnswGraph.Neighbors rescore(float[] query, HnswGraph.Neighbors found, int count) {
        int n = Math.min(count, found.count());
        vectors.scorer(query).distances(found.nodes(), n, found.distances());
        NodeQueue.sortByDistance(found.nodes(), found.distances(), n);
        return new HnswGraph.Neighbors(found.nodes(), found.distances(), n, found.complete());
    }

    /**
     * The graph search, backed by an exact scan when it returns fewer than k records while the index
     * holds more: pruning can, rarely (tiny m, dot product), cut a few records off from the rest,
     * and a caller asking for k must still get k. A beam as wide as the live records is a scan
     * outright: it is exact where the graph could miss such a record, and costs no more.
     */
    private HnswGraph.Neighbors unfilteredSearch(float[] query, QueryScorer scorer, int k, int beam) {
        if (beam >= ordinals.size()) {
            return scanAll(query, beam);
        }
        HnswGraph.Neighbors found = graph.search(scorer, beam, null, Integer.MAX_VALUE);
        if (found.count() >= k || found.count() >= ordinals.size()) {
            return found;
        }
        return scanAll(query, beam);
    }

    private HnswGraph.Neighbors scanAll(float[] query, int beam) {
        return exactScan(query, beam, all(graph.nodeBound(), node -> ids.get(node) != null));
    }

    /**
     * Chooses between the graph and an exact scan, as Lucene does: when few records pass, scanning
     * them is cheaper and exact; otherwise the graph search collects only accepted records, and
     * falls back to the scan if it visits more records than the scan would cost or finds fewer
     * than k.
     */
    private HnswGraph.Neighbors filteredSearch(float[] query, QueryScorer scorer, int k, int beam, SearchFilter filter) {
        // Scans cover every ordinal below the bound, including ones whose insert has not yet
        // stored its id (a concurrent insert of a higher ordinal raised the bound): skip those.
        NodeFilter accepted = node -> {
            String id = ids.get(node);
            return id != null && filter.accept(id);
        };
        Collection<String> listed = filter.candidates();
        if (listed != null && !(listed instanceof Set<String>)) {
            // A list may name an id twice: scanned as given, its copies would take other records' places.
            listed = new HashSet<>(listed);
        }
        int bound = graph.nodeBound();
        if (beam >= ordinals.size()) {
            // As unfiltered: a beam as wide as the live records is a scan, exact where the graph
            // could miss a record cut off from the rest.
            return exactScan(query, beam, listed != null ? listedOrdinals(listed) : all(bound, accepted));
        }
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
        HnswGraph.Neighbors found = graph.search(scorer, beam, accepted, visitLimit);
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

    /**
     * The ordinals below {@code bound} that a scan takes: live ones, and a node whose upsert's new
     * node (its direct successor, not a later version) lies at or beyond the bound. An upsert
     * tombstones the old node after it stores the new one at a higher ordinal, so a scan that read
     * its bound before would otherwise see neither; it sees the record as it was instead.
     */
    private Ordinals all(int bound, NodeFilter accepted) {
        return sink -> {
            for (int node = 0; node < bound; node++) {
                if ((!deleted.get(node) || replacedBeyond(node, bound)) && accepted.accept(node)) {
                    sink.accept(node);
                }
            }
        };
    }

    private boolean replacedBeyond(int node, int bound) {
        return recordedNode(successors, node) >= bound;
    }

    /**
     * Scores the candidates exactly. Each is taken as its producer found it: a node tombstoned by
     * a concurrent upsert since is the record as it was a moment ago, not a record gone.
     */
    private HnswGraph.Neighbors exactScan(float[] query, int beam, Ordinals candidates) {
        NodeQueue best = new NodeQueue(NodeQueue.Order.FARTHEST_FIRST, beam + 1);
        candidates.forEach(node -> best.pushBounded(node, vectors.distance(query, node), beam));
        int count = best.size();
        int[] nodes = new int[count + QueryScorer.BATCH_PADDING];
        float[] distances = new float[nodes.length];
        for (int i = count - 1; i >= 0; i--) {
            distances[i] = best.topDistance();
            nodes[i] = best.pop();
        }
        return new HnswGraph.Neighbors(nodes, distances, count, true);
    }

    /**
     * Turns nodes into hits, into {@code hits}. An upsert links the new node before it tombstones the
     * old one, so a concurrent search may meet both: the nearer one wins.
     *
     * @return how many nodes were left out as a second version of a record already taken
     */
    private int toHits(HnswGraph.Neighbors found, int k, List<SearchHit> hits) {
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        for (int i = 0; i < found.count() && hits.size() < k; i++) {
            String id = ids.get(found.nodes()[i]);
            if (seen.add(id)) {
                hits.add(hit(id, found.distances()[i]));
            } else {
                duplicates++;
            }
        }
        return duplicates;
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

    // ---------------------------------------------------------------------------------------------
    // Snapshots (callers stop writers first)

    /**
     * Writes every record to a data file; with {@code compact}, only live ones, renumbered by
     * {@link #compactionRemap}.
     */
    void writeTo(DataFile.Writer out, int efSearch, long generation, long lastSeq, long storeId, boolean compact) {
        int count = graph.nodeBound();
        int[] remap = null;
        if (compact) {
            remap = compactionRemap(count);
        } else {
            graph.reconnectUnreachable(); // a compaction's caller reconnects the graph it loads
        }
        int[] oldOrdinals = remap == null ? IntStream.range(0, count).toArray() : oldOrdinals(remap);
        int kept = oldOrdinals.length;
        out.begin(DataFile.Section.VECTORS);
        for (int node : oldOrdinals) {
            out.writeSegment(vectors.record(node));
        }
        out.end();
        out.begin(DataFile.Section.LINKS);
        graph.writeLevel0(out::writeInt, oldOrdinals, remap);
        out.end();
        out.begin(DataFile.Section.UPPER_LINKS);
        graph.writeUpper(out::writeInt, count, remap);
        out.end();
        out.begin(DataFile.Section.DELETED);
        for (int word = 0; word < (kept + 63) / 64; word++) {
            long bits = 0;
            for (int bit = 0; bit < 64 && word * 64 + bit < kept; bit++) {
                if (deleted.get(oldOrdinals[word * 64 + bit])) {
                    bits |= 1L << bit;
                }
            }
            out.writeLong(bits);
        }
        out.end();
        out.begin(DataFile.Section.IDS);
        StoredBytes.write(out, kept, i -> ids.get(oldOrdinals[i]).getBytes(StandardCharsets.UTF_8));
        out.end();
        out.begin(DataFile.Section.PAYLOADS);
        // A tombstone's payload is never read again: drop it.
        StoredBytes.write(out, kept, i -> deleted.get(oldOrdinals[i]) ? NO_PAYLOAD : payload(oldOrdinals[i]));
        out.end();
        out.begin(DataFile.Section.CODES);
        boolean trained = hasTrainedCodes();
        for (int i = 0; trained && i < kept; i++) {
            out.writeSegment(quantized.record(oldOrdinals[i]));
        }
        out.end();
        int entryNode = remap == null ? graph.entryNode() : remappedEntryNode(remap, kept);
        int entryLevel = remap == null ? graph.entryLevel() : remappedEntryLevel(kept);
        ScalarQuantizer range = trained ? quantized.quantizer() : null;
        out.finish(new DataFile.Header(dimensions, metric, m, efConstruction, efSearch, seed, generation, lastSeq,
                kept, Math.max(entryNode, 0), Math.max(entryLevel, 0), quantization,
                trained ? trainedAtKeeping(kept) : 0,
                trained ? range.offset() : 0, trained ? range.scale() : 0, storeId));
    }

    /**
     * A new in-memory engine holding only the live records, renumbered by {@link #compactionRemap}:
     * the graph is copied, not rebuilt, so this costs about a copy of the index. This engine stays
     * searchable meanwhile.
     */
    Engine compacted() {
        int count = graph.nodeBound();
        int[] remap = compactionRemap(count);
        int[] oldOrdinals = oldOrdinals(remap);
        int kept = oldOrdinals.length;
        Engine fresh = inMemory(dimensions, metric, m, efConstruction, seed, quantization);
        fresh.vectors.copyRecords(vectors, oldOrdinals);
        if (hasTrainedCodes()) {
            fresh.quantized.copyRecords(quantized, oldOrdinals);
            fresh.trainedAt = trainedAtKeeping(kept);
        }
        for (int node = 0; node < kept; node++) {
            String id = ids.get(oldOrdinals[node]);
            fresh.ids.set(node, id);
            fresh.payloads.set(node, payload(oldOrdinals[node]));
            fresh.ordinals.put(id, node);
        }
        IntStream.Builder level0 = IntStream.builder();
        graph.writeLevel0(level0, oldOrdinals, remap);
        IntStream.Builder upper = IntStream.builder();
        graph.writeUpper(upper, count, remap);
        fresh.graph.load(MemorySegment.ofArray(level0.build().toArray()), MemorySegment.ofArray(upper.build().toArray()),
                kept, remappedEntryNode(remap, kept), remappedEntryLevel(kept));
        fresh.nextOrdinal.set(kept);
        fresh.graph.reconnectUnreachable(); // dropping tombstones can cut a path that only they carried
        return fresh;
    }

    /**
     * Numbers the live records for a compaction, after relinking the graph around the tombstones so
     * that dropping them loses no path: in the graph's breadth-first order, so that the neighbours a
     * search scores together sit together in memory.
     *
     * @return old ordinal to new, -1 for a dropped record
     */
    private int[] compactionRemap(int count) {
        if (deletedCount() > 0) {
            graph.repairTombstones(this::replacementOf);
            unrepairedTombstones.set(0);
        }
        return graph.localityRemap(count, node -> !deleted.get(node));
    }

    /** The inverse of a compaction's remap: new ordinal to old. */
    private static int[] oldOrdinals(int[] remap) {
        int[] oldOrdinals = new int[(int) Arrays.stream(remap).filter(ordinal -> ordinal >= 0).count()];
        for (int node = 0; node < remap.length; node++) {
            if (remap[node] >= 0) {
                oldOrdinals[remap[node]] = node;
            }
        }
        return oldOrdinals;
    }

    /**
     * The entry point's new ordinal. The repair has moved it to a live node if any is left; if none
     * is (every record deleted), nothing is kept, and an empty graph's entry is written as node 0.
     */
    private int remappedEntryNode(int[] remap, int kept) {
        int entryNode = graph.entryNode();
        if (kept == 0 || entryNode < 0) {
            return 0;
        }
        if (remap[entryNode] < 0) {
            throw new IllegalStateException("the entry point is deleted after the repair, with " + kept
                    + " live records left");
        }
        return remap[entryNode];
    }

    /** The entry point's level once {@code kept} records are left: 0 for an empty graph. */
    private int remappedEntryLevel(int kept) {
        return kept > 0 ? graph.entryLevel() : 0;
    }

    /** What {@link #trainedAt} becomes when only {@code kept} records are left, so training recurs as they grow. */
    private int trainedAtKeeping(int kept) {
        return Math.max(1, Math.min(trainedAt, kept));
    }

    /** Runs {@code worker} on {@code threads} threads (1 = the caller) and rethrows the first failure. */
    static void runParallel(Runnable worker, int threads) {
        if (threads == 1) {
            worker.run();
            return;
        }
        List<Thread> started = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            started.add(Thread.ofPlatform().name("crvecdb-worker-" + t).start(() -> {
                try {
                    worker.run();
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : started) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for worker threads", e);
            }
        }
        // One worker's failure can make another fail in turn, and that one may be caught first: a
        // failed write turns the index read-only, and the next insert is refused with the write's
        // failure as its cause. Throw the failure the others led back to, not whichever came first.
        Throwable failure = failures.isEmpty() ? null : failures.getFirst();
        for (Throwable cause = failure == null ? null : failure.getCause(); cause != null; cause = cause.getCause()) {
            if (failures.contains(cause)) {
                failure = cause;
            }
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        } else if (failure instanceof Error e) {
            throw e;
        }
    }

    /** See {@link HnswGraph#reconnectUnreachable()}; call without concurrent writers. */
    int reconnectUnreachable() {
        return graph.reconnectUnreachable();
    }

    /** Live records that no graph walk reaches (searches still return them, through the exact-scan fallback). */
    int countUnreachable() {
        return graph.countUnreachable();
    }
}
