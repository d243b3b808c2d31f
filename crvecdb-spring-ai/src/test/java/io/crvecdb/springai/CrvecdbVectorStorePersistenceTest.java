package io.crvecdb.springai;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;

import io.crvecdb.Durability;
import io.crvecdb.Metric;
import io.crvecdb.VectorIndex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A store with a storage path keeps its documents across close and reopen: same documents, metadata
 * (with their types), scores and filter results, and the settings it was created with.
 */
class CrvecdbVectorStorePersistenceTest {

    private static final HashingEmbeddingModel MODEL = new HashingEmbeddingModel(32);

    @TempDir
    Path storage;

    private static List<Document> documents() {
        List<Document> documents = new ArrayList<>();
        String[] colours = { "red", "green", "blue" };
        for (int i = 0; i < 300; i++) {
            documents.add(Document.builder()
                .id("doc-" + i)
                .text("document number " + i + " about " + colours[i % 3] + " things")
                .metadata(Map.of("colour", colours[i % 3], "rank", i, "weight", i / 10.0, "even", i % 2 == 0))
                .build());
        }
        return documents;
    }

    private static List<SearchRequest> requests() {
        return List.of(SearchRequest.builder().query("blue things").topK(10).build(),
                SearchRequest.builder().query("document number 42").topK(5).filterExpression("colour == 'red'").build(),
                SearchRequest.builder().query("green").topK(20).filterExpression("rank >= 250 && even == true").build(),
                SearchRequest.builder().query("number").topK(7).filterExpression("weight < 3.5 || colour in ['blue']")
                    .similarityThreshold(0.1).build());
    }

    private static List<List<Document>> answers(CrvecdbVectorStore store) {
        return requests().stream().map(store::similaritySearch).toList();
    }

    @Test
    void reopensWithTheSameDocumentsScoresAndFilters() {
        List<List<Document>> before;
        try (CrvecdbVectorStore store = CrvecdbVectorStore.builder(MODEL).metric(Metric.L2).m(12)
            .storagePath(storage).durability(Durability.INTERVAL).build()) {
            store.add(documents());
            store.delete(List.of("doc-1", "doc-2"));
            store.delete("colour == 'green' && rank > 280");
            before = answers(store);
            assertThat(before).allSatisfy(hits -> assertThat(hits).isNotEmpty());
        }
        // Reopened without settings: the store's own (L2, m = 12) apply.
        try (CrvecdbVectorStore reopened = CrvecdbVectorStore.builder(MODEL).storagePath(storage).build()) {
            VectorIndex index = reopened.<VectorIndex>getNativeClient().orElseThrow();
            assertThat(index.metric()).isEqualTo(Metric.L2);
            assertThat(index.m()).isEqualTo(12);
            assertThat(index.size()).isEqualTo(300 - 2 - 6);
            List<List<Document>> after = answers(reopened);
            assertThat(after).hasSameSizeAs(before);
            for (int r = 0; r < before.size(); r++) {
                assertThat(after.get(r)).usingRecursiveFieldByFieldElementComparator().isEqualTo(before.get(r));
            }
            Document doc42 = reopened
                .similaritySearch(SearchRequest.builder().query("x").topK(1).filterExpression("rank == 42").build())
                .getFirst();
            assertThat(doc42.getText()).isEqualTo("document number 42 about red things");
            assertThat(doc42.getMetadata()).containsEntry("rank", 42).containsEntry("weight", 4.2)
                .containsEntry("even", true).containsEntry("colour", "red");
        }
    }

    @Test
    void aModelOfOtherDimensionsIsRefusedAtBuild() {
        try (CrvecdbVectorStore store = CrvecdbVectorStore.builder(MODEL).storagePath(storage).build()) {
            store.add(documents().subList(0, 3));
        }
        assertThatIllegalArgumentException()
            .isThrownBy(() -> CrvecdbVectorStore.builder(new HashingEmbeddingModel(16)).storagePath(storage).build())
            .withMessageContaining("16-dimensional embeddings")
            .withMessageContaining("stored at " + storage)
            .withMessageContaining("32-dimensional vectors");
        // The refused attempt released the store.
        try (CrvecdbVectorStore store = CrvecdbVectorStore.builder(MODEL).storagePath(storage).build()) {
            assertThat(store.similaritySearch(SearchRequest.builder().query("document").topK(10).build())).hasSize(3);
        }
    }

    /** A store that holds records no CrvecdbVectorStore wrote (a raw import) is refused, and released. */
    @Test
    void aStoreOfForeignRecordsIsRefusedAtBuildAndReleased() {
        try (VectorIndex index = VectorIndex.builder().dimensions(32).storage(storage).build()) {
            float[] vector = new float[32];
            vector[0] = 1;
            index.add("raw", vector);
        }
        assertThatIllegalStateException()
            .isThrownBy(() -> CrvecdbVectorStore.builder(MODEL).storagePath(storage).build())
            .withMessageContaining("does not hold a document stored by CrvecdbVectorStore");
        // The refused attempt released the store: it opens again, in this JVM.
        try (VectorIndex again = VectorIndex.open(storage)) {
            assertThat(again.contains("raw")).isTrue();
        }
    }

    @Test
    void contradictingSettingsAreRefused() {
        try (CrvecdbVectorStore store = CrvecdbVectorStore.builder(MODEL).metric(Metric.COSINE).storagePath(storage)
            .build()) {
            store.add(documents().subList(0, 3));
        }
        assertThatIllegalArgumentException()
            .isThrownBy(() -> CrvecdbVectorStore.builder(MODEL).metric(Metric.DOT_PRODUCT).storagePath(storage).build())
            .withMessageContaining("metric COSINE");
    }

    /** Metadata keeps its Java types across a delete by a negated filter and a reopen, and filters see it. */
    @Test
    void metadataSurvivesADeleteByFilterAndAReopenWithItsTypes() {
        try (CrvecdbVectorStore store = CrvecdbVectorStore.builder(MODEL).storagePath(storage).build()) {
            store.add(List.of(new Document("a", "one", Map.of("year", 2019, "big", 9_007_199_254_740_993L)),
                    new Document("b", "two", Map.of("year", 2021L, "flag", true)),
                    new Document("c", "three", Map.of("year", 2022.0f, "name", "o'neil"))));
            store.delete("NOT (year >= 2020)");
        }
        try (CrvecdbVectorStore store = CrvecdbVectorStore.builder(MODEL).storagePath(storage).build()) {
            List<Document> all = store.similaritySearch(SearchRequest.builder().query("one two three")
                .topK(Integer.MAX_VALUE).build());
            assertThat(all).extracting(Document::getId).containsExactlyInAnyOrder("b", "c");
            assertThat(store.similaritySearch(SearchRequest.builder().query("two").topK(Integer.MAX_VALUE)
                .filterExpression(new FilterExpressionBuilder().and(new FilterExpressionBuilder().eq("year", 2021),
                        new FilterExpressionBuilder().isNull("name")).build()).build()))
                .extracting(Document::getId).containsExactly("b");
            assertThat(store.similaritySearch(SearchRequest.builder().query("three").topK(3)
                .filterExpression("name == 'o\\'neil' OR flag == true").build()))
                .extracting(Document::getId).containsExactlyInAnyOrder("b", "c");
            Document c = all.stream().filter(d -> d.getId().equals("c")).findFirst().orElseThrow();
            assertThat(c.getMetadata().get("year")).isInstanceOf(Float.class);
        }
    }
}
