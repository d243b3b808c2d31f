package io.crvecdb.nospringai;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import io.crvecdb.VectorIndex;
import io.crvecdb.boot.autoconfigure.CrvecdbMetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An application with Spring AI on the class path (for another vector store, say) that left
 * crvecdb-spring-ai out: the index, its health and its meters work, and no store class is loaded.
 * Runs in the surefire execution {@code without-crvecdb-spring-ai}, which removes that jar.
 */
class IndexWithoutCrvecdbSpringAiTest {

    @Test
    void theIndexHealthAndMetersNeedNoCrvecdbStore() throws ClassNotFoundException {
        assumeTrue(Boolean.getBoolean("crvecdb.without-crvecdb-spring-ai"),
                "runs in the surefire execution without-crvecdb-spring-ai, whose class path lacks that jar");
        assertThat(Class.forName("org.springframework.ai.vectorstore.VectorStore")).isNotNull();
        assertThatExceptionOfType(ClassNotFoundException.class)
            .isThrownBy(() -> Class.forName("io.crvecdb.springai.CrvecdbVectorStore"));
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(IndexWithoutSpringAiTest.App.class)
            .web(WebApplicationType.NONE)
            .properties("crvecdb.dimensions=8", "crvecdb.metric=l2")
            .run()) {
            VectorIndex index = context.getBean(VectorIndex.class);
            index.add("a", new float[] { 1, 2, 3, 4, 5, 6, 7, 8 });
            assertThat(context.getBean("crvecdbHealthIndicator", HealthIndicator.class).health().getStatus())
                .isEqualTo(Status.UP);
            assertThat(context.getBeansOfType(CrvecdbMetrics.class)).hasSize(1);
            assertThat(context.containsBean("vectorStore")).isFalse();
        }
    }

}
