package io.crvecdb.hnsw;

import io.crvecdb.Datasets;
import io.crvecdb.Metric;
import io.crvecdb.storage.ConcurrentBits;
import io.crvecdb.storage.SegmentPages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** In-degrees against a recount over the live lists, single-threaded, with deletes, upserts and repairs. */
class InDegreeBookkeepingTest {

    private static final boolean CHECK_ORPHANS = false;

    @ParameterizedTest
    @CsvSource({"2,L2,1", "2,DOT_PRODUCT,2", "3,L2,3", "4,COSINE,4", "2,L2,5", "3,DOT_PRODUCT,6"})
    void inDegreesMatchARecountAndNoLiveNodeLosesItsLastInLinkOnDelete(int m, Metric metric, long seed) throws Exception {
        int dims = 3;
        VectorValues vectors = new VectorValues(dims, metric, SegmentPages.heapFloatPages());
        ConcurrentBits deleted = new ConcurrentBits(SegmentPages.heapPages());
        HnswGraph graph = new HnswGraph(vectors, deleted, m, 16, seed, SegmentPages.heapPages());
        Method inDegree = HnswGraph.class.getDeclaredMethod("inDegree", int.class);
        inDegree.setAccessible(true);
        Random random = new Random(seed);
        List<Integer> live = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int next = 0;
        for (int step = 0; step < 6000 && problems.size() < 10; step++) {
            int op = random.nextInt(10);
            if (op < 6 || live.size() < 10) {
                float[] v = random.nextInt(4) == 0 ? new float[] {1, 1, 1} : Datasets.gaussian(random, dims);
                if (metric != Metric.L2) {
                    v = normalize(v);
                }
                vectors.set(next, v);
                graph.insert(next, vectors.scorer(vectors.prepareQuery(v)));
                live.add(next++);
            } else {
                int victim = live.remove(random.nextInt(live.size()));
                int[] before = liveInLinks(graph, deleted, m);
                int[] victimLinks = new int[2 * m];
                int victimCount = graph.readLinks(victim, 0, victimLinks);
                deleted.set(victim);
                graph.tombstoned(victim);
                int[] after = liveInLinks(graph, deleted, m);
                for (int node : live) {
                    if (CHECK_ORPHANS && before[node] > 0 && after[node] == 0 && node != graph.entryNode()) {
                        boolean wasLinked = false;
                        int otherLive = 0;
                        for (int i = 0; i < victimCount; i++) {
                            wasLinked |= victimLinks[i] == node;
                            if (victimLinks[i] != node && !deleted.get(victimLinks[i])) {
                                otherLive++;
                            }
                        }
                        problems.add("step " + step + ": deleting " + victim + " left live " + node
                                + " with no live in-link (" + (wasLinked ? "its orphan; other live links of the tombstone: " + otherLive
                                : "displaced by a relink") + ")");
                    }
                }
                if (random.nextInt(50) == 0) {
                    graph.repairTombstones(node -> -1);
                }
            }
            int[] recount = liveInLinks(graph, deleted, m);
            for (int node = 0; node < next; node++) {
                int recorded = (int) inDegree.invoke(graph, node);
                if (recorded != recount[node]) {
                    problems.add("step " + step + ": node " + node + " in-degree " + recorded + ", recount " + recount[node]);
                    break;
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    private static float[] normalize(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(n));
        }
        return out;
    }

    private static int[] liveInLinks(HnswGraph graph, ConcurrentBits deleted, int m) {
        int bound = graph.nodeBound();
        int[] counts = new int[bound];
        int[] links = new int[2 * m];
        for (int node = 0; node < bound; node++) {
            if (!deleted.get(node)) {
                int count = graph.readLinks(node, 0, links);
                for (int i = 0; i < count; i++) {
                    counts[links[i]]++;
                }
            }
        }
        return counts;
    }
}
