package io.crvecdb.samples.rag;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
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

    /**
     * Ctrl+C during the first start's ingestion closes the context while a batch is being embedded:
     * the application stops after that batch (closing the model under it crashed the JVM in ONNX
     * Runtime), and the next start embeds the rest.
     */
    @Test
    void stoppingDuringTheIngestionStopsCleanlyAndTheNextStartResumes() throws Exception {
        AtomicReference<ApplicationStartedEvent> started = new AtomicReference<>();
        CompletableFuture<ConfigurableApplicationContext> first = CompletableFuture.supplyAsync(
                () -> new SpringApplicationBuilder(RagSampleApplication.class).web(WebApplicationType.NONE)
                    .listeners((ApplicationListener<ApplicationStartedEvent>) started::set)
                    .run("--crvecdb.storage.path=" + this.dataDir, "--sample.corpus.limit=" + CORPUS_LIMIT,
                            "--sample.corpus.batch-size=8"));
        while (started.get() == null
                || started.get().getApplicationContext().getBean(CorpusIngestion.class).progress().embedded() < 8) {
            Thread.sleep(10);
        }
        started.get().getApplicationContext().close(); // as the JVM's shutdown hook does on Ctrl+C
        first.get(60, TimeUnit.SECONDS);

        try (ConfigurableApplicationContext second = start()) {
            CorpusIngestion.Progress progress = second.getBean(CorpusIngestion.class).progress();
            assertThat(progress.done()).isTrue();
            assertThat(progress.toEmbed()).isBetween(1, CORPUS_LIMIT - 8);
            assertThat(second.getBean(VectorIndex.class).size()).isEqualTo(CORPUS_LIMIT);
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(RagSampleApplication.class).web(WebApplicationType.NONE)
            .run("--crvecdb.storage.path=" + this.dataDir, "--sample.corpus.limit=" + CORPUS_LIMIT);
    }
}
