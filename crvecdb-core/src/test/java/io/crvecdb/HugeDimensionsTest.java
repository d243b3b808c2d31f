package io.crvecdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dimensions beyond what a page of records can hold. Such an index used to be built, then every add
 * failed with a bare {@code ArithmeticException} (the page's array size overflowed an int) after
 * its record was in the log: a crash before the close's checkpoint left a store whose every open
 * failed replaying that record. The builder now refuses them, before any file is made.
 */
class HugeDimensionsTest {

    @TempDir
    Path storage;

    @Test
    void dimensionsNoPageCanHoldAreRefusedByTheBuilder() {
        Path store = storage.resolve("store");
        assertThatThrownBy(() -> VectorIndex.builder().dimensions(600_000).metric(Metric.L2).storage(store).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("600000").hasMessageContaining("500000");
        assertThatThrownBy(() -> VectorIndex.builder().dimensions(600_000).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(VectorIndex.exists(store)).isFalse();
    }
}
