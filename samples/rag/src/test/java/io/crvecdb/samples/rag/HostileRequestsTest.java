package io.crvecdb.samples.rag;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests no client should send: oversized bodies (with a length and chunked), values of the
 * wrong type, absurd nesting, huge filters. Each is a problem detail naming what was wrong, and
 * the store keeps exactly its documents.
 */
@SampleTest
class HostileRequestsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Value("${local.server.port}")
    int port;

    Api api;

    int documentsBefore;

    @BeforeEach
    void countDocuments() {
        this.api = new Api(this.port);
        this.documentsBefore = documents();
    }

    @AfterEach
    void nothingWasStored() {
        assertThat(documents()).as("documents after the request").isEqualTo(this.documentsBefore);
        assertThat(this.api.search("a domestic animal", 3, "")).hasSize(3);
    }

    private int documents() {
        return this.api.get("/api/status").getBody().get("documents").asInt();
    }

    /** 1,000 documents of 5,000 characters: 5 MB, over the 4 MB limit. */
    private static String oversizedDocuments() {
        String text = "word ".repeat(1000);
        return JSON.writeValueAsString(java.util.Collections.nCopies(1000, Map.of("text", text)));
    }

    @Test
    void aBodyDeclaredOverTheLimitIsRefusedBeforeItIsRead() {
        ResponseEntity<JsonNode> response = this.api.post("/api/documents", oversizedDocuments());
        assertProblem(response, HttpStatus.CONTENT_TOO_LARGE, "body", "the limit is 4194304 bytes");
    }

    @Test
    void aChunkedBodyOverTheLimitIsCutOff() throws Exception {
        byte[] body = oversizedDocuments().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/documents"))
            .header("Content-Type", "application/json")
            // A stream of unknown length goes out chunked: no Content-Length to refuse up front.
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.get("field").asString()).isEqualTo("body");
            assertThat(problem.get("detail").asString()).contains("longer than 4194304 bytes");
        }
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("/api/search", "{\"query\": \"cat\", \"topK\": \"many\"}", "topK", "Integer"),
                Arguments.of("/api/search", "{\"query\": \"cat\", \"topK\": 10000000000}", "topK", "out of range"),
                Arguments.of("/api/search", "{\"query\": {\"text\": \"cat\"}}", "query", "String"),
                Arguments.of("/api/search", "{\"query\": \"cat\", \"threshold\": \"high\"}", "threshold", "Double"),
                Arguments.of("/api/search", "[\"cat\"]", "body", "SearchQuery"),
                Arguments.of("/api/documents", "{\"text\": \"a single object\"}", "body", "List"),
                Arguments.of("/api/documents", "[{\"text\": [\"a\", \"b\"]}]", "documents[0].text", "String"),
                Arguments.of("/api/documents", "[{\"text\": \"ok\"}, {\"text\": \"ok\", \"metadata\": \"pos=noun\"}]",
                        "documents[1].metadata", "Map"),
                Arguments.of("/api/documents", "[{\"text\": \"ok\", \"metadata\": {\"pos\": {\"nested\": 1}}}]",
                        "documents[0].metadata.pos", "must be a string, a number, a boolean or a list of them"),
                Arguments.of("/api/documents", "[" + "[".repeat(100_000) + "]".repeat(100_000) + "]", "documents[0]",
                        "NewDocument"),
                Arguments.of("/api/documents", "[{\"text\": \"ok\", \"metadata\": {\"pos\": " + "[".repeat(100_000)
                        + "]".repeat(100_000) + "}}]", "body", "nesting depth"),
                Arguments.of("/api/search", "{\"query\": \"cat\", \"topK\": 5", "body", "Malformed JSON"),
                Arguments.of("/api/documents", "[{\"text\": \"ok\"}, null]", "documents[1]", "must be an object"),
                Arguments.of("/api/documents", "[{\"text\": \"ok\", \"metadata\": {\"n\": 1e400}}]", "documents[0].metadata.n",
                        "got Infinity"));
    }

    @ParameterizedTest
    @MethodSource("wrongTypes")
    void aValueOfTheWrongTypeIsAProblemNamingItsField(String path, String body, String field, String detail) {
        assertProblem(this.api.post(path, body), HttpStatus.BAD_REQUEST, field, detail);
    }

    static Stream<Arguments> hostileFilters() {
        return Stream.of(
                Arguments.of("(".repeat(50_000) + "pos == 'noun'" + ")".repeat(50_000), "characters; the limit is 10000"),
                Arguments.of("(".repeat(4_000) + "pos == 'noun'" + ")".repeat(4_000), "nested too deeply"),
                Arguments.of("pos == '" + "x".repeat(9_000), "Malformed filter"));
    }

    @ParameterizedTest
    @MethodSource("hostileFilters")
    void aHostileFilterIsAProblemNotAnError(String filter, String detail) {
        ResponseEntity<JsonNode> search = this.api.post("/api/search", Map.of("query", "cat", "filter", filter));
        assertProblem(search, HttpStatus.BAD_REQUEST, "filter", detail);
        assertThat(search.getBody().get("detail").asString()).hasSizeLessThan(1000);
    }

    /** Well under the body limit, but longer than the embedding model takes in one piece. */
    @Test
    void aDocumentTooLongToEmbedIsAProblemNotAnError() {
        ResponseEntity<JsonNode> response = this.api.post("/api/documents",
                List.of(Map.of("id", "long-1", "text", "word ".repeat(9_000))));
        assertProblem(response, HttpStatus.BAD_REQUEST, "documents", "split long texts into passages");
        assertThat(this.api.post("/api/search", Map.of("query", "word", "topK", 1)).getBody().toString())
            .doesNotContain("long-1");
    }

    @Test
    void deletingWithoutIdsOrWithBlankOnesIsAProblem() {
        for (String query : List.of("", "?ids=", "?ids=,", "?ids=a,,b")) {
            assertThat(this.api.delete("/api/documents" + query)).as("DELETE /api/documents%s", query)
                .isEqualTo(HttpStatus.BAD_REQUEST);
        }
    }

    private static void assertProblem(ResponseEntity<JsonNode> response, HttpStatus status, String field, String detail) {
        assertThat(response.getStatusCode()).as("%s", response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody().get("field").asString()).isEqualTo(field);
        assertThat(response.getBody().get("detail").asString()).contains(detail);
    }
}
