package io.crvecdb.nospringai;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import io.crvecdb.VectorIndex;
import io.crvecdb.boot.autoconfigure.CrvecdbMetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An application with the starter but without Spring AI (and crvecdb-spring-ai) on the class path,
 * not merely hidden by a filtering class loader: the index, its health and its meters work. Runs in
 * the surefire execution {@code without-spring-ai}, which removes those jars.
 */
class IndexWithoutSpringAiTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

    }

    @Test
    void theIndexHealthAndMetersNeedNoSpringAi() {
        assumeTrue(Boolean.getBoolean("crvecdb.without-spring-ai"),
                "runs in the surefire execution without-spring-ai, whose class path lacks Spring AI");
        assertThatExceptionOfType(ClassNotFoundException.class)
            .isThrownBy(() -> Class.forName("org.springframework.ai.embedding.EmbeddingModel"));
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE)
            .properties("crvecdb.dimensions=8", "crvecdb.metric=l2")
            .run()) {
            VectorIndex index = context.getBean(VectorIndex.class);
            index.add("a", new float[] { 1, 2, 3, 4, 5, 6, 7, 8 });
            assertThat(index.search(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 1)).hasSize(1);
            assertThat(context.getBean("crvecdbHealthIndicator", HealthIndicator.class).health().getStatus())
                .isEqualTo(Status.UP);
            assertThat(context.getBeansOfType(CrvecdbMetrics.class)).hasSize(1);
            assertThat(context.containsBean("vectorStore")).isFalse();
        }
    }

}
