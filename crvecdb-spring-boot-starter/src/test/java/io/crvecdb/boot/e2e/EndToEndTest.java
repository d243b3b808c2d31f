package io.crvecdb.boot.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.crvecdb.boot.autoconfigure.WordEmbeddingModel;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Boot web app with Actuator and the starter: documents added through the injected
 * {@link VectorStore}, health and metrics read over HTTP; then the context is closed and a new one
 * on the same storage path finds the documents again.
 */
@SpringBootTest(classes = EndToEndTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=health,metrics",
                "management.endpoint.health.show-details=always" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext
class EndToEndTest {

    static final Path STORAGE = temporaryDirectory();

    @SpringBootApplication
    static class App {

        @Bean
        EmbeddingModel embeddingModel() {
            return new WordEmbeddingModel(32);
        }

    }

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("crvecdb.storage.path", STORAGE::toString);
        registry.add("crvecdb.metric", () -> "cosine");
    }

    @Autowired
    VectorStore vectorStore;

    @LocalServerPort
    int port;

    @Test
    @Order(1)
    @DirtiesContext(methodMode = DirtiesContext.MethodMode.AFTER_METHOD)
    void documentsHealthAndMetricsOverHttp() throws Exception {
        this.vectorStore.add(List.of(new Document("boot", "spring boot starter auto configuration", Map.of("year", 2024)),
                new Document("hnsw", "hierarchical navigable small world graph", Map.of("year", 2016))));
        assertThat(this.vectorStore.similaritySearch(SearchRequest.builder().query("graph").topK(1).build()))
            .extracting(Document::getId).containsExactly("hnsw");

        JsonNode crvecdb = get("/actuator/health").path("components").path("crvecdb");
        assertThat(crvecdb.path("status").asString()).isEqualTo("UP");
        JsonNode details = crvecdb.path("details");
        assertThat(details.path("count").asInt()).isEqualTo(2);
        assertThat(details.path("dimensions").asInt()).isEqualTo(32);
        assertThat(details.path("metric").asString()).isEqualTo("cosine");
        assertThat(details.path("storagePath").asString()).isEqualTo(STORAGE.toString());
        assertThat(details.path("freeDiskBytes").asLong()).isPositive();
        assertThat(measurement("crvecdb.index.size", "VALUE")).isEqualTo(2.0);
        assertThat(measurement("crvecdb.add", "COUNT")).isEqualTo(2.0);
        assertThat(measurement("crvecdb.search", "COUNT")).isEqualTo(1.0);
        assertThat(measurement("crvecdb.store.size", "VALUE")).isPositive();
        assertThat(measurement("crvecdb.index.memory", "VALUE")).isPositive();
        // The store's Spring AI observations reach the application's registry too.
        assertThat(get("/actuator/metrics/db.vector.client.operation?tag=db.operation.name:add&tag=db.system:crvecdb")
            .path("measurements")).isNotEmpty();

    }

    /** A new context on the same storage path: the first one was closed after its test (index closed, lock released). */
    @Test
    @Order(2)
    void restartedAppFindsTheDocuments() throws Exception {
        List<Document> found = this.vectorStore.similaritySearch(
                SearchRequest.builder().query("auto configuration").topK(1).filterExpression("year == 2024").build());
        assertThat(found).extracting(Document::getId).containsExactly("boot");
        assertThat(found.getFirst().getText()).isEqualTo("spring boot starter auto configuration");
        assertThat(get("/actuator/health").path("components").path("crvecdb").path("details").path("count").asInt())
            .isEqualTo(2);
    }

    private double measurement(String meter, String statistic) throws IOException, InterruptedException {
        for (JsonNode measurement : get("/actuator/metrics/" + meter).path("measurements")) {
            if (measurement.path("statistic").asString().equals(statistic)) {
                return measurement.path("value").asDouble();
            }
        }
        throw new AssertionError(meter + " has no " + statistic);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JsonMapper.builder().build().readTree(response.body());
    }

    private static Path temporaryDirectory() {
        try {
            // Under target/: the test cannot delete a store its context still has open, the build's clean does.
            return Files.createTempDirectory(Files.createDirectories(Path.of("target")), "crvecdb-e2e").resolve("store");
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
