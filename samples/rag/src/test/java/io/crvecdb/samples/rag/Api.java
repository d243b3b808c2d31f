package io.crvecdb.samples.rag;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample's HTTP API as a client sees it: any status comes back, with its JSON body. */
final class Api {

    private final RestClient client;

    Api(int port) {
        this.client = RestClient.builder().baseUrl("http://localhost:" + port).build();
    }

    ResponseEntity<JsonNode> post(String path, Object body) {
        return this.client.post()
            .uri(path)
            .contentType(MediaType.APPLICATION_JSON)
            .body(body)
            .exchange((request, response) -> ResponseEntity.status(response.getStatusCode())
                .headers(response.getHeaders())
                .body(response.bodyTo(JsonNode.class)));
    }

    ResponseEntity<JsonNode> get(String path) {
        return this.client.get()
            .uri(path)
            .exchange((request, response) -> ResponseEntity.status(response.getStatusCode())
                .headers(response.getHeaders())
                .body(response.bodyTo(JsonNode.class)));
    }

    HttpStatusCode delete(String path) {
        return this.client.delete().uri(path).exchange((request, response) -> response.getStatusCode());
    }

    /** The results of a successful search. */
    List<JsonNode> search(String query, int topK, String filter) {
        ResponseEntity<JsonNode> response = post("/api/search",
                Map.<String, Object>of("query", query, "topK", topK, "filter", filter));
        assertThat(response.getStatusCode()).as("status of search %s", response.getBody()).isEqualTo(HttpStatus.OK);
        return List.copyOf(response.getBody().get("results").values());
    }
}
