package io.crvecdb.hnsw;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The visited set against a {@link HashSet}, through resets, growth and repeated nodes. */
class VisitedTest {

    @Test
    void visitAllKeepsTheUnseenNodesInOrderAndMarksThemAll() {
        Visited visited = new Visited();
        visited.reset(200);
        assertThat(visited.visit(7)).isTrue();
        int[] nodes = {7, 64, 3, 64, 199, 7, 0};
        int fresh = visited.visitAll(nodes, nodes.length);
        // 7 was seen before, the second 64 within the call.
        assertThat(fresh).isEqualTo(4);
        assertThat(nodes).startsWith(64, 3, 199, 0);
        for (int node : new int[] {0, 3, 7, 64, 199}) {
            assertThat(visited.isVisited(node)).as("node %d", node).isTrue();
        }
        assertThat(visited.isVisited(1)).isFalse();
    }

    @Test
    void nodesBeyondTheCapacityOfTheResetGrowTheSet() {
        Visited visited = new Visited();
        visited.reset(10);
        int[] nodes = {5, 100_000, 70_000, 100_000};
        assertThat(visited.visitAll(nodes, nodes.length)).isEqualTo(3);
        assertThat(nodes).startsWith(5, 100_000, 70_000);
        assertThat(visited.visit(200_000)).isTrue();
        assertThat(visited.visit(200_000)).isFalse();
        visited.reset(10);
        assertThat(visited.isVisited(100_000)).isFalse();
        assertThat(visited.isVisited(200_000)).isFalse();
    }

    @Test
    void matchesASetThroughManySearches() {
        Random random = new Random(42);
        Visited visited = new Visited();
        int capacity = 1_000;
        for (int search = 0; search < 300; search++) {
            capacity += random.nextInt(50); // the graph grows between (and during) searches
            visited.reset(capacity);
            Set<Integer> model = new HashSet<>();
            for (int step = 0; step < 40; step++) {
                int count = random.nextInt(33);
                int[] nodes = new int[count];
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    nodes[i] = random.nextInt(capacity + 100);
                    if (model.add(nodes[i])) {
                        expected.add(nodes[i]);
                    }
                }
                if (random.nextBoolean()) {
                    int fresh = visited.visitAll(nodes, count);
                    assertThat(fresh).isEqualTo(expected.size());
                    for (int i = 0; i < fresh; i++) {
                        assertThat(nodes[i]).isEqualTo(expected.get(i));
                    }
                } else {
                    Set<Integer> seenBefore = new HashSet<>(model);
                    seenBefore.removeAll(expected);
                    for (int i = 0; i < count; i++) {
                        boolean firstTime = expected.contains(nodes[i]) && !seenBefore.contains(nodes[i]);
                        assertThat(visited.visit(nodes[i])).isEqualTo(firstTime);
                        seenBefore.add(nodes[i]);
                    }
                }
            }
            for (int node = 0; node < capacity + 100; node++) {
                assertThat(visited.isVisited(node)).isEqualTo(model.contains(node));
            }
        }
    }
}
