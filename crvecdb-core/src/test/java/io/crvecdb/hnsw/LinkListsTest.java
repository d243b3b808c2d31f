package io.crvecdb.hnsw;

import io.crvecdb.Metric;
import io.crvecdb.storage.ConcurrentBits;
import io.crvecdb.storage.SegmentPages;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Packed layer-0 lists: every link reads back as written, through widenings and page boundaries,
 * and a graph widens them while inserts and searches run.
 */
class LinkListsTest {

    private static final int MAX_DEGREE = 32;
    /** Two pages and a bit: records on both sides of a page boundary, and the last of a page. */
    private static final int NODES = 2 * SegmentPages.RECORDS_PER_PAGE + 300;

    @Test
    void linksTakeTheBitsTheNodeCountNeeds() {
        assertThat(LinkLists.widthFor(1)).isEqualTo(8);
        assertThat(LinkLists.widthFor(256)).isEqualTo(8);
        assertThat(LinkLists.widthFor(257)).isEqualTo(9);
        assertThat(LinkLists.widthFor(100_000)).isEqualTo(17);
        assertThat(LinkLists.widthFor(1 << 20)).isEqualTo(20);
        assertThat(LinkLists.widthFor(Integer.MAX_VALUE)).isEqualTo(31);
        // 17 bits × 32 links in 68 bytes, after the count: 72 bytes, where ints take 132.
        LinkLists lists = LinkLists.packed(100_000, MAX_DEGREE, SegmentPages.heapPages());
        lists.ensureCapacity(0);
        assertThat(lists.allocatedBytes()).isEqualTo(72L * SegmentPages.RECORDS_PER_PAGE);
    }

    @Test
    void everyListReadsBackAsWrittenInAnyOrderOfWrites() {
        Random random = new Random(7);
        int[][] expected = new int[NODES][];
        LinkLists lists = LinkLists.packed(NODES, MAX_DEGREE, SegmentPages.heapPages());
        // Neighbouring records share no byte: write them in a random order, rewrite some, read all.
        for (int round = 0; round < 3; round++) {
            for (int node : shuffledNodes(random)) {
                lists.ensureCapacity(node);
                expected[node] = randomList(random, NODES);
                lists.write(node, expected[node], expected[node].length);
            }
        }
        assertListsEqual(lists, expected, NODES);
    }

    /** Every width, full and partial lists, in the first, a middle and the last record of a page (whose reads end at its spare bytes). */
    @Test
    void listsOfEveryWidthReadBackAsWritten() {
        Random random = new Random(10);
        int[] nodes = {0, 1, 777, SegmentPages.RECORDS_PER_PAGE - 1, SegmentPages.RECORDS_PER_PAGE};
        int[] into = new int[MAX_DEGREE];
        for (int width = 8; width <= 31; width++) {
            int nodeCount = width == 8 ? 256 : (1 << (width - 1)) + 1;
            LinkLists lists = LinkLists.packed(nodeCount, MAX_DEGREE, SegmentPages.heapPages());
            assertThat(lists.width()).isEqualTo(width);
            for (int node : nodes) {
                int count = node == 777 ? 1 + random.nextInt(MAX_DEGREE - 1) : MAX_DEGREE;
                int[] links = new int[count];
                for (int i = 0; i < count; i++) {
                    // The extremes of the width as well as random links.
                    links[i] = i == 0 ? nodeCount - 1 : i == 1 ? 0 : random.nextInt(nodeCount);
                }
                lists.ensureCapacity(node);
                lists.write(node, links, count);
                assertThat(lists.read(node, into, nodeCount)).isEqualTo(count);
                assertThat(Arrays.copyOf(into, count)).as("width %d, node %d", width, node).containsExactly(links);
            }
        }
    }

    @Test
    void setChangesOneLinkOnly() {
        Random random = new Random(8);
        int[][] expected = new int[NODES][];
        LinkLists lists = LinkLists.packed(NODES, MAX_DEGREE, SegmentPages.heapPages());
        for (int node = 0; node < NODES; node++) {
            lists.ensureCapacity(node);
            expected[node] = fullList(random, NODES);
            lists.write(node, expected[node], MAX_DEGREE);
        }
        for (int change = 0; change < 50_000; change++) {
            int node = random.nextInt(NODES);
            int i = random.nextInt(MAX_DEGREE);
            expected[node][i] = random.nextInt(NODES);
            lists.set(node, i, expected[node][i]);
            assertThat(lists.link(node, i, NODES)).isEqualTo(expected[node][i]);
        }
        assertListsEqual(lists, expected, NODES);
    }

    @Test
    void wideningKeepsEveryList() {
        Random random = new Random(9);
        int small = 200;
        int[][] expected = new int[small][];
        LinkLists lists = LinkLists.packed(small, MAX_DEGREE, SegmentPages.heapPages());
        for (int node = 0; node < small; node++) {
            lists.ensureCapacity(node);
            expected[node] = randomList(random, small);
            lists.write(node, expected[node], expected[node].length);
        }
        assertThat(lists.holds(small)).isTrue();
        assertThat(lists.holds(257)).isFalse();

        LinkLists wider = lists.widened(NODES, small);
        assertThat(wider.width()).isEqualTo(LinkLists.widthFor(NODES));
        assertThat(wider.holds(NODES)).isTrue();
        assertListsEqual(wider, expected, small);
        wider.ensureCapacity(NODES - 1);
        wider.write(NODES - 1, new int[] {NODES - 2, 0}, 2);
        assertThat(wider.link(NODES - 1, 0, NODES)).isEqualTo(NODES - 2);
    }

