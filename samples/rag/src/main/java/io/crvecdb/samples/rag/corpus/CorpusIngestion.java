package io.crvecdb.samples.rag.corpus;

import java.util.Comparator;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.crvecdb.VectorIndex;
import io.crvecdb.samples.rag.SampleProperties;

/**
 * Puts the bundled corpus into the vector store when the application starts: embeds and adds the
 * corpus documents the store does not hold yet, in batches, logging the progress. On a first start
 * that is all of them; on a restart over the same store none (nothing is embedded again); after an
 * interrupted first start, the rest. A corpus document deleted through the API therefore comes
 * back on the next start. Stopping the application (Ctrl+C) during the ingestion waits for the
 * batch being embedded, then ends the ingestion; the next start embeds the rest.
 */
@Component
public class CorpusIngestion implements ApplicationRunner, SmartLifecycle {

    private static final Log logger = LogFactory.getLog(CorpusIngestion.class);

    private final VectorStore vectorStore;

    private final VectorIndex vectorIndex;

    private final SampleProperties.Corpus corpus;

    private volatile Progress progress = new Progress(false, 0, 0, 0);

    /** Held while a batch is embedded and added, so that the application stops between batches. */
    private final Object batchLock = new Object();

    private volatile boolean running;

    CorpusIngestion(VectorStore vectorStore, VectorIndex vectorIndex, SampleProperties properties) {
        this.vectorStore = vectorStore;
        this.vectorIndex = vectorIndex;
        this.corpus = properties.corpus();
    }

    @Override
    public void run(ApplicationArguments args) {
        List<Document> documents = WordNetCorpus.read(this.corpus.location(), this.corpus.limit());
        // Shortest first: the model pads every text of a batch to the longest, so similar lengths waste less.
        List<Document> missing = documents.stream()
            .filter(document -> !this.vectorIndex.contains(document.getId()))
            .sorted(Comparator.comparingInt(document -> document.getText().length()))
            .toList();
        this.progress = new Progress(missing.isEmpty(), documents.size(), missing.size(), 0);
        if (missing.isEmpty()) {
            logger.info("The store holds all " + documents.size() + " corpus documents: nothing to embed");
            return;
        }
        logger.info("Embedding " + missing.size() + " of " + documents.size() + " corpus documents into the store");
        long start = System.nanoTime();
        for (int from = 0; from < missing.size(); from += this.corpus.batchSize()) {
            List<Document> batch = missing.subList(from, Math.min(from + this.corpus.batchSize(), missing.size()));
            synchronized (this.batchLock) {
                if (!this.running) {
                    logger.info("Corpus: stopped at " + from + "/" + missing.size() + "; the next start embeds the rest");
                    return;
                }
                this.vectorStore.add(batch);
            }
            int embedded = from + batch.size();
            this.progress = new Progress(embedded == missing.size(), documents.size(), missing.size(), embedded);
            logger.info("Corpus: " + embedded + "/" + missing.size() + " documents embedded ("
                    + 100 * embedded / missing.size() + "%)");
        }
        logger.info("Corpus ingested: " + missing.size() + " documents in "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    @Override
    public void start() {
        this.running = true;
    }

    /**
     * Waits for the batch being embedded: the context destroys the embedding model after this, and
     * closing its ONNX Runtime session under a running batch crashed the JVM (SIGSEGV).
     */
    @Override
    public void stop() {
        synchronized (this.batchLock) {
            this.running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /** How far the ingestion of this start has come. */
    public Progress progress() {
        return this.progress;
    }

    /**
     * The corpus ingestion of this start.
     *
     * @param done       whether the store holds the whole corpus
     * @param corpusSize documents in the corpus (after {@code sample.corpus.limit})
     * @param toEmbed    corpus documents the store did not hold at start
     * @param embedded   of those, how many are embedded and stored so far
     */
    public record Progress(boolean done, int corpusSize, int toEmbed, int embedded) {
    }
}
