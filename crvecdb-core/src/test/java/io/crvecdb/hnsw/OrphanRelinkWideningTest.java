package io.crvecdb.hnsw;

import io.crvecdb.Datasets;
import io.crvecdb.Metric;
import io.crvecdb.storage.ConcurrentBits;
import io.crvecdb.storage.SegmentPages;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tombstoning a node writes links (the relink of its orphans), so it holds the read side of the
 * widening lock as inserts and repairs do: a delete running while another thread's insert widened
 * the packed lists wrote its relink into the old lists after they were copied, the link was lost,
 * and the orphan's in-degree counted a link that did not exist.
 */
class OrphanRelinkWideningTest {

    @Test
    void aRelinkMadeWhileAnInsertWidensTheListsIsKept() throws Exception {
        int m = 4;
        int nodes = 8192; // node 8192 needs 14-bit links: widening copies two pages of lists
        AtomicBoolean armed = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LongFunction<MemorySegment> heap = SegmentPages.heapPages();
        LongFunction<MemorySegment> pages = bytes -> {
            if (armed.get() && calls.incrementAndGet() == 2) { // the wider lists' second page: page 0 copied
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return heap.apply(bytes);
        };
        VectorValues vectors = new VectorValues(4, Metric.L2, SegmentPages.heapFloatPages());
        ConcurrentBits deleted = new ConcurrentBits(SegmentPages.heapPages());
        HnswGraph graph = new HnswGraph(vectors, deleted, m, 32, 1, pages);
        Random random = new Random(11);
        for (int node = 0; node <= nodes; node++) {
            vectors.set(node, Datasets.gaussian(random, 4));
        }
        for (int node = 0; node < nodes; node++) {
            graph.insert(node, vectors.scorer(vectors.prepareQuery(vectors.get(node))));
        }

        // An orphan-to-be: a node with one in-link, from a tombstone-to-be whose nearest other link
        // (the node relinkOrphan picks) lies in the first page of lists.
        int[][] inLinks = new int[nodes][];
        int[] inCount = new int[nodes];
        int[] links = new int[2 * m];
        for (int node = 0; node < nodes; node++) {
            int count = graph.readLinks(node, 0, links);
            for (int i = 0; i < count; i++) {
                int target = links[i];
                if (inLinks[target] == null) {
                    inLinks[target] = new int[4];
                }
                if (inCount[target] == inLinks[target].length) {
                    inLinks[target] = Arrays.copyOf(inLinks[target], inCount[target] * 2);
                }
                inLinks[target][inCount[target]++] = node;
            }
        }
        int tombstone = -1;
        int orphan = -1;
        int from = -1;
        for (int node = 0; node < nodes && from < 0; node++) {
            if (inCount[node] != 1) {
                continue;
            }
            int t = inLinks[node][0];
            int nearest = -1;
            float best = Float.POSITIVE_INFINITY;
            int count = graph.readLinks(t, 0, links);
            for (int i = 0; i < count; i++) {
                if (links[i] != node && vectors.distance(links[i], node) < best) {
                    best = vectors.distance(links[i], node);
                    nearest = links[i];
                }
            }
            if (nearest >= 0 && nearest < SegmentPages.RECORDS_PER_PAGE && t != graph.entryNode()) {
                tombstone = t;
                orphan = node;
                from = nearest;
            }
        }
        assertThat(from).as("a node with a single in-link").isNotNegative();

        armed.set(true);
        Thread inserter = Thread.ofPlatform().start(() ->
                graph.insert(nodes, vectors.scorer(vectors.prepareQuery(vectors.get(nodes)))));
        assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();
        // Another writer deletes the tombstone meanwhile (Engine.tombstone: deleted.set, then tombstoned).
        int t = tombstone;
        Thread deleter = Thread.ofPlatform().start(() -> {
            deleted.set(t);
            graph.tombstoned(t);
        });
        deleter.join(2_000); // returns at once without a widening lock; a fixed graph waits for the widening
        release.countDown();
        inserter.join(30_000);
        deleter.join(30_000);
        assertThat(deleter.isAlive() || inserter.isAlive()).isFalse();

        int finalOrphan = orphan;
        Method inDegree = HnswGraph.class.getDeclaredMethod("inDegree", int.class);
        inDegree.setAccessible(true);
        int liveInLinks = 0;
        for (int node = 0; node < graph.nodeBound(); node++) {
            if (!deleted.get(node) && Arrays.stream(linksOf(graph, node, m)).anyMatch(link -> link == finalOrphan)) {
                liveInLinks++;
            }
        }
        assertThat(Arrays.stream(linksOf(graph, from, m)).boxed().toList())
                .as("links of %d, which tombstoned(%d) linked to orphan %d (recorded in-degree %d, live in-links %d)",
                        from, tombstone, orphan, (int) inDegree.invoke(graph, finalOrphan), liveInLinks)
                .contains(orphan);
    }

    private static int[] linksOf(HnswGraph graph, int node, int m) {
        int[] links = new int[2 * m];
        return Arrays.copyOf(links, graph.readLinks(node, 0, links));
    }
}
