package io.crvecdb.hnsw;

import io.crvecdb.Metric;
import io.crvecdb.storage.ConcurrentBits;
import io.crvecdb.storage.ObjectPages;
import io.crvecdb.storage.SegmentPages;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import java.util.function.LongFunction;

/**
 * A hierarchical navigable small world graph over the vectors of a {@link VectorValues}: the whole
 * algorithm (insert, neighbour selection, search, tombstone repair) in one place, as in hnswlib.
 *
 * <p><b>Layout.</b> Layer 0, which every node is on, is a flat record per node,
 * {@code [count, link × 2m]}: plain ints beside the node's vector, or links packed into as few bits
 * as the node count needs in pages of their own (see {@link LinkLists}). The few nodes on upper
 * layers (a 1/m fraction per layer) keep their upper links in one {@code int[]} each,
 * {@code [count, link × m]} per layer.
 *
 * <p><b>Concurrency.</b> Writers lock one node's links at a time (striped locks, never nested, so no
 * deadlock); readers never lock: they read a list's count with acquire semantics, and every slot of
 * a list always holds a valid node, so a reader racing with a writer sees either list, or a mix of
 * the two (a packed link being rewritten may read half old, half new: one beyond the index reads
 * as the list's own node), and never a node beyond the index. A node is fully linked outward
 * before any other node links to it. Packed lists widen (a copy) when the nodes outgrow their
 * links: writers of lists hold the read side of {@link #widening}, the widening its write side.
 * The entry point (node and top level packed in one long) changes only under a promotion lock held
 * by the insert that raises the top level.
 */
public final class HnswGraph {

    private static final VarHandle SEGMENT_INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle ARRAY_INT = MethodHandles.arrayElementVarHandle(int[].class);
    private static final long EMPTY = -1;
    /** Caps the level so that a freak random draw cannot build a tall, empty tower. */
    private static final int MAX_LEVEL = 16;
    private static final int LOCK_STRIPES = 1024;
    private static final int MAX_RECONNECT_PASSES = 8;
    /**
     * How much nearer to a kept neighbour than to the base a candidate must be for the heuristic to
     * drop it, as a factor on graph distances (DiskANN's α, which JVector also applies). Above 1 it
     * keeps some links the strict rule would drop, longer ones that reach past the kept neighbour,
     * so a search converges in fewer steps. The graph distances of L2 and cosine are squared
     * Euclidean (for unit vectors {@code 1 - cos = |a - b|²/2}), so 1.1 is about 1.05 on plain
     * distances. Measured on SIFT-100k and text-wordnet (m 16, ef_construction 200, against 1):
     * recall@10 at ef 20 +0.013 and +0.008, the QPS at equal ef 0.94–1.03×, so 1.09–1.16× at
     * recall 0.95; the build 0.92–1.04×. 1.2 and 1.3 gained no more recall on SIFT and built at
     * 0.82–0.84×.
     */
    private static final float DIVERSITY_SLACK = 1.1f;

    private final VectorValues vectors;
    private final ConcurrentBits deleted;
    private final int m;
    private final int maxDegree0;
    private final int efConstruction;
    private final double levelMultiplier;
    private final long seed;
    /**
     * {@link #DIVERSITY_SLACK}, or 1 for dot product: its distances {@code 1 - q·v} can be negative,
     * where a factor above 1 would tighten the rule instead of relaxing it.
     */
    private final float diversitySlack;
    /** Layer-0 link lists: packed in pages of their own, or plain in the vectors' pages when those host them. */
    private volatile LinkLists lists;
    private final ReentrantReadWriteLock widening = new ReentrantReadWriteLock();
    /** Per node, how many live nodes link to it on layer 0: pruning never takes a node's last one. */
    private final SegmentPages inDegree;
    private final ObjectPages<int[]> upperLinks = new ObjectPages<>();
    /** Bytes of the upper-layer arrays, headers included, added up as they are made: counting walks no nodes. */
    private final AtomicLong upperLinkBytes = new AtomicLong();
    private final AtomicLong entry = new AtomicLong(EMPTY);
    private final AtomicInteger nodeBound = new AtomicInteger();
    private final ReentrantLock promotionLock = new ReentrantLock();
    private final ReentrantLock[] nodeLocks = new ReentrantLock[LOCK_STRIPES];
    private final ScratchPool<SearchScratch> scratchPool;

    /**
     * @param vectors        the vectors, by node ordinal
     * @param deleted        tombstones: these nodes route searches but are never returned
     * @param m              links per node on upper layers; 2m on layer 0
     * @param efConstruction candidate list size while inserting
     * @param seed           seed of the level assignment
     * @param linkPages      allocator of layer-0 link pages
     */
    public HnswGraph(VectorValues vectors, ConcurrentBits deleted, int m, int efConstruction, long seed,
                     LongFunction<MemorySegment> linkPages) {
        this.vectors = vectors;
        this.deleted = deleted;
        this.m = m;
        this.maxDegree0 = 2 * m;
        this.efConstruction = Math.max(efConstruction, m);
        this.levelMultiplier = 1 / Math.log(m);
        this.seed = seed;
        this.diversitySlack = vectors.metric() == Metric.DOT_PRODUCT ? 1f : DIVERSITY_SLACK;
        long hosted = vectors.hostedListBytes();
        if (hosted == 0) {
            this.lists = LinkLists.packed(1, maxDegree0, linkPages);
        } else if (hosted == listBytes(m)) {
            this.lists = LinkLists.plain(vectors.pages(), vectors.recordBytes(), maxDegree0);
        } else {
            throw new IllegalArgumentException("the vectors host link lists of " + hosted + " bytes; a graph with m = "
                    + m + " needs " + listBytes(m));
        }
        this.inDegree = new SegmentPages(4, linkPages);
        for (int i = 0; i < LOCK_STRIPES; i++) {
            nodeLocks[i] = new ReentrantLock();
        }
        int slots = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        this.scratchPool = new ScratchPool<>(slots, () -> new SearchScratch(m, vectors.dimensions()));
    }

    /** Bytes of a plain layer-0 link list: its count, then room for 2m links. */
    public static long listBytes(int m) {
        return 4L * (1 + 2L * m);
    }

    // ---------------------------------------------------------------------------------------------
    // Insert

