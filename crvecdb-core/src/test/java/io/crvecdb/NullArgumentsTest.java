package io.crvecdb;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad input gets an IllegalArgumentException naming what is wrong (README, "Bad input"): the static
 * entry points given null threw a bare NullPointerException.
 */
class NullArgumentsTest {

    @Test
    void aNullStorePath() {
        assertThatThrownBy(() -> VectorIndex.open(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
        assertThatThrownBy(() -> VectorIndex.openReadOnly(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
        assertThatThrownBy(() -> VectorIndex.exists(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
    }

    @Test
    void anyOfWithNull() {
        assertThatThrownBy(() -> SearchFilter.anyOf(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
        assertThatThrownBy(() -> SearchFilter.anyOf(Arrays.asList("a", null))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
        assertThat(SearchFilter.anyOf(List.of("a")).accept("a")).isTrue();
    }

    /** A record for a bulk add: its null vector got a bare "NullPointerException: vector". */
    @Test
    void aRecordWithANullVector() {
        assertThatThrownBy(() -> new VectorRecord("doc-7", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vector of 'doc-7' is null");
        assertThatThrownBy(() -> new VectorRecord("doc-7", null, new byte[1])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vector of 'doc-7' is null");
    }
}
