package io.crvecdb.samples.rag;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.ai.document.Document;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import io.crvecdb.samples.rag.corpus.WordNetCorpus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Question answering with a chat model that records its prompts: the documents the retrieval
 * advisor finds in the store reach the prompt, and the API returns them with the answer.
 */
@SampleTest
@Import(RecordingChatModel.class)
class AskTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    SampleProperties properties;

    @Autowired
    RecordingChatModel chatModel;

    Api api;

    @BeforeEach
    void setUp() {
        this.api = new Api(this.port);
        this.chatModel.prompts.clear();
    }

    @Test
    void retrievedDocumentsReachThePromptAndTheAnswer() {
        Document document = WordNetCorpus.read(this.properties.corpus().location(), SampleTest.CORPUS_LIMIT).get(120);
        ResponseEntity<JsonNode> response = this.api.post("/api/ask", Map.of("question", document.getText()));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody().get("answer").asString()).isEqualTo(RecordingChatModel.ANSWER);
        List<JsonNode> documents = List.copyOf(response.getBody().get("documents").values());
        assertThat(documents).hasSizeBetween(1, this.properties.rag().topK());
        assertThat(documents.getFirst().get("id").asString()).isEqualTo(document.getId());

        assertThat(this.chatModel.prompts).hasSize(1);
        String prompt = this.chatModel.prompts.getFirst().getContents();
        assertThat(documents).allSatisfy(hit -> assertThat(prompt).contains(hit.get("text").asString()));
    }

    @Test
    void theFilterRestrictsTheDocumentsGivenToTheModel() {
        ResponseEntity<JsonNode> response = this.api.post("/api/ask",
                Map.of("question", "to go somewhere fast", "filter", "pos == 'verb'"));

        List<JsonNode> documents = List.copyOf(response.getBody().get("documents").values());
        assertThat(documents).isNotEmpty()
            .allSatisfy(hit -> assertThat(hit.get("metadata").get("pos").asString()).isEqualTo("verb"));
        String prompt = this.chatModel.prompts.getFirst().getContents();
        assertThat(documents).allSatisfy(hit -> assertThat(prompt).contains(hit.get("text").asString()));
    }

    @Test
    void badQuestionsAreProblems() {
        ResponseEntity<JsonNode> empty = this.api.post("/api/ask", Map.of("question", " "));
        assertThat(empty.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(empty.getBody().get("field").asString()).isEqualTo("question");

        ResponseEntity<JsonNode> malformed = this.api.post("/api/ask", Map.of("question", "car", "filter", "pos ="));
        assertThat(malformed.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(malformed.getBody().get("field").asString()).isEqualTo("filter");

        ResponseEntity<JsonNode> mistyped = this.api.post("/api/ask", Map.of("question", "car", "filter", "words == 'two'"));
        assertThat(mistyped.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(mistyped.getBody().get("field").asString()).isEqualTo("filter");
        assertThat(mistyped.getBody().get("detail").asString()).contains("Cannot compare");
        assertThat(this.chatModel.prompts).isEmpty();
    }

    @Test
    void statusSaysQuestionAnsweringIsOn() {
        assertThat(this.api.get("/api/status").getBody().get("ask").asBoolean()).isTrue();
    }
}
