package io.crvecdb.samples.rag.api;

import java.util.List;

import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/search}: the documents most similar to a query, best first. */
@RestController
class SearchController {

    private final VectorStore vectorStore;

    SearchController(VectorStore vectorStore) {
        this.vectorStore = vectorStore;
    }

    @PostMapping("/api/search")
    SearchResponse search(@RequestBody SearchQuery query) {
        SearchRequest request = query.toSearchRequest();
        long start = System.nanoTime();
        List<Hit> hits = FilterExpressions.searching(request.getFilterExpression(),
                () -> this.vectorStore.similaritySearch(request).stream().map(Hit::of).toList());
        return new SearchResponse(hits, (System.nanoTime() - start) / 1e6);
    }

    /**
     * The answer to a search.
     *
     * @param results the documents found, best first
     * @param tookMs  how long the search took (embedding the query included), in milliseconds
     */
    record SearchResponse(List<Hit> results, double tookMs) {
    }
}
