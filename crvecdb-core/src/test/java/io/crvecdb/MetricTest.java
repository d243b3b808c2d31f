package io.crvecdb;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class MetricTest {

    @ParameterizedTest
    @CsvSource({"cosine, COSINE", "COSINE, COSINE", "l2, L2", "Euclidean, L2", "dot, DOT_PRODUCT",
            "dot_product, DOT_PRODUCT", "dot-product, DOT_PRODUCT", "ip, DOT_PRODUCT", "' l2 ', L2"})
    void parsesNamesAndAliases(String name, Metric expected) {
        assertThat(Metric.parse(name)).isEqualTo(expected);
        assertThat(Metric.parse(expected.configName())).isEqualTo(expected);
    }
}
