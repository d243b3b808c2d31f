package io.crvecdb.springai;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.content.Media;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;
import org.springframework.ai.vectorstore.filter.FilterExpressionTextParser.FilterExpressionParseException;
import org.springframework.util.MimeTypeUtils;

import io.crvecdb.Metric;
import io.crvecdb.VectorIndex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;

class CrvecdbVectorStoreTest {

    private final HashingEmbeddingModel model = new HashingEmbeddingModel(64);
    private final CrvecdbVectorStore store = CrvecdbVectorStore.builder(model).build();

    @AfterEach
    void close() {
        store.close();
    }

    private static Document document(String id, String text, Map<String, Object> metadata) {
        return Document.builder().id(id).text(text).metadata(metadata).build();
    }

    private List<Document> search(String query, int topK) {
        return store.similaritySearch(SearchRequest.builder().query(query).topK(topK).build());
    }

    private List<Document> search(String query, String filter) {
        return store.similaritySearch(SearchRequest.builder().query(query).topK(10).filterExpression(filter).build());
    }

    private static List<String> ids(List<Document> documents) {
        return documents.stream().map(Document::getId).toList();
    }

    @Test
    void returnsDocumentsBestFirstWithScoreDistanceAndTheirMetadataTypes() {
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("string", "x");
        metadata.put("boolean", true);
        metadata.put("byte", (byte) 1);
        metadata.put("short", (short) 2);
        metadata.put("int", 3);
        metadata.put("long", 4L);
        metadata.put("float", 5.5f);
        metadata.put("double", 6.5);
        store.add(List.of(document("a", "spring boot auto configuration", metadata),
                document("b", "bananas are yellow", Map.of()),
                document("c", "spring boot starters", Map.of())));

        List<Document> results = search("spring boot auto configuration", 3);

        assertThat(ids(results)).containsExactly("a", "c", "b");
        Document best = results.getFirst();
        assertThat(best.getText()).isEqualTo("spring boot auto configuration");
        assertThat(best.getScore()).isCloseTo(1.0, within(1e-6));
        Map<String, Object> expected = new HashMap<>(metadata);
        expected.put("distance", 1.0 - best.getScore());
        assertThat(best.getMetadata()).containsExactlyInAnyOrderEntriesOf(expected);
        for (Document result : results) {
            assertThat((Double) result.getMetadata().get("distance")).isCloseTo(1.0 - result.getScore(), within(1e-9));
        }
        assertThat(results).extracting(Document::getScore).isSortedAccordingTo((x, y) -> Double.compare(y, x));
    }

