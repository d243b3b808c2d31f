package io.crvecdb.samples.rag.api;

import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.crvecdb.VectorIndex;
import io.crvecdb.samples.rag.ask.RagAssistant;
import io.crvecdb.samples.rag.corpus.CorpusIngestion;

/** {@code GET /api/status}: what the store holds and what the application can do. */
@RestController
class StatusController {

    private final VectorIndex vectorIndex;

    private final CorpusIngestion corpusIngestion;

    private final RagAssistant assistant;

    StatusController(VectorIndex vectorIndex, CorpusIngestion corpusIngestion, RagAssistant assistant) {
        this.vectorIndex = vectorIndex;
        this.corpusIngestion = corpusIngestion;
        this.assistant = assistant;
    }

    @GetMapping("/api/status")
    Status status() {
        return new Status(this.vectorIndex.size(), this.vectorIndex.dimensions(), this.vectorIndex.metric().name(),
                this.vectorIndex.storagePath().map(path -> path.toAbsolutePath().normalize().toString()).orElse(null),
                this.vectorIndex.storeSizeBytes(), this.corpusIngestion.progress(), this.assistant.enabled());
    }

    /**
     * The status.
     *
     * @param documents  documents in the store
     * @param dimensions dimensions of their embeddings
     * @param metric     how embeddings are compared
     * @param storage    the store's directory; {@code null} in memory
     * @param storeBytes the size of the store's files
     * @param corpus     the corpus ingestion of this start
     * @param ask        whether question answering is on (a chat model is configured)
     */
    record Status(int documents, int dimensions, String metric, @Nullable String storage, long storeBytes,
            CorpusIngestion.Progress corpus, boolean ask) {
    }
}
