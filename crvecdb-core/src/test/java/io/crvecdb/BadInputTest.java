package io.crvecdb;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every bad input gets the documented exception with a message naming the value and what is
 * expected, and leaves the index exactly as it was.
 */
class BadInputTest {

    private static final float[] QUERY = {0.3f, 0.1f, 0.9f};
    private static final int RECORDS = 20;
    private VectorIndex index;

    @BeforeEach
    void index() {
        index = VectorIndex.builder().dimensions(3).metric(Metric.COSINE).build();
        for (int i = 0; i < RECORDS; i++) {
            index.add("v" + i, stored(i), new byte[] {(byte) i});
        }
    }

    private static float[] stored(int i) {
        return new float[] {i + 1, (i * 7) % 5 + 0.5f, (i * 3) % 4 - 1.5f};
    }

    @Test
    void wrongDimension() {
        assertRejectedUnchanged(() -> index.add("x", new float[] {1, 2}), "vector of 'x'", "has 2 dimensions", "expects 3");
        assertRejectedUnchanged(() -> index.add("v1", new float[] {1, 2, 3, 4}), "vector of 'v1'", "has 4 dimensions", "expects 3");
        assertRejectedUnchanged(() -> index.search(new float[] {1, 2, 3, 4}, 5), "query has 4 dimensions", "expects 3");
        assertRejectedUnchanged(() -> index.search(new float[0], 5, 0, id -> true), "query has 0 dimensions", "expects 3");
    }

    @Test
    void notFiniteComponents() {
        assertRejectedUnchanged(() -> index.add("x", new float[] {1, Float.NaN, 2}), "vector of 'x'", "NaN at position 1", "finite");
        assertRejectedUnchanged(() -> index.add("x", new float[] {Float.POSITIVE_INFINITY, 0, 2}), "Infinity at position 0", "finite");
        assertRejectedUnchanged(() -> index.add("x", new float[] {1, 2, Float.NEGATIVE_INFINITY}), "-Infinity at position 2", "finite");
        assertRejectedUnchanged(() -> index.search(new float[] {Float.NaN, 0, 0}, 3), "query has NaN at position 0", "finite");
        assertRejectedUnchanged(() -> index.search(new float[] {0, Float.POSITIVE_INFINITY, 0}, 3), "query has Infinity at position 1");
        assertRejectedUnchanged(() -> index.search(new float[] {0, 0, Float.NEGATIVE_INFINITY}, 3, id -> true), "query has -Infinity at position 2");
    }

    @Test
    void zeroVectorUnderCosine() {
        assertRejectedUnchanged(() -> index.add("x", new float[3]), "vector of 'x'", "all zeros", "cosine");
        assertRejectedUnchanged(() -> index.search(new float[3], 3), "query is all zeros", "cosine");
        assertRejectedUnchanged(() -> index.search(new float[] {-0f, 0f, -0f}, 3), "query is all zeros");
        // Only cosine: under L2 the origin is a vector like any other.
        try (VectorIndex l2 = VectorIndex.builder().dimensions(3).metric(Metric.L2).build()) {
            l2.add("origin", new float[3]);
            assertThat(l2.search(new float[3], 1)).extracting(SearchHit::id).containsExactly("origin");
        }
    }

    @Test
    void nullOrEmptyIdAndNullVector() {
        assertRejectedUnchanged(() -> index.add(null, QUERY), "id must be a non-empty string, got null");
        assertRejectedUnchanged(() -> index.add("", QUERY), "id must be a non-empty string, got \"\"");
        assertRejectedUnchanged(() -> index.add("x", null), "vector of 'x' is null", "expected 3 floats");
        assertRejectedUnchanged(() -> index.get(null), "id must be a non-empty string, got null");
        assertRejectedUnchanged(() -> index.get(""), "id must be a non-empty string, got \"\"");
        assertRejectedUnchanged(() -> index.contains(null), "id must be a non-empty string");
        assertRejectedUnchanged(() -> index.delete(""), "id must be a non-empty string, got \"\"");
        assertRejectedUnchanged(() -> index.delete(null), "id must be a non-empty string, got null");
        assertRejectedUnchanged(() -> index.deleteAll(null), "ids is null");
        assertRejectedUnchanged(() -> index.deleteAll(Arrays.asList("v1", null)), "id must be a non-empty string, got null");
        assertRejectedUnchanged(() -> index.deleteAll(List.of("v1", "")), "id must be a non-empty string, got \"\"");
    }

    @Test
    void idsThatAreNotWellFormedText() {
        // UTF-8, in which ids are stored, cannot encode half a surrogate pair: two such ids would be stored as one.
        assertRejectedUnchanged(() -> index.add("doc-\uD800", QUERY), "unpaired surrogate \\ud800 at index 4", "well-formed");
        assertRejectedUnchanged(() -> index.add("\uDC00x", QUERY), "unpaired surrogate \\udc00 at index 0");
        assertRejectedUnchanged(() -> index.addAll(List.of(new VectorRecord("a", QUERY), new VectorRecord("b\uDBFF", QUERY)), 1),
                "unpaired surrogate");
        assertThat(index.contains("a")).isFalse();
        assertRejectedUnchanged(() -> index.delete("v1\uD800"), "unpaired surrogate");
        index.add("emoji-\uD83D\uDE00", QUERY); // a whole pair is text like any other
        assertThat(index.contains("emoji-\uD83D\uDE00")).isTrue();
    }