    /**
     * Links {@code node}, whose vector is already stored, into the graph.
     *
     * @param scorer distances from the node's vector to stored ones, by which the insert walks the
     *               graph and ranks its candidate neighbours: full precision, or the index's int8
     *               codes (a quarter of the bytes per hop; Lucene builds quantized graphs this way
     *               too). Distances between stored nodes (the diversity rule, the pruning of full
     *               lists) are always full precision.
     */
    public void insert(int node, QueryScorer scorer) {
        if (!lists.holds(node + 1)) {
            widenFor(node + 1);
        }
        widening.readLock().lock();
        try {
            linkIn(node, scorer);
        } finally {
            widening.readLock().unlock();
        }
    }

    /** Copies the layer-0 lists into records whose links can name {@code nodes} nodes. */
    private void widenFor(int nodes) {
        widening.writeLock().lock();
        try {
            if (!lists.holds(nodes)) {
                lists = lists.widened(nodes, nodeBound.get());
            }
        } finally {
            widening.writeLock().unlock();
        }
    }

    /**
     * The rare branches of an insert (a new page, the first node, a new top level), kept out of
     * {@link #connect}: C2 compiles a branch it never saw taken as a trap that discards the whole
     * compiled method when it is taken, and the method then runs interpreted until recompiled. In
     * {@code connect}, whose walk and linking are most of an insert, those traps cost a 10k build two
     * recompilations of 0.13–0.15 s each and the interpreted inserts between (a new page at 8,192
     * records, a new top level late in the build); here they cost a few interpreted calls.
     */
    private void linkIn(int node, QueryScorer scorer) {
        int level = randomLevel(node);
        lists.ensureCapacity(node);
        inDegree.ensureCapacity(node);
        if (level > 0) {
            setUpperLinks(node, new int[level * (1 + m)]);
        }
        nodeBound.accumulateAndGet(node + 1, Math::max);
        if (entry.get() == EMPTY && entry.compareAndSet(EMPTY, pack(node, level))) {
            return;
        }
        // hnswlib's rule: the insert that raises the top level holds the promotion lock throughout,
        // so the entry point moves only to a node whose links are complete.
        boolean promoting = level > topLevel(entry.get());
        if (promoting) {
            promotionLock.lock();
        }
        try {
            long entryPoint = entry.get();
            if (promoting && level <= topLevel(entryPoint)) {
                promotionLock.unlock();
                promoting = false;
            }
            connect(node, level, entryPoint, scorer);
            if (promoting) {
                entry.set(pack(node, level));
            }
        } finally {
            if (promoting) {
                promotionLock.unlock();
            }
        }
    }

    /** Finds the neighbours of {@code node} on each of its levels from {@code entryPoint}, and links both ways. */
    private void connect(int node, int level, long entryPoint, QueryScorer scorer) {
        SearchScratch scratch = scratchPool.acquire();
        try {
            int top = topLevel(entryPoint);
            int nearest = nodeOf(entryPoint);
            float nearestDistance = scorer.distance(nearest);
            for (int l = top; l > level; l--) {
                nearest = greedyClosest(scorer, nearest, nearestDistance, l, scratch);
                nearestDistance = scratch.greedyDistance;
            }
            // Choose the neighbours on every level first, write all of the node's own links, and
            // only then link back to it: a search that reaches the node on an upper layer must find
            // its layer-0 links already in place, or it would end there with one result.
            int levels = Math.min(level, top) + 1;
            int[][] chosen = new int[levels][];
            for (int l = levels - 1; l >= 0; l--) {
                searchLayer(scorer, nearest, nearestDistance, efConstruction, l, null, false, Integer.MAX_VALUE, scratch);
                if (scratch.results.isEmpty()) {
                    // Everything near is deleted: link to tombstones rather than leave the node unreachable.
                    searchLayer(scorer, nearest, nearestDistance, efConstruction, l, null, true, Integer.MAX_VALUE, scratch);
                }
                int found = drainNearestFirst(scratch);
                nearest = scratch.candidateNodes[0];
                nearestDistance = scratch.candidateDistances[0];
                int selected = selectDiverse(scratch.candidateNodes, scratch.candidateDistances, found, m, scratch.selected);
                chosen[l] = Arrays.copyOf(scratch.selected, selected);
            }
            for (int l = 0; l < levels; l++) {
                linkOut(node, l, chosen[l], scratch);
            }
            for (int l = 0; l < levels; l++) {
                for (int neighbor : chosen[l]) {
                    addLink(neighbor, node, l, scratch);
                }
            }
        } finally {
            scratchPool.release(scratch);
        }
    }

    /** Writes the node's own links on one level. */
    private void linkOut(int node, int level, int[] selected, SearchScratch scratch) {
        ReentrantLock lock = lockOf(node);
        lock.lock();
        try {
            // Concurrent inserts may already have linked to this node on this level: keep those too.
            int[] nodes = scratch.pruneNodes;
            int existing = readLinks(node, level, nodes);
            if (existing == 0) {
                replaceLinks(node, level, selected, selected.length, nodes, 0);
                return;
            }
            int n = existing;
            for (int extra : selected) {
                if (!contains(nodes, existing, extra)) {
                    nodes[n++] = extra;
                }
            }
            writePruned(node, level, n, scratch);
        } finally {
            lock.unlock();
        }
    }