    /**
     * Spring AI's readers store lists (the JsoupDocumentReader its link URLs): kept as given, and,
     * as in SimpleVectorStore, a filter comparing a list with a value throws, one on other keys works.
     */
    @Test
    void storesListsAndFiltersOnTheOtherKeys() {
        List<String> links = List.of("https://spring.io/", "https://docs.spring.io/");
        store.add(List.of(document("page", "spring boot guides", Map.of("linkUrls", links, "lang", "en")),
                document("other", "bananas are yellow", Map.of("lang", "en"))));

        Document found = search("spring boot guides", 1).getFirst();
        assertThat(found.getMetadata()).containsEntry("linkUrls", links).containsEntry("lang", "en");
        assertThat(ids(search("spring boot guides", "lang == 'en' && linkUrls IS NOT NULL"))).containsExactly("page");
        assertThat(ids(search("spring boot guides", "linkUrls IS NULL"))).containsExactly("other");
        assertThatIllegalArgumentException().isThrownBy(() -> search("spring", "linkUrls == 'https://spring.io/'"))
            .withMessageContaining("Cannot compare metadata 'linkUrls' = [https://spring.io/, https://docs.spring.io/] (list)");
        // A list value in a filter (built, not parsed) equals an equal list; any other list fails the comparison.
        Filter.Expression sameLinks = new FilterExpressionBuilder().eq("linkUrls", links).build();
        assertThat(ids(store.similaritySearch(SearchRequest.builder().query("spring").filterExpression(sameLinks).build())))
            .containsExactly("page");
        store.add(List.of(document("third", "more links", Map.of("linkUrls", List.of("https://spring.io/")))));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> store.similaritySearch(SearchRequest.builder().query("spring").filterExpression(sameLinks).build()))
            .withMessageContaining("Cannot compare metadata 'linkUrls' = [https://spring.io/] (list)");
        store.delete(new FilterExpressionBuilder().isNotNull("linkUrls").build());
        assertThat(ids(search("spring boot guides", 10))).containsExactly("other");
    }

    @Test
    void addingAnExistingIdReplacesTheDocumentAndItsMetadata() {
        store.add(List.of(document("a", "old text", Map.of("version", 1))));
        store.add(List.of(document("a", "new text", Map.of("version", 2))));

        assertThat(search("new text", 10)).singleElement().satisfies(document -> {
            assertThat(document.getText()).isEqualTo("new text");
            assertThat(document.getMetadata()).containsEntry("version", 2);
        });
        assertThat(search("text", "version == 1")).isEmpty();
        assertThat(ids(search("text", "version == 2"))).containsExactly("a");
    }

    @Test
    void theLastOfTwoDocumentsWithOneIdInABatchWins() {
        store.add(List.of(document("a", "first", Map.of("n", 1)), document("a", "second", Map.of("n", 2))));

        assertThat(search("first second", 10)).singleElement()
            .satisfies(document -> assertThat(document.getText()).isEqualTo("second"));
        assertThat(search("first", "n == 1")).isEmpty();
    }

    @Test
    void embedsThroughTheBatchingStrategyInOrder() {
        BatchingStrategy pairs = documents -> {
            List<List<Document>> batches = new ArrayList<>();
            for (int i = 0; i < documents.size(); i += 2) {
                batches.add(documents.subList(i, Math.min(i + 2, documents.size())));
            }
            return batches;
        };
        HashingEmbeddingModel counting = new HashingEmbeddingModel(64);
        try (CrvecdbVectorStore batched = CrvecdbVectorStore.builder(counting).batchingStrategy(pairs).build()) {
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                documents.add(document("d" + i, "word" + i, Map.of()));
            }
            batched.add(documents);

            assertThat(counting.calls()).isEqualTo(4);
            for (int i = 0; i < 7; i++) {
                assertThat(batched.similaritySearch(SearchRequest.builder().query("word" + i).topK(1).build()))
                    .extracting(Document::getId)
                    .containsExactly("d" + i);
            }
        }
    }

    @Test
    void embedsTheQueryOnce() {
        store.add(List.of(document("a", "alpha", Map.of("n", 1)), document("b", "beta", Map.of("n", 2))));
        int before = model.texts();

        search("alpha", 2);
        search("alpha", "n >= 1");

        assertThat(model.texts() - before).isEqualTo(2);
    }

    @Test
    void doesNotEmbedTheQueryWhenTheMetadataIndexProvesNothingMatches() {
        store.add(List.of(document("a", "alpha", Map.of("n", 1))));
        int before = model.texts();

        assertThat(search("alpha", "n == 2")).isEmpty();
        assertThat(model.texts()).isEqualTo(before);
    }

    @Test
    void acceptAllReturnsTheTopKWhateverTheirScoreAndAThresholdKeepsTheScoresAtLeastIt() {
        PrecomputedEmbeddingModel compass = new PrecomputedEmbeddingModel(2)
            .put("east", new float[] {1, 0}).put("north", new float[] {0, 1}).put("west", new float[] {-1, 0});
        try (CrvecdbVectorStore directions = CrvecdbVectorStore.builder(compass).build()) {
            directions.add(List.of(document("e", "east", Map.of()), document("n", "north", Map.of()),
                    document("w", "west", Map.of())));

            List<Document> all = directions.similaritySearch(
                    SearchRequest.builder().query("east").topK(3).similarityThresholdAll().build());
            assertThat(ids(all)).containsExactly("e", "n", "w");
            assertThat(all).extracting(Document::getScore).containsExactly(1.0, 0.0, -1.0);
            assertThat(all).extracting(d -> d.getMetadata().get("distance")).containsExactly(0.0, 1.0, 2.0);

            assertThat(ids(directions.similaritySearch(
                    SearchRequest.builder().query("east").topK(3).similarityThreshold(0.5).build())))
                .containsExactly("e");
            assertThat(ids(directions.similaritySearch(
                    SearchRequest.builder().query("east").topK(3).similarityThreshold(1e-9).build())))
                .containsExactly("e");
            assertThat(ids(directions.similaritySearch(
                    SearchRequest.builder().query("east").topK(3).similarityThreshold(1).build())))
                .containsExactly("e");
        }
    }

    @Test
    void topKLimitsTheResults() {
        for (int i = 0; i < 20; i++) {
            store.add(List.of(document("d" + i, "common word" + i, Map.of("i", i))));
        }
        assertThat(search("common", 5)).hasSize(5);
        assertThat(search("common", 50)).hasSize(20);
        assertThat(search("common", Integer.MAX_VALUE)).hasSize(20);
        assertThat(search("common", 15)).hasSize(15);
        assertThat(store.similaritySearch(SearchRequest.builder().query("common").build()))
            .hasSize(SearchRequest.DEFAULT_TOP_K);
    }

    @Test
    void l2ScoresFallInZeroToOneAndDistancesAreEuclidean() {
        PrecomputedEmbeddingModel plane = new PrecomputedEmbeddingModel(2)
            .put("origin", new float[] {0, 0}).put("far", new float[] {3, 4});
        try (CrvecdbVectorStore l2 = CrvecdbVectorStore.builder(plane).metric(Metric.L2).build()) {
            l2.add(List.of(document("far", "far", Map.of()), document("origin", "origin", Map.of())));

            List<Document> results = l2.similaritySearch(SearchRequest.builder().query("origin").topK(2).build());

            assertThat(ids(results)).containsExactly("origin", "far");
            assertThat(results.get(0).getScore()).isEqualTo(1.0);
            assertThat(results.get(1).getScore()).isCloseTo(1.0 / 26, within(1e-6));
            assertThat((Double) results.get(1).getMetadata().get("distance")).isCloseTo(5.0, within(1e-6));
        }
    }

    @Test
    void dotProductScoresAreTheProductAndDistancesOneMinusIt() {
        PrecomputedEmbeddingModel unit = new PrecomputedEmbeddingModel(2)
            .put("x", new float[] {1, 0}).put("tilted", new float[] {0.6f, 0.8f});
        try (CrvecdbVectorStore dot = CrvecdbVectorStore.builder(unit).metric(Metric.DOT_PRODUCT).build()) {
            dot.add(List.of(document("t", "tilted", Map.of())));

            Document result = dot.similaritySearch(SearchRequest.builder().query("x").topK(1).build()).getFirst();

            assertThat(result.getScore()).isCloseTo(0.6, within(1e-6));
            assertThat((Double) result.getMetadata().get("distance")).isCloseTo(0.4, within(1e-6));
        }
    }

    @Test
    void deletesByIdByFilterAndByFilterText() {
        store.add(List.of(document("a", "one", Map.of("country", "BG", "year", 2020)),
                document("b", "two", Map.of("country", "NL")), document("c", "three", Map.of("country", "BG")),
                document("d", "four", Map.of("country", "DE"))));

        store.delete(List.of("a", "unknown"));
        assertThat(ids(search("one two three four", 10))).containsExactlyInAnyOrder("b", "c", "d");

        store.delete(new Filter.Expression(Filter.ExpressionType.EQ, new Filter.Key("country"), new Filter.Value("BG")));
        assertThat(ids(search("one two three four", 10))).containsExactlyInAnyOrder("b", "d");

        store.delete("country in ['NL', 'FR']");
        assertThat(ids(search("one two three four", 10))).containsExactly("d");
        assertThat(search("one", "country == 'NL'")).isEmpty();
    }

    @Test
    void selectiveFiltersStillReturnTopK() {
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            documents.add(document("d" + i, "shared word" + (i % 37), Map.of("bucket", i % 100, "rest", i % 3)));
        }
        store.add(documents);

        // 20 documents pass: answered from the metadata index, scanned exactly.
        assertThat(search("shared", "bucket == 42")).hasSize(10)
            .allSatisfy(d -> assertThat(d.getMetadata()).containsEntry("bucket", 42));
        // 400 pass, without a usable index (LT also holds for a missing key): filtered graph search.
        assertThat(search("shared", "bucket < 20")).hasSize(10)
            .allSatisfy(d -> assertThat((Integer) d.getMetadata().get("bucket")).isLessThan(20));
        // Exactly 6 pass (i = 7 + 100k with i divisible by 3): all of them.
        assertThat(search("shared", "bucket == 7 && rest == 0")).hasSize(6);
    }

    @Test
    void rejectsBadDocumentsAndLeavesTheStoreUnchanged() {
        store.add(List.of(document("keep", "kept text", Map.of("n", 1))));
        Document ok = document("new", "fine", Map.of());

        assertThatIllegalArgumentException().isThrownBy(() -> store.add(null)).withMessageContaining("null");
        assertThatIllegalArgumentException().isThrownBy(() -> store.add(List.of())).withMessageContaining("empty");
        List<Document> withNull = new ArrayList<>(List.of(ok));
        withNull.add(null);
        assertThatIllegalArgumentException().isThrownBy(() -> store.add(withNull)).withMessageContaining("null");
        assertThatIllegalArgumentException().isThrownBy(() -> store.add(List.of(ok, document("blank", "  ", Map.of()))))
            .withMessageContaining("'blank' has no text");
        Document media = new Document(Media.builder().mimeType(MimeTypeUtils.IMAGE_PNG).data(new byte[] {1}).build(),
                Map.of());
        assertThatIllegalArgumentException().isThrownBy(() -> store.add(List.of(ok, media)))
            .withMessageContaining("Only text documents");
        for (Object unsupported : List.of(new Date(), List.of(Map.of("a", 1)), Map.of("a", 1), BigDecimal.ONE, 'c')) {
            assertThatIllegalArgumentException()
                .isThrownBy(() -> store.add(List.of(ok, document("bad", "text", Map.of("key", unsupported)))))
                .withMessageContaining("Metadata 'key' of document 'bad' is a");
        }

        assertThat(store.<VectorIndex>getNativeClient().orElseThrow().size()).isOne();
        assertThat(ids(search("kept text fine", "n == 1"))).containsExactly("keep");
        assertThat(model.texts()).as("nothing embedded for rejected batches").isEqualTo(1 + 1);
    }

    @Test
    void rejectsEmbeddingsOfTheWrongDimensionsAndLeavesTheStoreUnchanged() {
        PrecomputedEmbeddingModel liar = new PrecomputedEmbeddingModel(3).put("ok", new float[] {1, 2, 3})
            .put("short", new float[] {1, 2});
        try (CrvecdbVectorStore three = CrvecdbVectorStore.builder(liar).build()) {
            assertThatIllegalArgumentException()
                .isThrownBy(() -> three.add(List.of(document("a", "ok", Map.of()), document("b", "short", Map.of()))))
                .withMessageContaining("2-dimensional embedding for document 'b'")
                .withMessageContaining("3-dimensional");
            assertThat(three.<VectorIndex>getNativeClient().orElseThrow().size()).isZero();
            three.add(List.of(document("a", "ok", Map.of())));
            assertThatIllegalArgumentException()
                .isThrownBy(() -> three.similaritySearch(SearchRequest.builder().query("short").build()))
                .withMessageContaining("for the query");
        }
    }

    @Test
    void rejectsBadSearchesAndFilters() {
        store.add(List.of(document("a", "text", Map.of("year", 2020))));

        assertThatIllegalArgumentException()
            .isThrownBy(() -> store.similaritySearch(SearchRequest.builder().query("text").topK(0).build()))
            .withMessageContaining("topK must be positive");
        Filter.Expression notAList = new Filter.Expression(Filter.ExpressionType.IN, new Filter.Key("year"),
                new Filter.Value(2020));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> store.similaritySearch(SearchRequest.builder().query("text").filterExpression(notAList).build()))
            .withMessageContaining("IN needs a list");
        assertThatIllegalArgumentException().isThrownBy(() -> store.delete(notAList));
        assertThatIllegalArgumentException().isThrownBy(() -> store.delete((Filter.Expression) null));
        assertThatExceptionOfType(FilterExpressionParseException.class).isThrownBy(() -> store.delete("year =="));
        // As in SimpleVectorStore: comparing a number with a string is an error, not a silent miss.
        assertThatIllegalArgumentException().isThrownBy(() -> search("text", "year == '2020'"))
            .withMessageContaining("Cannot compare metadata 'year'");
        assertThatIllegalArgumentException().isThrownBy(() -> store.delete("year > 'x'"));
        assertThatIllegalArgumentException().isThrownBy(() -> store.delete(List.of("a", "")));

        assertThat(ids(search("text", 10))).containsExactly("a");
    }

    @Test
    void checksTheEmbeddingModelAgainstTheIndexAtBuildTime() {
        HashingEmbeddingModel eight = new HashingEmbeddingModel(8);
        try (VectorIndex sixteen = VectorIndex.builder().dimensions(16).build()) {
            assertThatIllegalArgumentException()
                .isThrownBy(() -> CrvecdbVectorStore.builder(eight).index(sixteen).build())
                .withMessageContaining("8-dimensional embeddings but the index holds 16-dimensional");
        }
        assertThatIllegalArgumentException().isThrownBy(() -> CrvecdbVectorStore.builder(eight).dimensions(16).build())
            .withMessageContaining("8-dimensional embeddings but the index is set to 16-dimensional");
        assertThatIllegalArgumentException().isThrownBy(() -> CrvecdbVectorStore.builder(eight).m(1).build())
            .withMessageContaining("m must be at least 2");
    }

    @Test
    void adoptsAnIndexWithoutOwningIt() {
        HashingEmbeddingModel eight = new HashingEmbeddingModel(8);
        try (VectorIndex index = VectorIndex.builder().dimensions(8).metric(Metric.DOT_PRODUCT).build()) {
            assertThatIllegalStateException()
                .isThrownBy(() -> CrvecdbVectorStore.builder(eight).index(index).efSearch(10).build())
                .withMessageContaining("not both");

            CrvecdbVectorStore adopted = CrvecdbVectorStore.builder(eight).index(index).name("notes").build();
            adopted.add(List.of(document("a", "text", Map.of())));
            assertThat(adopted.<VectorIndex>getNativeClient()).containsSame(index);
            assertThat(adopted.getName()).isEqualTo("notes");
            adopted.close();
            assertThat(index.isClosed()).isFalse();

            // A populated index is adopted with its documents, metadata filters included.
            CrvecdbVectorStore again = CrvecdbVectorStore.builder(eight).index(index).build();
            assertThat(again.similaritySearch(SearchRequest.builder().query("text").topK(5).build()))
                .extracting(Document::getId).containsExactly("a");
            again.close();
            index.close();
            assertThatIllegalArgumentException().isThrownBy(() -> CrvecdbVectorStore.builder(eight).index(index).build())
                .withMessageContaining("closed");
        }
    }

    @Test
    void ownsTheIndexItCreates() {
        VectorIndex index = store.<VectorIndex>getNativeClient().orElseThrow();
        assertThat(store.getName()).isEqualTo(CrvecdbVectorStore.DEFAULT_NAME);
        assertThat(index.dimensions()).isEqualTo(64);
        assertThat(index.metric()).isEqualTo(Metric.COSINE);

        store.close();

        assertThat(index.isClosed()).isTrue();
    }

    /**
     * A closed store refuses every search: one whose filter the metadata index rules out, or any
     * on an empty store, answered an empty list, as no document was asked of the index.
     */
    @Test
    void aClosedStoreRefusesEverySearch() {
        store.add(List.of(document("a", "red apple", Map.of("colour", "red"))));
        store.close();
        for (String filter : List.of("colour == 'red'", "colour == 'blue'")) {
            assertThatIllegalStateException().as(filter)
                .isThrownBy(() -> store.similaritySearch(SearchRequest.builder().query("apple").topK(5)
                    .filterExpression(filter).build()))
                .withMessageContaining("closed");
        }
        CrvecdbVectorStore empty = CrvecdbVectorStore.builder(model).build();
        empty.close();
        assertThatIllegalStateException().isThrownBy(() -> empty.similaritySearch("apple"))
            .withMessageContaining("closed");
    }

    /**
     * A closed store, or one whose index is unavailable, refuses an add before embedding anything:
     * the embedding model (a paid remote API, often) is not called for documents that cannot be stored.
     */
    @Test
    void aClosedOrUnavailableStoreRefusesAnAddWithoutEmbedding() {
        store.close();
        assertThatIllegalStateException().isThrownBy(() -> store.add(List.of(document("a", "red apple", Map.of()))))
            .withMessageContaining("closed");
        assertThat(model.texts()).isZero();

        HashingEmbeddingModel eight = new HashingEmbeddingModel(8);
        CrvecdbVectorStore unavailable = CrvecdbVectorStore.builder(eight)
            .index(VectorIndex.unavailable(java.nio.file.Path.of("/nonexistent/store"),
                    new IllegalStateException("disk on fire")))
            .build();
        assertThatIllegalStateException()
            .isThrownBy(() -> unavailable.add(List.of(document("a", "red apple", Map.of()))))
            .withMessageContaining("disk on fire");
        assertThat(eight.texts()).isZero();
    }

    /**
     * A store on a read-only index (opened with openReadOnly, or turned read-only by a failed write)
     * refuses an add before embedding, as a closed one does; it still searches.
     */
    @Test
    void aReadOnlyStoreRefusesAnAddWithoutEmbedding(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path path = dir.resolve("store");
        try (CrvecdbVectorStore writer = CrvecdbVectorStore.builder(model).storagePath(path).build()) {
            writer.add(List.of(document("a", "red apple", Map.of())));
        }
        HashingEmbeddingModel counting = new HashingEmbeddingModel(64);
        try (VectorIndex readOnly = VectorIndex.openReadOnly(path)) {
            CrvecdbVectorStore store = CrvecdbVectorStore.builder(counting).index(readOnly).build();
            assertThatIllegalStateException()
                .isThrownBy(() -> store.add(List.of(document("b", "green apple", Map.of()))))
                .withMessageContaining("read-only");
            assertThat(counting.texts()).isZero();
            assertThat(ids(store.similaritySearch(SearchRequest.builder().query("apple").topK(5).build())))
                .containsExactly("a");
        }
    }

    /**
     * Durability settings without a storage path would be silently void (the store lives in memory
     * and loses everything at the next restart): they are refused, as the Boot starter refuses them.
     */
    @Test
    void durabilitySettingsWithoutAStoragePathAreRefused() {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> CrvecdbVectorStore.builder(model).durability(io.crvecdb.Durability.SYNC).build())
            .withMessageContaining("storage path");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> CrvecdbVectorStore.builder(model).syncInterval(java.time.Duration.ofMillis(50)).build())
            .withMessageContaining("storage path");
    }

    /**
     * Two stores on one index (two store beans on the one {@code VectorIndex} bean, say) see each
     * other's documents: in unfiltered and filtered searches, and in deletes by filter.
     */
    @Test
    void twoStoresOnOneIndexSeeEachOthersDocuments() {
        try (VectorIndex index = VectorIndex.builder().dimensions(64).build()) {
            CrvecdbVectorStore a = CrvecdbVectorStore.builder(model).index(index).name("a").build();
            CrvecdbVectorStore b = CrvecdbVectorStore.builder(model).index(index).name("b").build();
            a.add(List.of(document("1", "red apple", Map.of("colour", "red")),
                    document("2", "green pear", Map.of("colour", "green"))));

            assertThat(ids(b.similaritySearch(SearchRequest.builder().query("apple").topK(10).build())))
                .containsExactlyInAnyOrder("1", "2");
            assertThat(ids(b.similaritySearch(SearchRequest.builder().query("apple").topK(10)
                .filterExpression("colour == 'red'").build()))).containsExactly("1");

            b.delete("colour == 'green'");
            assertThat(index.contains("2")).isFalse();
            assertThat(ids(a.similaritySearch(SearchRequest.builder().query("pear").topK(10).build())))
                .containsExactly("1");
        }
    }
}
