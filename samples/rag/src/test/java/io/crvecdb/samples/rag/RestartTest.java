package io.crvecdb.samples.rag;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.crvecdb.VectorIndex;
import io.crvecdb.samples.rag.corpus.CorpusIngestion;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store outlives the application: a restart over the same data directory reopens it, embeds
 * nothing, and finds what the first run stored, filters included.
 */
class RestartTest {

    static final int CORPUS_LIMIT = 40;

    @TempDir
    Path dataDir;

    @Test
    void aRestartReopensTheStoreWithoutEmbeddingAgain() {
        SearchRequest verbs = SearchRequest.builder().query("go somewhere").topK(5).filterExpression("pos == 'verb'").build();
        List<Document> firstResults;
        try (ConfigurableApplicationContext first = start()) {
            assertThat(first.getBean(CorpusIngestion.class).progress())
                .isEqualTo(new CorpusIngestion.Progress(true, CORPUS_LIMIT, CORPUS_LIMIT, CORPUS_LIMIT));
            first.getBean(VectorStore.class)
                .add(List.of(new Document("added-before-restart", "A note added through the API", Map.of("pos", "note"))));
            firstResults = first.getBean(VectorStore.class).similaritySearch(verbs);
            assertThat(firstResults).isNotEmpty();
        }

        try (ConfigurableApplicationContext second = start()) {
            assertThat(second.getBean(CorpusIngestion.class).progress())
                .isEqualTo(new CorpusIngestion.Progress(true, CORPUS_LIMIT, 0, 0));
            assertThat(second.getBean(VectorIndex.class).size()).isEqualTo(CORPUS_LIMIT + 1);
            VectorStore store = second.getBean(VectorStore.class);
            assertThat(store.similaritySearch(verbs)).extracting(Document::getId)
                .containsExactlyElementsOf(firstResults.stream().map(Document::getId).toList());
            assertThat(store.similaritySearch(SearchRequest.builder().query("note").filterExpression("pos == 'note'").build()))
                .extracting(Document::getId).containsExactly("added-before-restart");
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(RagSampleApplication.class).web(WebApplicationType.NONE)
            .run("--crvecdb.storage.path=" + this.dataDir, "--sample.corpus.limit=" + CORPUS_LIMIT);
    }
}
