package io.crvecdb;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Every bad input gets a clear exception naming the value and the expectation, and changes nothing. */
class BadInputTest {

    private static final float[] QUERY = {0.3f, 0.1f, 0.9f};
    private VectorIndex index;

    @BeforeEach
    void index() {
        index = VectorIndex.builder().dimensions(3).metric(Metric.COSINE).build();
        for (int i = 0; i < 20; i++) {
            index.add("v" + i, new float[] {i + 1, (i * 7) % 5 + 0.5f, (i * 3) % 4 - 1.5f}, new byte[] {(byte) i});
        }
    }

    @Test
    void wrongDimension() {
        assertRejectedUnchanged(() -> index.add("x", new float[] {1, 2}), "has 2 dimensions", "expects 3");
        assertRejectedUnchanged(() -> index.search(new float[] {1, 2, 3, 4}, 5), "has 4 dimensions", "expects 3");
    }

    @Test
    void notFiniteComponents() {
        assertRejectedUnchanged(() -> index.add("x", new float[] {1, Float.NaN, 2}), "NaN at position 1", "finite");
        assertRejectedUnchanged(() -> index.add("x", new float[] {Float.POSITIVE_INFINITY, 0, 2}), "Infinity at position 0");
        assertRejectedUnchanged(() -> index.add("x", new float[] {1, 2, Float.NEGATIVE_INFINITY}), "-Infinity at position 2");
        assertRejectedUnchanged(() -> index.search(new float[] {Float.NaN, 0, 0}, 3), "query has NaN");
    }

    @Test
    void zeroVectorUnderCosine() {
        assertRejectedUnchanged(() -> index.add("x", new float[3]), "all zeros", "cosine");
        assertRejectedUnchanged(() -> index.search(new float[3], 3), "query is all zeros");
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
        assertRejectedUnchanged(() -> index.get(null), "id must be");
        assertRejectedUnchanged(() -> index.delete(""), "id must be");
    }

    @Test
    void badSearchArguments() {
        assertRejectedUnchanged(() -> index.search(QUERY, 0), "k must be at least 1, got 0");
        assertRejectedUnchanged(() -> index.search(QUERY, -3), "got -3");
        assertRejectedUnchanged(() -> index.search(QUERY, 5, -1, null), "ef must be 0 (the index default) or positive, got -1");
        assertRejectedUnchanged(() -> index.search(null, 5), "query is null");
    }

    @Test
    void badRecordInABulkAddAddsNothing() {
        List<VectorRecord> records = List.of(
                new VectorRecord("a", new float[] {1, 2, 3}),
                new VectorRecord("b", new float[] {1, Float.NaN, 3}),
                new VectorRecord("c", new float[] {3, 2, 1}));
        assertRejectedUnchanged(() -> index.addAll(records, 2), "vector of 'b' (record 1) has NaN");
        assertThat(index.contains("a")).isFalse();
        assertRejectedUnchanged(() -> index.addAll(List.of(), 0), "parallelism must be at least 1, got 0");
    }

    @Test
    void badSettings() {
        assertThatThrownBy(() -> VectorIndex.builder().dimensions(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimensions must be at least 1, got 0");
        assertThatThrownBy(() -> VectorIndex.builder().dimensions(8).m(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m must be at least 2, got 1");
        assertThatThrownBy(() -> VectorIndex.builder().dimensions(8).efConstruction(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("efConstruction must be at least 1, got 0");
        assertThatThrownBy(() -> VectorIndex.builder().dimensions(8).efSearch(-5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("efSearch must be at least 1, got -5");
        assertThatThrownBy(() -> VectorIndex.builder().dimensions(8).metric("manhattan"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown metric 'manhattan'").hasMessageContaining("cosine, l2, dot");
    }

    @Test
    void closedIndex() {
        index.close();
        assertThatCode(index::close).doesNotThrowAnyException();
        assertThat(index.isClosed()).isTrue();
        for (Executable call : List.<Executable>of(() -> index.add("x", QUERY), () -> index.search(QUERY, 3),
                () -> index.get("v1"), () -> index.delete("v1"), () -> index.addAll(List.of(), 1))) {
            assertThatThrownBy(call::execute).isInstanceOf(IllegalStateException.class).hasMessageContaining("the index is closed");
        }
    }

    /** The call throws IllegalArgumentException with all the fragments, and the index is as before. */
    private void assertRejectedUnchanged(Executable call, String... messageFragments) {
        int size = index.size();
        List<SearchHit> before = index.search(QUERY, 20);
        assertThatThrownBy(call::execute).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(messageFragments));
        assertThat(index.size()).isEqualTo(size);
        assertThat(index.search(QUERY, 20)).isEqualTo(before);
    }
}
