package io.crvecdb.samples.rag;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the sample, under {@code sample.*}.
 *
 * @param corpus The bundled corpus and how it is ingested.
 * @param rag    Retrieval for question answering (used when a chat model is configured).
 * @param api    Limits of the HTTP API.
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue Corpus corpus, @DefaultValue Rag rag, @DefaultValue Api api) {

    /**
     * The corpus ingested on start.
     *
     * @param location  Tab-separated corpus file: a header, then id, pos, category, words, text.
     * @param limit     At most this many corpus documents, evenly spaced through the file; 0 for all.
     * @param batchSize Documents embedded and added per batch (progress is logged per batch).
     */
    public record Corpus(@DefaultValue("classpath:corpus/wordnet-glosses.tsv") Resource location,
            @DefaultValue("0") int limit, @DefaultValue("256") int batchSize) {

        public Corpus {
            Assert.isTrue(limit >= 0, () -> "'sample.corpus.limit' must be 0 (all) or positive, got " + limit);
            Assert.isTrue(batchSize > 0, () -> "'sample.corpus.batch-size' must be positive, got " + batchSize);
        }
    }

    /**
     * Retrieval for the chat model.
     *
     * @param topK                Documents retrieved per question.
     * @param similarityThreshold Minimum similarity (0 to 1) of a retrieved document.
     */
    public record Rag(@DefaultValue("5") int topK, @DefaultValue("0.3") double similarityThreshold) {

        public Rag {
            Assert.isTrue(topK > 0, () -> "'sample.rag.top-k' must be positive, got " + topK);
            Assert.isTrue(similarityThreshold >= 0 && similarityThreshold <= 1,
                    () -> "'sample.rag.similarity-threshold' must be in [0, 1], got " + similarityThreshold);
        }
    }

    /**
     * Limits of the HTTP API.
     *
     * @param maxRequestSize Largest request body accepted; a larger one is refused with 413 before
     *                       it is read into memory.
     */
    public record Api(@DefaultValue("4MB") DataSize maxRequestSize) {

        public Api {
            Assert.isTrue(maxRequestSize.toBytes() > 0,
                    () -> "'sample.api.max-request-size' must be positive, got " + maxRequestSize);
        }
    }
}
