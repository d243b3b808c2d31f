package io.crvecdb.samples.rag;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.ai.document.Document;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import io.crvecdb.samples.rag.corpus.WordNetCorpus;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON API over real HTTP, on the corpus subset the application ingested at start. */
@SampleTest
class SearchApiTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    SampleProperties properties;

    Api api;

    List<Document> corpus;

    @BeforeEach
    void setUp() {
        this.api = new Api(this.port);
        this.corpus = WordNetCorpus.read(this.properties.corpus().location(), SampleTest.CORPUS_LIMIT);
    }

    @Test
    void statusCountsTheIngestedCorpus() {
        JsonNode status = this.api.get("/api/status").getBody();
        assertThat(status.get("corpus").get("done").asBoolean()).isTrue();
        assertThat(status.get("corpus").get("corpusSize").asInt()).isEqualTo(SampleTest.CORPUS_LIMIT);
        assertThat(status.get("documents").asInt()).isGreaterThanOrEqualTo(SampleTest.CORPUS_LIMIT);
        assertThat(status.get("dimensions").asInt()).isEqualTo(384);
        assertThat(status.get("ask").asBoolean()).as("no chat model in this test").isFalse();
    }

    @Test
    void aDocumentsOwnTextFindsItFirst() {
        for (Document document : List.of(this.corpus.get(10), this.corpus.get(150), this.corpus.get(290))) {
            JsonNode first = this.api.search(document.getText(), 3, "").getFirst();
            assertThat(first.get("id").asString()).isEqualTo(document.getId());
            assertThat(first.get("text").asString()).isEqualTo(document.getText());
            assertThat(first.get("score").asDouble()).isGreaterThan(0.99);
            assertThat(first.get("metadata").get("pos").asString()).isEqualTo(document.getMetadata().get("pos"));
        }
    }

    @Test
    void resultsComeBestFirstAndPassTheFilter() {
        List<JsonNode> verbs = this.api.search("move quickly from one place to another", 10, "pos == 'verb'");
        assertThat(verbs).hasSize(10);
        assertThat(verbs).allSatisfy(hit -> assertThat(hit.get("metadata").get("pos").asString()).isEqualTo("verb"));
        assertThat(verbs).extracting(hit -> hit.get("score").asDouble()).isSortedAccordingTo((a, b) -> Double.compare(b, a));

        List<JsonNode> filtered = this.api.search("something to eat", 50, "category IN ['food', 'plant'] && words >= 2");
        assertThat(filtered).isNotEmpty().allSatisfy(hit -> {
            assertThat(hit.get("metadata").get("category").asString()).isIn("food", "plant");
            assertThat(hit.get("metadata").get("words").asInt()).isGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void thresholdDropsLessSimilarDocuments() {
        Document document = this.corpus.get(42);
        ResponseEntity<JsonNode> response = this.api.post("/api/search",
                Map.of("query", document.getText(), "topK", 20, "threshold", 0.9));
        List<JsonNode> results = List.copyOf(response.getBody().get("results").values());
        assertThat(results).isNotEmpty().hasSizeLessThan(20)
            .allSatisfy(hit -> assertThat(hit.get("score").asDouble()).isGreaterThanOrEqualTo(0.9));
        assertThat(results.getFirst().get("id").asString()).isEqualTo(document.getId());
    }

    @Test
    void addedDocumentsAreFoundAndDeletedOnesAreNot() {
        ResponseEntity<JsonNode> added = this.api.post("/api/documents", List.of(
                Map.of("id", "test-car", "text", "A family car with four doors and a large boot",
                        "metadata", Map.of("source", "api-test", "year", 2024, "tags", List.of("vehicle", "family"))),
                Map.of("id", "test-fruit", "text", "A ripe yellow banana", "metadata", Map.of("source", "api-test"))));
        assertThat(added.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        assertThat(added.getBody().get("ids").values()).extracting(JsonNode::asString)
            .containsExactly("test-car", "test-fruit");

        List<JsonNode> found = this.api.search("automobile", 5, "source == 'api-test'");
        assertThat(found).extracting(hit -> hit.get("id").asString()).containsExactly("test-car", "test-fruit");
        assertThat(found.getFirst().get("metadata").get("year").asInt()).isEqualTo(2024);
        assertThat(found.getFirst().get("metadata").get("tags").values()).extracting(JsonNode::asString)
            .containsExactly("vehicle", "family");

        assertThat(this.api.delete("/api/documents?ids=test-car,test-fruit")).isEqualTo(HttpStatus.NO_CONTENT);
        assertThat(this.api.search("automobile", 5, "source == 'api-test'")).isEmpty();
    }

    @Test
    void addingWithoutAnIdGivesARandomOne() {
        ResponseEntity<JsonNode> added = this.api.post("/api/documents", List.of(Map.of("text", "An id-less note")));
        String id = added.getBody().get("ids").get(0).asString();
        assertThat(id).isNotBlank();
        assertThat(this.api.search("An id-less note", 1, "").getFirst().get("id").asString()).isEqualTo(id);
        assertThat(this.api.delete("/api/documents?ids=" + id)).isEqualTo(HttpStatus.NO_CONTENT);
    }

    static Stream<Arguments> badSearches() {
        return Stream.of(
                Arguments.of(Map.of("query", ""), "query", "The query is empty"),
                Arguments.of(Map.of("query", "   "), "query", "The query is empty"),
                Arguments.of(Map.of("topK", 5), "query", "The query is empty"),
                Arguments.of(Map.of("query", "cat", "topK", 0), "topK", "between 1 and 100, got 0"),
                Arguments.of(Map.of("query", "cat", "topK", 101), "topK", "between 1 and 100, got 101"),
                Arguments.of(Map.of("query", "cat", "threshold", 1.5), "threshold", "between 0 and 1, got 1.5"),
                Arguments.of(Map.of("query", "cat", "threshold", -0.1), "threshold", "between 0 and 1, got -0.1"),
                Arguments.of(Map.of("query", "cat", "filter", "pos = 'noun'"), "filter", "Malformed filter \"pos = 'noun'\""),
                Arguments.of(Map.of("query", "cat", "filter", "pos == 'noun' &&"), "filter", "Malformed filter"),
                Arguments.of(Map.of("query", "cat", "filter", "words > 3000000000"), "filter", "Malformed filter"),
                Arguments.of(Map.of("query", "cat", "filter", "words > 1e5"), "filter",
                        "Malformed filter \"words > 1e5\". Write it like"),
                Arguments.of(Map.of("query", "cat", "filter", "words == 'two'"), "filter", "Cannot compare"));
    }

    @ParameterizedTest
    @MethodSource("badSearches")
    void badSearchesAreProblemsNamingTheField(Map<String, Object> body, String field, String detail) {
        assertProblem(this.api.post("/api/search", body), field, detail);
    }

    static Stream<Arguments> badAdds() {
        return Stream.of(
                Arguments.of(List.of(), "documents", "Send 1 to 1000 documents per request, got 0"),
                Arguments.of(List.of(Map.of("id", "x")), "documents[0].text", "must not be empty"),
                Arguments.of(List.of(Map.of("text", "ok"), Map.of("text", " ")), "documents[1].text", "must not be empty"),
                Arguments.of(List.of(Map.of("id", " ", "text", "ok")), "documents[0].id", "must not be blank"),
                Arguments.of(List.of(Map.of("id", "note,1", "text", "ok")), "documents[0].id", "must not contain a comma"),
                Arguments.of(List.of(Map.of("text", "ok", "metadata", Map.of("tags", List.of("a", Map.of("b", 1))))),
                        "documents[0].metadata.tags", "must be a string, a number, a boolean or a list of them"));
    }

    @ParameterizedTest
    @MethodSource("badAdds")
    void badAddsAreProblemsNamingTheFieldAndAddNothing(List<Object> body, String field, String detail) {
        int before = this.api.get("/api/status").getBody().get("documents").asInt();
        assertProblem(this.api.post("/api/documents", body), field, detail);
        assertThat(this.api.get("/api/status").getBody().get("documents").asInt()).isEqualTo(before);
    }

    @Test
    void malformedJsonIsAProblemToo() {
        ResponseEntity<JsonNode> response = this.api.post("/api/search", "{\"query\": ");
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void askingWithoutAChatModelSaysHowToConfigureOne() {
        ResponseEntity<JsonNode> response = this.api.post("/api/ask", Map.of("question", "What is a car?"));
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(response.getBody().get("detail").asString()).contains("no chat model is configured", "README");
    }

    @Test
    void healthIsUpOnceTheCorpusIsInWithTheStoresDetails() {
        JsonNode health = this.api.get("/actuator/health").getBody();
        assertThat(health.get("status").asString()).isEqualTo("UP");
        JsonNode crvecdb = health.get("components").get("crvecdb");
        assertThat(crvecdb.get("status").asString()).isEqualTo("UP");
        assertThat(crvecdb.get("details").get("dimensions").asInt()).isEqualTo(384);
    }

    @Test
    void theStoresMetersAreInActuator() {
        JsonNode size = this.api.get("/actuator/metrics/crvecdb.index.size").getBody();
        assertThat(size.get("measurements").get(0).get("value").asInt())
            .isEqualTo(this.api.get("/api/status").getBody().get("documents").asInt());
        this.api.post("/api/search", Map.of("query", "a large body of salt water", "topK", 3));
        JsonNode searches = this.api.get("/actuator/metrics/crvecdb.search").getBody();
        assertThat(searches.get("measurements").get(0).get("value").asDouble()).isPositive();
    }

    private static void assertProblem(ResponseEntity<JsonNode> response, String field, String detail) {
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody().get("field").asString()).isEqualTo(field);
        assertThat(response.getBody().get("title").asString()).isEqualTo("Invalid " + field);
        assertThat(response.getBody().get("detail").asString()).contains(detail);
    }
}
