package io.crvecdb.samples.quickstart;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.client.RestClient;

import io.crvecdb.Metric;
import io.crvecdb.SearchHit;
import io.crvecdb.VectorIndex;

import static org.assertj.core.api.Assertions.assertThat;

/** The quickstart as a user runs it, twice over one store, with Actuator's health and metrics over HTTP. */
@ExtendWith(OutputCaptureExtension.class)
class QuickstartApplicationTest {

    @TempDir
    Path storage;

    @Test
    void storesTheColoursOnceFindsTheNearestAndReportsHealth(CapturedOutput output) {
        try (ConfigurableApplicationContext first = start(WebApplicationType.SERVLET)) {
            VectorIndex index = first.getBean(VectorIndex.class);
            assertThat(index.dimensions()).isEqualTo(3);
            assertThat(index.metric()).isEqualTo(Metric.COSINE);
            assertThat(index.m()).isEqualTo(16);
            assertThat(index.efSearch()).isEqualTo(64);
            assertThat(index.size()).isEqualTo(5);
            assertThat(output.getOut()).containsSubsequence("nearest to a reddish orange: orange",
                    "nearest to a reddish orange: red", "nearest to a reddish orange: yellow");

            int port = first.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            RestClient actuator = RestClient.create("http://localhost:" + port + "/actuator");
            JsonNode crvecdb = actuator.get().uri("/health").retrieve().body(JsonNode.class).get("components").get("crvecdb");
            assertThat(crvecdb.get("status").asString()).isEqualTo("UP");
            assertThat(crvecdb.get("details").get("count").asInt()).isEqualTo(5);
            assertThat(crvecdb.get("details").get("storagePath").asString()).isEqualTo(this.storage.toString());
            JsonNode size = actuator.get().uri("/metrics/crvecdb.index.size").retrieve().body(JsonNode.class);
            assertThat(size.get("measurements").get(0).get("value").asDouble()).isEqualTo(5.0);
        }
        try (ConfigurableApplicationContext second = start(WebApplicationType.NONE)) {
            VectorIndex index = second.getBean(VectorIndex.class);
            assertThat(index.size()).as("reopened, not added again").isEqualTo(5);
            assertThat(index.search(new float[] { 0.9f, 0.3f, 0.1f }, 3)).extracting(SearchHit::id)
                .containsExactly("orange", "red", "yellow");
        }
    }

    /** A first start stopped after one colour: the next start adds the other four (it added none). */
    @Test
    void aStartAfterAnInterruptedFirstOneAddsTheColoursMissing() {
        try (VectorIndex interrupted = VectorIndex.builder().dimensions(3).metric(Metric.COSINE).m(16).efConstruction(200)
                .storage(this.storage).build()) {
            interrupted.add("red", new float[] { 1.0f, 0.0f, 0.0f });
        }
        try (ConfigurableApplicationContext next = start(WebApplicationType.NONE)) {
            assertThat(next.getBean(VectorIndex.class).size()).isEqualTo(5);
        }
    }

    private ConfigurableApplicationContext start(WebApplicationType type) {
        return new SpringApplicationBuilder(QuickstartApplication.class).web(type)
            .run("--server.port=0", "--crvecdb.storage.path=" + this.storage);
    }
}
