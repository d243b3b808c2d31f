package io.crvecdb.samples.rag.api;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.vectorstore.SearchRequest;

/**
 * The JSON body of a search.
 *
 * @param query     what to search for (required)
 * @param topK      how many documents to return at most, 1 to {@value #MAX_TOP_K}; default {@value #DEFAULT_TOP_K}
 * @param threshold the least similarity of a returned document, 0 to 1; default 0 (no threshold)
 * @param filter    a metadata filter in Spring AI's syntax, such as {@code pos == 'verb'}; default none
 */
record SearchQuery(@Nullable String query, @Nullable Integer topK, @Nullable Double threshold,
        @Nullable String filter) {

    static final int DEFAULT_TOP_K = 5;

    static final int MAX_TOP_K = 100;

    /**
     * The Spring AI search request.
     *
     * @throws InvalidInputException naming the first invalid field
     */
    SearchRequest toSearchRequest() {
        if (this.query == null || this.query.isBlank()) {
            throw new InvalidInputException("query", "The query is empty: type some words to search for");
        }
        int k = Objects.requireNonNullElse(this.topK, DEFAULT_TOP_K);
        if (k < 1 || k > MAX_TOP_K) {
            throw new InvalidInputException("topK", "topK must be between 1 and " + MAX_TOP_K + ", got " + k);
        }
        double similarity = Objects.requireNonNullElse(this.threshold, SearchRequest.SIMILARITY_THRESHOLD_ACCEPT_ALL);
        if (!(similarity >= 0 && similarity <= 1)) {
            throw new InvalidInputException("threshold",
                    "threshold is a similarity between 0 and 1, got " + similarity);
        }
        return SearchRequest.builder()
            .query(this.query)
            .topK(k)
            .similarityThreshold(similarity)
            .filterExpression(FilterExpressions.parse(this.filter))
            .build();
    }
}