    /** Adds the link {@code from → to}, pruning {@code from}'s list with the heuristic when full. */
    private void addLink(int from, int to, int level, SearchScratch scratch) {
        ReentrantLock lock = lockOf(from);
        lock.lock();
        try {
            int[] nodes = scratch.pruneNodes;
            int count = readLinks(from, level, nodes);
            if (contains(nodes, count, to)) {
                return;
            }
            if (count < maxDegree(level)) {
                setLink(from, level, count, to);
                publishCount(from, level, count + 1);
                if (level == 0 && !deleted.get(from)) {
                    addInDegree(to, 1);
                }
                return;
            }
            nodes[count] = to;
            writePruned(from, level, count + 1, scratch);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the diverse subset of {@code scratch.pruneNodes[0..n)} as {@code node}'s links.
     * Distances to {@code node} are recomputed rather than stored: this keeps the layout at one int
     * per link, as hnswlib does.
     */
    private void writePruned(int node, int level, int n, SearchScratch scratch) {
        writeDiverse(node, level, scratch.pruneNodes, scratch.pruneDistances, n, scratch);
    }

    /**
     * Writes the diverse subset of {@code nodes[0..n)} as {@code node}'s links; {@code nodes} and
     * {@code distances} need {@link QueryScorer#BATCH_PADDING} entries of room past {@code n}.
     */
    private void writeDiverse(int node, int level, int[] nodes, float[] distances, int n, SearchScratch scratch) {
        // The candidates are scored against the node four at a time, as in a search: their vectors
        // are scattered, and one kernel call keeps four of them loading at once.
        vectors.distances(vectors.prepared(node, scratch.base), nodes, n, distances, scratch.four);
        NodeQueue.sortByDistance(nodes, distances, n);
        int[] out = scratch.pruneSelected;
        int kept = selectDiverse(nodes, distances, n, maxDegree(level), out);
        // The list as it stands, read once: the in-degree bookkeeping compares old and new.
        int[] old = scratch.oldLinks;
        int oldCount = readLinks(node, level, old);
        if (level == 0 && kept < n) {
            keepLastInLinks(node, nodes, n, out, kept, old, oldCount);
        }
        replaceLinks(node, level, out, kept, old, oldCount);
    }

    /**
     * The heuristic alone can drop a node's only in-link, and a node nobody links to is lost to
     * every search (hnswlib has this flaw: a few nodes per ten thousand on hard data). So a
     * candidate whose last in-link this is stays, in place of the farthest kept candidate that has
     * other in-links.
     */
    private void keepLastInLinks(int node, int[] candidates, int n, int[] out, int kept, int[] old, int oldCount) {
        int replace = kept - 1;
        for (int i = 0; i < n && replace >= 0; i++) {
            int candidate = candidates[i];
            if (contains(out, kept, candidate) || !orphanedWithout(node, candidate, old, oldCount)) {
                continue;
            }
            while (replace >= 0 && orphanedWithout(node, out[replace], old, oldCount)) {
                replace--;
            }
            if (replace >= 0) {
                out[replace--] = candidate;
            }
        }
    }

    /**
     * Whether {@code target} would have no live in-link on layer 0 if {@code node}, whose links are
     * {@code links[0 .. count)}, did not link to it.
     */
    private boolean orphanedWithout(int node, int target, int[] links, int count) {
        if (deleted.get(target)) {
            return false;
        }
        boolean counted = !deleted.get(node) && contains(links, count, target);
        return inDegree(target) - (counted ? 1 : 0) <= 0;
    }

    /**
     * Replaces a node's links {@code old[0 .. oldCount)} on one level by {@code links[0 .. count)}
     * (caller holds its lock), keeping in-degrees current.
     */
    private void replaceLinks(int node, int level, int[] links, int count, int[] old, int oldCount) {
        if (level == 0 && !deleted.get(node)) {
            for (int i = 0; i < oldCount; i++) {
                if (!contains(links, count, old[i])) {
                    addInDegree(old[i], -1);
                }
            }
            for (int i = 0; i < count; i++) {
                if (!contains(old, oldCount, links[i])) {
                    addInDegree(links[i], 1);
                }
            }
        }
        writeLinks(node, level, links, count);
    }

    /**
     * Called once {@code node} is marked deleted: its links keep routing searches but no longer
     * count as in-links, so the nodes only it reached get relinked by the next repair. A live node
     * it was the last to link is linked again at once, from the tombstone's live link nearest to
     * it: an upsert links the new version while the old one still shadows it in their neighbours'
     * lists (an identical vector is never diverse), so often the old version alone links to it, and
     * on data where many records are equally far from a query the search then missed the record.
     */
    public void tombstoned(int node) {
        int[] orphans = null;
        int found = 0;
        ReentrantLock lock = lockOf(node);
        lock.lock();
        try {
            int count = linkCount(node, 0);
            for (int i = 0; i < count; i++) {
                int target = link(node, 0, i);
                if (addInDegree(target, -1) <= 1 && target != node && !deleted.get(target)) {
                    if (orphans == null) {
                        orphans = new int[count];
                    }
                    orphans[found++] = target;
                }
            }
        } finally {
            lock.unlock();
        }
        if (found == 0) {
            return;
        }
        // forceLink writes lists: hold off a widening, which would copy them past the write.
        widening.readLock().lock();
        try {
            for (int i = 0; i < found; i++) {
                relinkOrphan(node, orphans[i]);
            }
        } finally {
            widening.readLock().unlock();
        }
    }

    /**
     * Links {@code orphan} from the live link of {@code tombstone} nearest to it that has room, or
     * a link to give up whose target keeps another in-link; if none has, the tombstone's own link
     * keeps routing to it until the next repair.
     */
    private void relinkOrphan(int tombstone, int orphan) {
        int count = linkCount(tombstone, 0);
        int[] candidates = new int[count];
        float[] distances = new float[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            int candidate = link(tombstone, 0, i);
            if (candidate != orphan && candidate != tombstone && !deleted.get(candidate)) {
                candidates[n] = candidate;
                distances[n++] = vectors.distance(candidate, orphan);
            }
        }
        NodeQueue.sortByDistance(candidates, distances, n);
        for (int i = 0; i < n; i++) {
            if (forceLink(candidates[i], orphan, false)) {
                return;
            }
        }
    }

    private int inDegree(int node) {
        return (int) SEGMENT_INT.getVolatile(inDegree.page(node), inDegree.offset(node));
    }

    /** Adds {@code delta} to the in-degree of {@code node}; returns the in-degree before. */
    private int addInDegree(int node, int delta) {
        return (int) SEGMENT_INT.getAndAdd(inDegree.page(node), inDegree.offset(node), delta);
    }

    private boolean containsLink(int node, int target) {
        int count = linkCount(node, 0);
        for (int i = 0; i < count; i++) {
            if (link(node, 0, i) == target) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    /**
     * The HNSW paper's neighbour-selection heuristic (hnswlib's getNeighborsByHeuristic2), relaxed
     * by {@link #diversitySlack}: walking candidates nearest first, keep one unless it is nearer to
     * a neighbour kept so far than to the base by more than that factor. It spreads links across
     * directions, which keeps clusters connected.
     *
     * <p>Copies of one vector (the same chunk in many documents) need two changes. Copies are as
     * near to each other as to any base (under cosine 6e-8 apart, not 0), so the strict rule would
     * keep them all, and a group of more than 2m copies would link only among itself: of candidates
     * exactly as far from the base, one copy is kept, a live one if any; the other copies only fill
     * the slots left over ({@link #fillWithCopies}).
     *
     * @param nodes     candidates, nearest to the base first; candidates exactly as far from the
     *                  base may change places (live ones first)
     * @param distances their distances to the base
     * @return how many were written to {@code out}
     */
    int selectDiverse(int[] nodes, float[] distances, int n, int max, int[] out) {
        if (n <= max) {
            System.arraycopy(nodes, 0, out, 0, n);
            return n;
        }
        boolean tied = orderTies(nodes, distances, n);
        // out holds candidate indices until the end: the rule compares distances to the base.
        int kept = 0;
        for (int i = 0; i < n && kept < max; i++) {
            if (isDiverse(i, nodes, distances, out, kept)) {
                out[kept++] = i;
            }
        }
        if (tied) {
            kept = fillWithCopies(nodes, distances, n, max, out, kept);
        }
        for (int j = 0; j < kept; j++) {
            out[j] = nodes[out[j]];
        }
        return kept;
    }

    private boolean isDiverse(int i, int[] nodes, float[] distances, int[] kept, int keptCount) {
        int candidate = nodes[i];
        float toBase = distances[i];
        for (int j = 0; j < keptCount; j++) {
            int other = nodes[kept[j]];
            // A tombstone covers no direction: an upsert of an unchanged vector puts the new
            // version where the tombstoned old one is, and must not be dropped for it. It only
            // stands for its tombstoned copies (the old versions of a record upserted unchanged).
            boolean otherDeleted = deleted.get(other);
            if (otherDeleted && !deleted.get(candidate)) {
                continue;
            }
            if (distances[kept[j]] == toBase && vectors.sameVector(candidate, other)) {
                return false;
            }
            if (!otherDeleted && vectors.distance(candidate, other) * diversitySlack < toBase) {
                return false;
            }
        }
        return true;
    }

    /**
     * Fills the slots left over with copies of the kept candidates ({@code out[0 .. kept)}, as
     * candidate indices), live ones with the fewest layer-0 in-links first: taken in their order,
     * the oldest copies would fill every list, and the newer ones, linked to from nowhere, would
     * drop out of reach (940 of 1,500 copies did). Runs only where candidates tie: never on float
     * distances of distinct vectors, often on int8 ones (sums of integers), where it ends after one
     * scan that finds no copy.
     *
     * @return how many are kept now
     */
    private int fillWithCopies(int[] nodes, float[] distances, int n, int max, int[] out, int kept) {
        int diverse = kept;
        while (kept < max) {
            int best = -1;
            long bestRank = Long.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                if (!contains(out, kept, i) && copiesAKeptOne(i, nodes, distances, out, diverse)) {
                    long rank = fillRank(nodes[i]);
                    if (rank < bestRank) {
                        best = i;
                        bestRank = rank;
                    }
                }
            }
            if (best < 0) {
                break;
            }
            out[kept++] = best;
        }
        return kept;
    }

    /** Tombstones last, then by in-links; nodes past the bound (a graph's own unit tests) have none. */
    private long fillRank(int node) {
        int links = node < nodeBound.get() ? Math.max(0, inDegree(node)) : 0;
        return (deleted.get(node) ? 1L << 32 : 0) + links;
    }

    /** Whether candidate {@code i} is a copy of a kept one. */
    private boolean copiesAKeptOne(int i, int[] nodes, float[] distances, int[] kept, int keptCount) {
        for (int j = 0; j < keptCount; j++) {
            if (distances[kept[j]] == distances[i] && kept[j] != i && vectors.sameVector(nodes[i], nodes[kept[j]])) {
                return true;
            }
        }
        return false;
    }

    /**
     * Within each run of candidates exactly as far from the base (rare but for copies), live ones
     * first: the copy the diverse pass keeps is then a live one when there is one.
     *
     * @return whether there was any such run
     */
    private boolean orderTies(int[] nodes, float[] distances, int n) {
        boolean tied = false;
        for (int i = 1; i < n; i++) {
            if (distances[i] != distances[i - 1]) {
                continue;
            }
            tied = true;
            int node = nodes[i];
            if (deleted.get(node)) {
                continue;
            }
            int j = i;
            while (j > 0 && distances[j - 1] == distances[i] && deleted.get(nodes[j - 1])) {
                nodes[j] = nodes[j - 1];
                j--;
            }
            nodes[j] = node;
        }
        return tied;
    }

    // ---------------------------------------------------------------------------------------------
    // Search

    /**
     * Nearest nodes found by a search, nearest first. The arrays have room for
     * {@link QueryScorer#BATCH_PADDING} entries past {@code count}, so that a scorer can re-score
     * them in place.
     */
    public record Neighbors(int[] nodes, float[] distances, int count, boolean complete) {
    }

    /**
     * Searches the {@code ef} nearest nodes to a prepared query that {@code filter} accepts (null:
     * all). Deleted nodes are never returned.
     *
     * @param visitLimit stop after visiting this many nodes; the result then says
     *                   {@code complete = false}
     */
    public Neighbors search(QueryScorer query, int ef, NodeFilter filter, int visitLimit) {
        long entryPoint = entry.get();
        if (entryPoint == EMPTY) {
            return new Neighbors(new int[0], new float[0], 0, true);
        }
        SearchScratch scratch = scratchPool.acquire();
        try {
            int nearest = nodeOf(entryPoint);
            float nearestDistance = query.distance(nearest);
            for (int l = topLevel(entryPoint); l > 0; l--) {
                nearest = greedyClosest(query, nearest, nearestDistance, l, scratch);
                nearestDistance = scratch.greedyDistance;
            }
            boolean complete = searchLayer(query, nearest, nearestDistance, ef, 0, filter, false, visitLimit, scratch);
            int found = drainNearestFirst(scratch);
            int[] nodes = Arrays.copyOf(scratch.candidateNodes, found + QueryScorer.BATCH_PADDING);
            float[] distances = Arrays.copyOf(scratch.candidateDistances, nodes.length);
            return new Neighbors(nodes, distances, found, complete);
        } finally {
            scratchPool.release(scratch);
        }
    }

    /**
     * Walks to ever closer neighbours on one layer until none is closer (a beam of one), each step
     * to the closest of the current node's links, scored in batches as on layer 0.
     */
    private int greedyClosest(QueryScorer query, int start, float startDistance, int level, SearchScratch scratch) {
        int current = start;
        float currentDistance = startDistance;
        int[] links = scratch.neighbors;
        float[] distances = scratch.neighborDistances;
        boolean moved = true;
        while (moved) {
            moved = false;
            int count = readLinks(current, level, links);
            query.distances(links, count, distances);
            for (int i = 0; i < count; i++) {
                if (distances[i] < currentDistance) {
                    current = links[i];
                    currentDistance = distances[i];
                    moved = true;
                }
            }
        }
        scratch.greedyDistance = currentDistance;
        return current;
    }

    /**
     * Beam search on one layer (hnswlib's searchBaseLayer). Leaves the best {@code ef} collectable
     * nodes in {@code scratch.results}. Nodes the filter rejects, and deleted ones, are expanded
     * like any other (they connect neighbourhoods) but not collected, and the search goes on until
     * it has {@code ef} collectable nodes or runs out of candidates.
     *
     * @return false if it stopped at the visit limit
     */
    private boolean searchLayer(QueryScorer query, int start, float startDistance, int ef, int level,
                                NodeFilter filter, boolean collectDeleted, int visitLimit, SearchScratch scratch) {
        NodeQueue candidates = scratch.candidates;
        NodeQueue results = scratch.results;
        Visited visited = scratch.visited;
        int[] neighbors = scratch.neighbors;
        candidates.clear();
        results.clear();
        visited.reset(nodeBound.get());

        visited.visit(start);
        candidates.push(start, startDistance);
        if (collectable(start, filter, collectDeleted)) {
            results.push(start, startDistance);
        }
        float bound = results.size() >= ef ? results.topDistance() : Float.POSITIVE_INFINITY;
        int visits = 1;
        while (!candidates.isEmpty()) {
            if (candidates.topDistance() > bound) {
                break;
            }
            // Expand the two nearest candidates together when both are in bound: their link lists
            // load in parallel instead of one miss after the other, and the unvisited neighbours of
            // both are then scored in batches, one kernel call keeping a batch's loads in flight
            // (Java has no prefetch instruction). The second would be expanded next anyway,
            // unless the first's neighbours tightened the bound past it: then this scores a few
            // more nodes than hnswlib's walk (measured: 1.08x the build rate on SIFT-100k, recall
            // as high or higher at every ef).
            int current = candidates.pop();
            int count = readLinks(current, level, neighbors);
            if (!candidates.isEmpty() && candidates.topDistance() <= bound) {
                int second = candidates.pop();
                int more = readLinks(second, level, scratch.secondLinks);
                System.arraycopy(scratch.secondLinks, 0, neighbors, count, more);
                count += more;
            }
            int fresh = visited.visitAll(neighbors, count);
            if (fresh == 0) {
                continue;
            }
            // Every fresh neighbour is scored before any is queued: the kernel calls run back to
            // back, with no heap work between them to hold up the next batch's loads (measured on
            // SIFT-100k: 1.26-1.35x the full-precision QPS at recall 0.95 and 1.21-1.25x the build,
            // every one of 6 rounds faster; text-wordnet 1.08x at ef 20; int8 unchanged).
            float[] distances = scratch.neighborDistances;
            query.distances(neighbors, fresh, distances);
            for (int i = 0; i < fresh; i++) {
                int neighbor = neighbors[i];
                float distance = distances[i];
                if (distance < bound || results.size() < ef) {
                    candidates.push(neighbor, distance);
                    if (collectable(neighbor, filter, collectDeleted)) {
                        results.pushBounded(neighbor, distance, ef);
                        if (results.size() >= ef) {
                            bound = results.topDistance();
                        }
                    }
                }
            }
            visits += fresh;
            if (visits > visitLimit) {
                return false;
            }
        }
        return true;
    }

    private boolean collectable(int node, NodeFilter filter, boolean collectDeleted) {
        return (collectDeleted || !deleted.get(node)) && (filter == null || filter.accept(node));
    }

    /** Empties the result heap into {@code candidateNodes/Distances}, nearest first; returns the count. */
    private static int drainNearestFirst(SearchScratch scratch) {
        NodeQueue results = scratch.results;
        int n = results.size();
        scratch.ensureCandidateCapacity(n);
        for (int i = n - 1; i >= 0; i--) {
            scratch.candidateDistances[i] = results.topDistance();
            scratch.candidateNodes[i] = results.pop();
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------------
    // Tombstone repair

    /**
     * Relinks live nodes around deleted ones (as FreshDiskANN and JVector do): every live node that
     * links to a tombstone gets as candidates its live links plus the live links of those
     * tombstones, and the record that replaced each tombstone, and keeps the diverse best of them.
     * Afterwards no live node links to a tombstone deleted before the repair started, so searches
     * stop paying for them; the tombstones' own links stay intact, so a search standing on one
     * still finds its way. Runs concurrently with inserts and searches (one node locked at a time).
     *
     * @param replacementOf the live node that now holds a tombstone's record (the latest version
     *                      of an upsert), or -1. A record upserted again and again is a chain of
     *                      tombstones each linking to the next: the tombstone's own live links can
     *                      miss the live end of the chain, and without it the nodes that linked to
     *                      the record would lose their path to it (a search then missed the record
     *                      on data where many nodes are equally far from it).
     */
    public void repairTombstones(IntUnaryOperator replacementOf) {
        SearchScratch scratch = scratchPool.acquire();
        widening.readLock().lock();
        try {
            int bound = nodeBound.get();
            for (int node = 0; node < bound; node++) {
                if (deleted.get(node)) {
                    continue;
                }
                for (int level = levelOf(node); level >= 0; level--) {
                    relinkAroundTombstones(node, level, replacementOf, scratch);
                }
            }
            replaceDeletedEntryPoint(bound);
        } finally {
            widening.readLock().unlock();
            scratchPool.release(scratch);
        }
    }

    private void relinkAroundTombstones(int node, int level, IntUnaryOperator replacementOf, SearchScratch scratch) {
        ReentrantLock lock = lockOf(node);
        lock.lock();
        try {
            int count = linkCount(node, level);
            boolean linksTombstone = false;
            for (int i = 0; i < count && !linksTombstone; i++) {
                linksTombstone = deleted.get(link(node, level, i));
            }
            if (!linksTombstone) {
                return;
            }
            Visited seen = scratch.visited;
            seen.reset(nodeBound.get());
            seen.visit(node);
            int maxCandidates = count * (2 + maxDegree(level));
            scratch.ensureCandidateCapacity(maxCandidates);
            int[] candidates = scratch.candidateNodes;
            int n = 0;
            for (int i = 0; i < count; i++) {
                int neighbor = link(node, level, i);
                if (!deleted.get(neighbor)) {
                    if (seen.visit(neighbor)) {
                        candidates[n++] = neighbor;
                    }
                    continue;
                }
                int replacement = replacementOf.applyAsInt(neighbor);
                if (replacement >= 0 && !deleted.get(replacement) && levelOf(replacement) >= level
                        && seen.visit(replacement)) {
                    candidates[n++] = replacement;
                }
                int hops = linkCount(neighbor, level);
                for (int j = 0; j < hops; j++) {
                    int twoHop = link(neighbor, level, j);
                    if (!deleted.get(twoHop) && seen.visit(twoHop)) {
                        candidates[n++] = twoHop;
                    }
                }
            }
            if (n > 0) {
                writeDiverse(node, level, candidates, scratch.candidateDistances, n, scratch);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves the entry point off a tombstone, to the live node on the highest layer whose insert has
     * written its links. Inserts run concurrently: a node below the bound may still be choosing its
     * neighbours, and as the entry point it would start its own search from itself and link to
     * itself (the soak test caught exactly that). With no such node the tombstone stays the entry,
     * which searches still pass through.
     */
    private void replaceDeletedEntryPoint(int bound) {
        promotionLock.lock();
        try {
            long current = entry.get();
            if (current == EMPTY || !deleted.get(nodeOf(current))) {
                return;
            }
            int best = -1;
            int bestLevel = -1;
            for (int node = 0; node < bound; node++) {
                if (!deleted.get(node) && levelOf(node) > bestLevel && linkCount(node, 0) > 0) {
                    best = node;
                    bestLevel = levelOf(node);
                }
            }
            if (best >= 0) {
                entry.set(pack(best, bestLevel));
            }
        } finally {
            promotionLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Snapshots

    /**
     * Writes the layer-0 lists of the nodes in {@code order}: {@code [count, link × 2m]} ints per
     * node, links renumbered and links to dropped nodes left out.
     *
     * @param order the old ordinals of the nodes to write, in their new order
     * @param remap old ordinal to new, -1 for a dropped node; null keeps every node as it is
     */
    public void writeLevel0(IntConsumer out, int[] order, int[] remap) {
        for (int node : order) {
            writeList(out, node, 0, remap);
        }
    }

    /**
     * A renumbering that stores nodes near each other in the graph near each other in memory:
     * breadth first on layer 0 from the entry point, so the neighbours a node is the first to reach
     * get consecutive numbers, and a search that scores them reads records side by side. Nodes no
     * walk reaches follow in their old order.
     *
     * @return old ordinal to new, -1 for the nodes {@code keep} rejects
     */
    public int[] localityRemap(int count, IntPredicate keep) {
        int[] remap = new int[count];
        Arrays.fill(remap, -1);
        Visited seen = new Visited();
        seen.reset(count);
        int[] queue = new int[count];
        int head = 0;
        int tail = 0;
        long entryPoint = entry.get();
        if (entryPoint != EMPTY && nodeOf(entryPoint) < count) {
            seen.visit(nodeOf(entryPoint));
            queue[tail++] = nodeOf(entryPoint);
        }
        int next = 0;
        for (int scan = 0; ; ) {
            while (head < tail) {
                int node = queue[head++];
                if (keep.test(node)) {
                    remap[node] = next++;
                }
                int links = linkCount(node, 0);
                for (int i = 0; i < links; i++) {
                    int target = link(node, 0, i);
                    if (target < count && seen.visit(target)) {
                        queue[tail++] = target;
                    }
                }
            }
            while (scan < count && seen.isVisited(scan)) {
                scan++;
            }
            if (scan == count) {
                return remap;
            }
            seen.visit(scan);
            queue[tail++] = scan;
        }
    }

    /** Writes the upper-layer lists of the nodes {@code remap} keeps: {@code [node, level, lists…]}. */
    public void writeUpper(IntConsumer out, int count, int[] remap) {
        for (int node = 0; node < count; node++) {
            int level = levelOf(node);
            if (level > 0 && (remap == null || remap[node] >= 0)) {
                out.accept(remap == null ? node : remap[node]);
                out.accept(level);
                for (int l = 1; l <= level; l++) {
                    writeList(out, node, l, remap);
                }
            }
        }
    }

    private void writeList(IntConsumer out, int node, int level, int[] remap) {
        int count = linkCount(node, level);
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (remap == null || remap[link(node, level, i)] >= 0) {
                kept++;
            }
        }
        out.accept(kept);
        for (int i = 0; i < count; i++) {
            int target = link(node, level, i);
            if (remap == null) {
                out.accept(target);
            } else if (remap[target] >= 0) {
                out.accept(remap[target]);
            }
        }
        for (int i = kept; i < maxDegree(level); i++) {
            out.accept(0);
        }
    }

    /**
     * Restores nodes {@code [0, count)} from snapshot sections written by {@link #writeLevel0} and
     * {@link #writeUpper}, checking every value, and counts the in-degrees.
     *
     * @throws IllegalArgumentException naming the first impossible value (the caller reports the file)
     */
    public void load(MemorySegment level0Section, MemorySegment upperSection, int count, int entryNode, int entryLevel) {
        long listBytes = listBytes(m);
        if (level0Section.byteSize() != count * listBytes) {
            throw new IllegalArgumentException("layer-0 section has " + level0Section.byteSize() + " bytes, expected "
                    + count * listBytes);
        }
        if (!lists.holds(count)) {
            lists = lists.widened(count, 0);
        }
        int[] links = new int[maxDegree0];
        for (int node = 0; node < count; node++) {
            lists.ensureCapacity(node);
            inDegree.ensureCapacity(node);
            int stored = level0Section.get(ValueLayout.JAVA_INT_UNALIGNED, node * listBytes);
            checkCount(node, 0, stored);
            MemorySegment.copy(level0Section, ValueLayout.JAVA_INT_UNALIGNED, node * listBytes + 4, links, 0, stored);
            checkLinks(node, 0, links, 0, stored, count);
            lists.write(node, links, stored);
        }
        long at = 0;
        long end = upperSection.byteSize();
        while (at < end) {
            if (end - at < 8) {
                throw new IllegalArgumentException("upper-layer section ends inside a node header");
            }
            int node = upperSection.get(ValueLayout.JAVA_INT_UNALIGNED, at);
            int level = upperSection.get(ValueLayout.JAVA_INT_UNALIGNED, at + 4);
            if (node < 0 || node >= count || level < 1 || level > MAX_LEVEL || levelOf(node) != 0) {
                throw new IllegalArgumentException("upper-layer entry for node " + node + " at level " + level);
            }
            long bytes = 4L * level * (1 + m);
            if (end - at - 8 < bytes) {
                throw new IllegalArgumentException("upper-layer section ends inside node " + node);
            }
            int[] upper = new int[level * (1 + m)];
            MemorySegment.copy(upperSection, ValueLayout.JAVA_INT_UNALIGNED, at + 8, upper, 0, upper.length);
            for (int l = 1; l <= level; l++) {
                int first = (l - 1) * (1 + m) + 1;
                checkCount(node, l, upper[first - 1]);
                checkLinks(node, l, upper, first, upper[first - 1], count);
            }
            setUpperLinks(node, upper);
            at += 8 + bytes;
        }
        if (count > 0) {
            if (entryNode < 0 || entryNode >= count || entryLevel != levelOf(entryNode)) {
                throw new IllegalArgumentException("entry point " + entryNode + " at level " + entryLevel
                        + " is not a node of that level");
            }
            entry.set(pack(entryNode, entryLevel));
        }
        nodeBound.set(count);
        for (int node = 0; node < count; node++) {
            if (!deleted.get(node)) {
                int stored = readLinks(node, 0, links);
                for (int i = 0; i < stored; i++) {
                    addInDegree(links[i], 1);
                }
            }
        }
    }

    private void checkCount(int node, int level, int stored) {
        if (stored < 0 || stored > maxDegree(level)) {
            throw new IllegalArgumentException("node " + node + " has " + stored + " links on layer " + level
                    + ", at most " + maxDegree(level) + " allowed");
        }
    }

    /** Checks that the loaded links {@code list[first .. first + stored)} name other nodes below {@code count}. */
    private static void checkLinks(int node, int level, int[] list, int first, int stored, int count) {
        for (int i = first; i < first + stored; i++) {
            int target = list[i];
            if (target < 0 || target >= count || target == node) {
                throw new IllegalArgumentException("node " + node + " links to " + target + " on layer " + level);
            }
        }
    }

    /** The entry point's node, or -1 when the graph is empty. */
    public int entryNode() {
        long packed = entry.get();
        return packed == EMPTY ? -1 : nodeOf(packed);
    }

    /** The top layer, or -1 when the graph is empty. */
    public int entryLevel() {
        return topLevel(entry.get());
    }

    /**
     * Counts the live nodes that no search can reach: a walk from the entry point over layer 0
     * (tombstones route, so they are walked too) that misses them. For integrity checks.
     */
    public int countUnreachable() {
        int bound = nodeBound.get();
        Visited reached = reachedFromEntry(bound);
        if (reached == null) {
            return 0;
        }
        int unreachable = 0;
        for (int node = 0; node < bound; node++) {
            if (!deleted.get(node) && !reached.isVisited(node)) {
                unreachable++;
            }
        }
        return unreachable;
    }

    /**
     * Links every live node that no walk from the entry point reaches back into the graph: the
     * nearest node that such a walk reaches (found by a search) gets a link to it, in place of its
     * farthest link to a node with other in-links. The diversity heuristic with few links per node
     * (small m, dot product) can leave rare islands of nodes that link only to each other;
     * repairs around tombstones, checkpoints and recovery call this so none persists.
     * Run without concurrent writers; searches may go on.
     *
     * @return how many islands were linked back
     */
    public int reconnectUnreachable() {
        // A forced link takes the place of another, which can have been the last path from the
        // entry point to a node the pass had already counted as reached (its other in-link may come
        // from an island). So passes repeat, each walking the graph afresh, until one finds nothing
        // to link back; the cap only guards against two islands trading places.
        int reconnected = 0;
        for (int pass = 0; pass < MAX_RECONNECT_PASSES; pass++) {
            int linked = reconnectPass();
            if (linked == 0) {
                break;
            }
            reconnected += linked;
        }
        return reconnected;
    }

    private int reconnectPass() {
        int bound = nodeBound.get();
        Visited reached = reachedFromEntry(bound);
        if (reached == null) {
            return 0;
        }
        int reconnected = 0;
        for (int node = 0; node < bound; node++) {
            if (deleted.get(node) || reached.isVisited(node)) {
                continue;
            }
            Neighbors nearest = search(vectors.scorer(vectors.prepareQuery(vectors.get(node))), efConstruction, null,
                    Integer.MAX_VALUE);
            int from = nearestReached(nearest, reached, node);
            if (from >= 0) {
                forceLink(from, node);
                walk(node, reached);
                reconnected++;
            }
        }
        return reconnected;
    }

    /**
     * The result to link to {@code node}: the nearest one that a layer-0 walk from the entry point
     * reaches and whose list has room, so that no link is given up for it; failing that, the
     * nearest reached one; -1 if none. Giving up a link can cut the last path to other nodes, and
     * with few links per node (small m) that happens often enough that passes never settle.
     * Never the node itself: a search can end on an island, and even on the node, by way of the
     * upper layers (the kill test caught a node linked to itself that way).
     */
    private int nearestReached(Neighbors nearest, Visited reached, int node) {
        int nearestFull = -1;
        for (int i = 0; i < nearest.count(); i++) {
            int candidate = nearest.nodes()[i];
            if (candidate != node && reached.isVisited(candidate)) {
                if (linkCount(candidate, 0) < maxDegree0) {
                    return candidate;
                }
                if (nearestFull < 0) {
                    nearestFull = candidate;
                }
            }
        }
        return nearestFull;
    }

    /** The nodes below {@code bound} that a layer-0 walk from the entry point reaches; null for an empty graph. */
    private Visited reachedFromEntry(int bound) {
        long entryPoint = entry.get();
        if (bound == 0 || entryPoint == EMPTY) {
            return null;
        }
        Visited reached = new Visited();
        reached.reset(bound);
        walk(nodeOf(entryPoint), reached);
        return reached;
    }

    /** Marks everything reachable from {@code start} on layer 0. */
    private void walk(int start, Visited reached) {
        if (!reached.visit(start)) {
            return;
        }
        int[] stack = new int[64];
        int top = 0;
        stack[top++] = start;
        while (top > 0) {
            int node = stack[--top];
            int count = linkCount(node, 0);
            for (int i = 0; i < count; i++) {
                int next = link(node, 0, i);
                if (reached.visit(next)) {
                    if (top == stack.length) {
                        stack = Arrays.copyOf(stack, top * 2);
                    }
                    stack[top++] = next;
                }
            }
        }
    }

    /** Adds the layer-0 link {@code from → to}, replacing the farthest link whose target has another in-link. */
    private void forceLink(int from, int to) {
        forceLink(from, to, true);
    }

    /**
     * Adds the layer-0 link {@code from → to}; on a full list it replaces the farthest link whose
     * target is a tombstone or has another in-link, and failing that the last link if
     * {@code displaceAny}, else nothing. Returns whether {@code from} links to {@code to}.
     */
    private boolean forceLink(int from, int to, boolean displaceAny) {
        ReentrantLock lock = lockOf(from);
        lock.lock();
        try {
            int count = linkCount(from, 0);
            if (containsLink(from, to)) {
                return true;
            }
            boolean live = !deleted.get(from);
            if (count < maxDegree0) {
                setLink(from, 0, count, to);
                publishCount(from, 0, count + 1);
            } else {
                int replace = -1;
                float farthest = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < count; i++) {
                    int target = link(from, 0, i);
                    float distance = vectors.distance(from, target);
                    if ((replace < 0 || distance > farthest) && (deleted.get(target) || inDegree(target) > 1)) {
                        farthest = distance;
                        replace = i;
                    }
                }
                if (replace < 0) {
                    if (!displaceAny) {
                        return false;
                    }
                    replace = count - 1;
                }
                if (live) {
                    addInDegree(link(from, 0, replace), -1);
                }
                setLink(from, 0, replace, to);
            }
            if (live) {
                addInDegree(to, 1);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Links

    private int maxDegree(int level) {
        return level == 0 ? maxDegree0 : m;
    }

    /** How many links {@code node} has on {@code level}, read with acquire semantics. */
    int linkCount(int node, int level) {
        if (level == 0) {
            return lists.count(node);
        }
        return Math.min((int) ARRAY_INT.getAcquire(upperLinks.get(node), (level - 1) * (1 + m)), m);
    }

    /** Copies the links of {@code node} on {@code level} into {@code into} and returns their count. */
    int readLinks(int node, int level, int[] into) {
        if (level == 0) {
            return lists.read(node, into, nodeBound.get());
        }
        int count = linkCount(node, level);
        System.arraycopy(upperLinks.get(node), (level - 1) * (1 + m) + 1, into, 0, count);
        return count;
    }

    int link(int node, int level, int i) {
        if (level == 0) {
            return lists.link(node, i, nodeBound.get());
        }
        return upperLinks.get(node)[(level - 1) * (1 + m) + 1 + i];
    }

    private void setLink(int node, int level, int i, int target) {
        if (level == 0) {
            lists.set(node, i, target);
        } else {
            upperLinks.get(node)[(level - 1) * (1 + m) + 1 + i] = target;
        }
    }

    /** Publishes a list's count after its links are written, so readers that see it see them. */
    private void publishCount(int node, int level, int count) {
        if (level == 0) {
            lists.publish(node, count);
        } else {
            ARRAY_INT.setRelease(upperLinks.get(node), (level - 1) * (1 + m), count);
        }
    }

    private void writeLinks(int node, int level, int[] links, int count) {
        for (int i = 0; i < count; i++) {
            setLink(node, level, i, links[i]);
        }
        publishCount(node, level, count);
    }

    /**
     * Bytes of the links: the layer-0 lists (in their own pages or the vectors'), the in-degree
     * counts, and the upper layers' arrays with their 16-byte headers and the 4-byte references to them.
     */
    public long allocatedBytes() {
        return lists.allocatedBytes() + inDegree.allocatedBytes() + 4L * nodeBound.get()
                + upperLinkBytes.get();
    }

    private void setUpperLinks(int node, int[] links) {
        upperLinks.set(node, links);
        upperLinkBytes.addAndGet(16 + 4L * links.length);
    }

    /** The highest layer {@code node} is on. */
    public int levelOf(int node) {
        int[] upper = upperLinks.get(node);
        return upper == null ? 0 : upper.length / (1 + m);
    }

    private ReentrantLock lockOf(int node) {
        return nodeLocks[node & (LOCK_STRIPES - 1)];
    }

    // ---------------------------------------------------------------------------------------------
    // Levels and the entry point

    /**
     * The layer a node tops out at: floor(-ln(u) / ln(m)) for u uniform in (0, 1], so each layer
     * holds about 1/m of the one below. Derived from the seed and the ordinal, so it needs no shared
     * random generator and a rebuild in the same order yields the same levels.
     */
    private int randomLevel(int node) {
        long bits = mix(seed ^ (node * 0x9E3779B97F4A7C15L));
        double uniform = ((bits >>> 11) + 1) * 0x1.0p-53;
        return Math.min((int) (-Math.log(uniform) * levelMultiplier), MAX_LEVEL);
    }

    /** The SplitMix64 finaliser: a well-spread 64-bit hash. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long pack(int node, int level) {
        return ((long) level << 32) | (node & 0xFFFFFFFFL);
    }

    private static int nodeOf(long packed) {
        return (int) packed;
    }

    private static int topLevel(long packed) {
        return packed == EMPTY ? -1 : (int) (packed >>> 32);
    }

    /** Upper bound (exclusive) of the node ordinals inserted so far. */
    public int nodeBound() {
        return nodeBound.get();
    }
}