    @Test
    void vectorsLongEnoughToOverflowAFloatDistance() {
        for (Metric metric : List.of(Metric.L2, Metric.DOT_PRODUCT)) {
            try (VectorIndex other = VectorIndex.builder().dimensions(3).metric(metric).build()) {
                other.add("a", new float[] {1e17f, 1e17f, 1});
                assertThatThrownBy(() -> other.add("b", new float[] {3e19f, 3e19f, 1}))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("vector of 'b' has length").hasMessageContaining(metric.configName())
                        .hasMessageContaining("at most 1.0E18").hasMessageContaining("scale");
                assertThatThrownBy(() -> other.search(new float[] {0, -2e18f, 0}, 1))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query has length");
                assertThat(other.search(new float[] {1e17f, 1e17f, 0}, 2)).extracting(SearchHit::distance)
                        .allSatisfy(distance -> assertThat(distance).isFinite());
                assertThat(other.size()).isEqualTo(1);
            }
        }
    }

    @Test
    void aRejectedUpsertKeepsTheOldVector() {
        assertRejectedUnchanged(() -> index.add("v3", new float[] {1, Float.NaN, 0}, new byte[] {9}), "vector of 'v3'", "NaN");
        assertRejectedUnchanged(() -> index.add("v3", new float[3], new byte[] {9}), "vector of 'v3'", "all zeros");
        assertThat(index.get("v3")).hasValueSatisfying(r -> {
            assertThat(r.vector()).containsExactly(stored(3));
            assertThat(r.payload()).containsExactly(3);
        });
    }

    @Test
    void badSearchArguments() {
        assertRejectedUnchanged(() -> index.search(QUERY, 0), "k must be at least 1, got 0");
        assertRejectedUnchanged(() -> index.search(QUERY, -3), "k must be at least 1, got -3");
        assertRejectedUnchanged(() -> index.search(QUERY, Integer.MIN_VALUE, id -> true), "k must be at least 1, got " + Integer.MIN_VALUE);
        assertRejectedUnchanged(() -> index.search(QUERY, 5, -1, null), "ef must be 0 (the index default) or positive, got -1");
        assertRejectedUnchanged(() -> index.search(QUERY, 5, Integer.MIN_VALUE, id -> true), "ef must be", "got " + Integer.MIN_VALUE);
        assertRejectedUnchanged(() -> index.search(null, 5), "query is null", "expected 3 floats");
    }

    @Test
    void aBadRecordInABulkAddAddsNothing() {
        float[] replacement = {3, 2, 1};
        List<List<VectorRecord>> batches = List.of(
                List.of(new VectorRecord("a", new float[] {1, 2, 3}), new VectorRecord("v1", replacement),
                        new VectorRecord("b", new float[] {1, Float.NaN, 3}), new VectorRecord("c", replacement)),
                List.of(new VectorRecord("a", new float[] {1, 2, 3}), new VectorRecord("", replacement),
                        new VectorRecord("c", replacement)),
                List.of(new VectorRecord("a", new float[] {1, 2, 3}), new VectorRecord("v1", new float[] {1, 2}),
                        new VectorRecord("c", replacement)),
                List.of(new VectorRecord("a", new float[] {1, 2, 3}), new VectorRecord("zero", new float[3])));
        List<String[]> messages = List.of(
                new String[] {"vector of 'b' (record 2)", "NaN at position 1"},
                new String[] {"id must be a non-empty string"},
                new String[] {"vector of 'v1' (record 1)", "has 2 dimensions", "expects 3"},
                new String[] {"vector of 'zero' (record 1)", "all zeros"});
        for (int b = 0; b < batches.size(); b++) {
            List<VectorRecord> batch = batches.get(b);
            for (int parallelism : new int[] {1, 2}) {
                assertRejectedUnchanged(() -> index.addAll(batch, parallelism), messages.get(b));
                assertThat(index.contains("a")).as("first record of batch %d", b).isFalse();
                assertThat(index.contains("c")).isFalse();
                assertThat(index.get("v1")).hasValueSatisfying(r -> assertThat(r.vector()).containsExactly(stored(1)));
            }
        }
        List<VectorRecord> withNull = new ArrayList<>(List.of(new VectorRecord("a", replacement)));
        withNull.add(null);
        assertRejectedUnchanged(() -> index.addAll(withNull, 1), "record 1 is null", "nothing was added");
        assertRejectedUnchanged(() -> index.addAll(List.of(), 0), "parallelism must be at least 1, got 0");
    }

