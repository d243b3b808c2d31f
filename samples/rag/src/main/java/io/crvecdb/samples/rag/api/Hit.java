package io.crvecdb.samples.rag.api;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.springframework.ai.document.Document;
import org.springframework.ai.document.DocumentMetadata;

/**
 * A document found by a search, as JSON.
 *
 * @param id       the document id
 * @param text     its text
 * @param score    its cosine similarity to the query: 1 is the same direction, 0 unrelated
 * @param metadata its metadata
 */
record Hit(String id, String text, double score, Map<String, Object> metadata) {

    /** The hit of a document returned by a {@code VectorStore} search. */
    static Hit of(Document document) {
        Map<String, Object> metadata = new TreeMap<>(document.getMetadata());
        metadata.remove(DocumentMetadata.DISTANCE.value()); // the score says the same
        return new Hit(document.getId(), Objects.requireNonNullElse(document.getText(), ""),
                Objects.requireNonNull(document.getScore(), "a search result has a score"), metadata);
    }
}