    @Test
    void aLinkAtOrAboveTheGivenNodeCountReadsAsTheListsOwnNode() {
        LinkLists lists = LinkLists.packed(1000, MAX_DEGREE, SegmentPages.heapPages());
        lists.ensureCapacity(5);
        lists.write(5, new int[] {3, 900, 7}, 3);
        int[] into = new int[MAX_DEGREE];

        assertThat(lists.read(5, into, 800)).isEqualTo(3);
        assertThat(Arrays.copyOf(into, 3)).containsExactly(3, 5, 7);
        assertThat(lists.link(5, 1, 800)).isEqualTo(5);
        assertThat(lists.link(5, 1, 1000)).isEqualTo(900);
    }

    @Test
    void refusesANodeBeyondItsWidth() {
        LinkLists lists = LinkLists.packed(256, MAX_DEGREE, SegmentPages.heapPages());
        lists.ensureCapacity(0);

        assertThatThrownBy(() -> lists.set(0, 0, 256))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("node 256 does not fit links of 8 bits");
    }

    /**
     * Widenings racing inserts and searches: no search sees a node beyond the index, and the graph
     * ends whole. That every list survives a widening exactly is checked by {@link HostedListsTest},
     * whose single-threaded graph with packed lists must equal one with plain lists.
     */
    @Test
    void aGraphWidensItsListsWhileInsertsAndSearchesRun() throws Exception {
        int nodes = 3000; // links of 8 bits, widened to 9, 10, 11 and 12 on the way
        int dimensions = 8;
        Random random = new Random(10);
        float[][] data = new float[nodes][dimensions];
        for (float[] vector : data) {
            for (int d = 0; d < dimensions; d++) {
                vector[d] = (float) random.nextGaussian();
            }
        }
        VectorValues vectors = new VectorValues(dimensions, Metric.L2, SegmentPages.heapFloatPages());
        HnswGraph graph = new HnswGraph(vectors, new ConcurrentBits(SegmentPages.heapPages()), 6, 32, 3,
                SegmentPages.heapPages());
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean inserting = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        List<Future<?>> inserters = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            inserters.add(pool.submit(() -> {
                for (int node = next.getAndIncrement(); node < nodes; node = next.getAndIncrement()) {
                    vectors.set(node, data[node]);
                    graph.insert(node, vectors.scorer(vectors.prepareQuery(data[node])));
                }
            }));
        }
        Future<Integer> searcher = pool.submit(() -> {
            int searches = 0;
            Random queries = new Random(11);
            while (inserting.get()) {
                HnswGraph.Neighbors found = graph.search(vectors.scorer(vectors.prepareQuery(data[queries.nextInt(nodes)])),
                        20, null, Integer.MAX_VALUE);
                for (int i = 0; i < found.count(); i++) {
                    assertThat(found.nodes()[i]).isBetween(0, graph.nodeBound() - 1);
                }
                searches++;
            }
            return searches;
        });
        for (Future<?> inserter : inserters) {
            inserter.get(2, TimeUnit.MINUTES);
        }
        inserting.set(false);
        assertThat(searcher.get(1, TimeUnit.MINUTES)).isPositive();
        pool.shutdown();

        int[] links = new int[12];
        int foundThemselves = 0;
        for (int node = 0; node < nodes; node++) {
            int count = graph.readLinks(node, 0, links);
            assertThat(count).as("links of %d", node).isPositive();
            for (int i = 0; i < count; i++) {
                assertThat(links[i]).as("link of %d", node).isBetween(0, nodes - 1).isNotEqualTo(node);
            }
            HnswGraph.Neighbors found = graph.search(vectors.scorer(vectors.prepareQuery(data[node])), 50, null,
                    Integer.MAX_VALUE);
            if (found.nodes()[0] == node) {
                foundThemselves++;
            }
        }
        assertThat(graph.countUnreachable()).isZero();
        assertThat(foundThemselves).isGreaterThanOrEqualTo(nodes * 995 / 1000);
    }

    private static void assertListsEqual(LinkLists lists, int[][] expected, int nodes) {
        int[] into = new int[MAX_DEGREE];
        for (int node = 0; node < nodes; node++) {
            int count = lists.read(node, into, nodes);
            assertThat(Arrays.copyOf(into, count)).as("list of %d", node).containsExactly(expected[node]);
        }
    }

    private static int[] shuffledNodes(Random random) {
        int[] nodes = new int[NODES];
        for (int i = 0; i < NODES; i++) {
            int j = random.nextInt(i + 1);
            nodes[i] = nodes[j];
            nodes[j] = i;
        }
        return nodes;
    }

    /** 0 to 32 links, a quarter of them the last node (the top bit of a link set). */
    private static int[] randomList(Random random, int nodes) {
        int[] list = new int[random.nextInt(MAX_DEGREE + 1)];
        for (int i = 0; i < list.length; i++) {
            list[i] = random.nextInt(4) == 0 ? nodes - 1 : random.nextInt(nodes);
        }
        return list;
    }

    private static int[] fullList(Random random, int nodes) {
        int[] list = new int[MAX_DEGREE];
        for (int i = 0; i < MAX_DEGREE; i++) {
            list[i] = random.nextInt(nodes);
        }
        return list;
    }
}