    @Test
    void aBulkAddWithARepeatedIdKeepsTheLastRecord() {
        index.addAll(List.of(new VectorRecord("d", new float[] {1, 0, 0}), new VectorRecord("e", new float[] {0, 1, 0}),
                new VectorRecord("d", new float[] {0, 0, 1}, new byte[] {7})), 2);
        assertThat(index.size()).isEqualTo(RECORDS + 2);
        assertThat(index.get("d")).hasValueSatisfying(r -> {
            assertThat(r.vector()).containsExactly(0, 0, 1);
            assertThat(r.payload()).containsExactly(7);
        });
    }

    @Test
    void storedVectorsAndPayloadsAreCopies() {
        float[] vector = {1, 2, 3};
        byte[] payload = {4, 5};
        index.add("copy", vector, payload);
        vector[0] = 99;
        payload[0] = 99;
        assertThat(index.get("copy")).hasValueSatisfying(r -> {
            assertThat(r.vector()).containsExactly(1, 2, 3);
            assertThat(r.payload()).containsExactly(4, 5);
            r.vector()[1] = 99; // mutating what get returned does not reach the index either
            r.payload()[1] = 99;
        });
        assertThat(index.get("copy")).hasValueSatisfying(r -> {
            assertThat(r.vector()).containsExactly(1, 2, 3);
            assertThat(r.payload()).containsExactly(4, 5);
        });
    }

    @Test
    void badSettings() {
        assertBadSetting(() -> VectorIndex.builder().dimensions(0).build(), "dimensions must be at least 1, got 0");
        assertBadSetting(() -> VectorIndex.builder().dimensions(-4).build(), "dimensions must be at least 1, got -4");
        assertBadSetting(() -> VectorIndex.builder().build(), "dimensions must be at least 1, got 0");
        assertBadSetting(() -> VectorIndex.builder().dimensions(8).m(1).build(), "m must be at least 2, got 1");
        assertBadSetting(() -> VectorIndex.builder().dimensions(8).m(-16).build(), "m must be at least 2, got -16");
        assertBadSetting(() -> VectorIndex.builder().dimensions(8).efConstruction(0).build(), "efConstruction must be at least 1, got 0");
        assertBadSetting(() -> VectorIndex.builder().dimensions(8).efSearch(0).build(), "efSearch must be at least 1, got 0");
        assertBadSetting(() -> VectorIndex.builder().dimensions(8).efSearch(-5).build(), "efSearch must be at least 1, got -5");
        assertBadSetting(() -> VectorIndex.builder().dimensions(8).metric("manhattan"), "Unknown metric 'manhattan'", "cosine, l2, dot");
        assertBadSetting(() -> Metric.parse("manhattan"), "Unknown metric 'manhattan'", "expected one of cosine, l2, dot");
        // Durability settings are only for a durable index: without a storage path they would be void.
        assertBadSetting(() -> VectorIndex.builder().dimensions(8).durability(Durability.INTERVAL).build(),
                "durability is set but no storage path is", "in memory only");
        assertBadSetting(() -> VectorIndex.builder().dimensions(8).durability(Durability.SYNC).build(),
                "durability is set but no storage path is");
        assertBadSetting(() -> VectorIndex.builder().dimensions(8).syncInterval(java.time.Duration.ofMillis(50)).build(),
                "syncInterval is set but no storage path is");
        // The smallest legal settings build.
        try (VectorIndex smallest = VectorIndex.builder().dimensions(1).m(2).efConstruction(1).efSearch(1).build()) {
            smallest.add("a", new float[] {1});
            assertThat(smallest.search(new float[] {1}, 1)).extracting(SearchHit::id).containsExactly("a");
        }
    }

    @Test
    void aClosedIndexRejectsEveryCall() {
        index.close();
        assertThatCode(index::close).as("closing twice").doesNotThrowAnyException();
        assertThat(index.isClosed()).isTrue();
        for (Executable call : List.<Executable>of(() -> index.add("x", QUERY), () -> index.add("v1", QUERY, new byte[1]),
                () -> index.search(QUERY, 3), () -> index.search(QUERY, 3, id -> true), () -> index.search(QUERY, 3, 50, null),
                () -> index.get("v1"), () -> index.contains("v1"), () -> index.delete("v1"), () -> index.deleteAll(List.of("v1")),
                () -> index.addAll(List.of(new VectorRecord("y", QUERY)), 1))) {
            assertThatThrownBy(call::execute).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the index is closed");
        }
    }

    private static void assertBadSetting(Executable call, String... messageFragments) {
        assertThatThrownBy(call::execute).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(messageFragments));
    }

    /** The call throws IllegalArgumentException with all the fragments, and the index is as before. */
    private void assertRejectedUnchanged(Executable call, String... messageFragments) {
        int size = index.size();
        List<SearchHit> before = index.search(QUERY, 2 * RECORDS);
        List<SearchHit> filteredBefore = index.search(QUERY, 5, id -> id.endsWith("1"));
        assertThatThrownBy(call::execute).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(messageFragments));
        assertThat(index.size()).isEqualTo(size);
        assertThat(index.search(QUERY, 2 * RECORDS)).isEqualTo(before);
        assertThat(index.search(QUERY, 5, id -> id.endsWith("1"))).isEqualTo(filteredBefore);
    }
}
