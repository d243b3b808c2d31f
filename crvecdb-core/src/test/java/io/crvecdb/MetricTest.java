package io.crvecdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Metric names as the {@link Metric#parse} Javadoc documents them, and the vectors each metric takes. */
class MetricTest {

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource({"cosine, COSINE", "COSINE, COSINE", "Cosine, COSINE",
            "l2, L2", "L2, L2", "euclidean, L2", "Euclidean, L2", "EUCLIDEAN, L2",
            "dot, DOT_PRODUCT", "DOT, DOT_PRODUCT", "dot_product, DOT_PRODUCT", "DOT_PRODUCT, DOT_PRODUCT",
            "dot-product, DOT_PRODUCT", "Dot-Product, DOT_PRODUCT", "ip, DOT_PRODUCT", "IP, DOT_PRODUCT",
            "' l2 ', L2", "'\tcosine\n', COSINE"})
    void parsesNamesAndAliasesCaseInsensitively(String name, Metric expected) {
        assertThat(Metric.parse(name)).isEqualTo(expected);
        assertThat(VectorIndex.builder().dimensions(2).metric(name).build().metric()).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void configNameRoundTrips(Metric metric) {
        assertThat(Metric.parse(metric.configName())).isEqualTo(metric);
        assertThat(Metric.parse(metric.name())).isEqualTo(metric);
    }

    @Test
    void configNamesAreTheShortOnes() {
        assertThat(Metric.COSINE.configName()).isEqualTo("cosine");
        assertThat(Metric.L2.configName()).isEqualTo("l2");
        assertThat(Metric.DOT_PRODUCT.configName()).isEqualTo("dot");
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @NullSource
    @ValueSource(strings = {"manhattan", "", " ", "cos", "l1", "inner", "dot product"})
    void rejectsUnknownNamesNamingTheValueAndTheAcceptedOnes(String name) {
        assertThatThrownBy(() -> Metric.parse(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown metric '" + name + "'")
                .hasMessageContaining("expected one of cosine, l2, dot");
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void checkIndexableRefusesWhatAnIndexRefusesAndNothingElse(Metric metric) {
        float[][] refused = {{1, Float.NaN}, {Float.NEGATIVE_INFINITY, 0}, {1e19f, 0}};
        for (float[] vector : refused) {
            assertThatThrownBy(() -> metric.checkIndexable(vector, "vector 7")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("vector 7 has ");
            try (VectorIndex index = VectorIndex.builder().dimensions(2).metric(metric).build()) {
                assertThatThrownBy(() -> index.add("x", vector)).isInstanceOf(IllegalArgumentException.class);
            }
        }
        float[] zero = {0, 0};
        if (metric == Metric.COSINE) {
            assertThatThrownBy(() -> metric.checkIndexable(zero, "vector 7")).hasMessageContaining("all zeros");
        } else {
            metric.checkIndexable(zero, "vector 7");
        }
        metric.checkIndexable(new float[] {0.6f, -0.8f}, "vector 7");
        assertThatThrownBy(() -> metric.checkIndexable(null, "vector 7")).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("vector 7 is null; expected an array of floats");
    }
}
