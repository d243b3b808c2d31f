package io.crvecdb.springai;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.filter.Filter;

import io.crvecdb.springai.filter.RandomFilters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The same documents in a {@link SimpleVectorStore} (brute force) and a {@link CrvecdbVectorStore},
 * the same requests with random filters, topK and thresholds: the same results, in the same order,
 * with the same scores and distances; the same documents left after deletes by filter; and a
 * failure from both whenever Simple's evaluation compares values of two types.
 *
 * <p>Vectors have no negative component, so no cosine similarity is negative and Simple's
 * threshold of 0 keeps everything too (crvecdb's accept-all keeps negative ones as well).
 */
class SimpleVectorStoreDifferentialTest {

    private static final int DIMENSIONS = 16;
    private static final int DOCUMENTS = 400;
    private static final int SEARCHES = 400;
    private static final int DELETES = 100;

    @ParameterizedTest(name = "mixed types: {0}, every key on every document: {1}")
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void searchesReturnWhatSimpleVectorStoreReturns(boolean mixed, boolean complete) {
        Random random = new Random(seed(mixed, complete));
        RandomFilters filters = new RandomFilters(seed(mixed, complete), mixed, complete);
        PrecomputedEmbeddingModel model = new PrecomputedEmbeddingModel(DIMENSIONS);
        List<Document> documents = documents(random, filters, model);
        List<String> queries = queries(random, model, 50);
        VectorStore simple = SimpleVectorStore.builder(model).build();
        simple.add(documents);
        try (CrvecdbVectorStore crvecdb = CrvecdbVectorStore.builder(model).build()) {
            crvecdb.add(documents);
            int failures = 0;
            for (int i = 0; i < SEARCHES; i++) {
                SearchRequest request = SearchRequest.builder()
                    .query(queries.get(random.nextInt(queries.size())))
                    .topK(new int[] {1, 4, 10, DOCUMENTS}[random.nextInt(4)])
                    .similarityThreshold(random.nextBoolean() ? 0 : 0.6 + 0.35 * random.nextDouble())
                    .filterExpression(filters.maybeReparsed(filters.expression(3)))
                    .build();
                List<Document> expected = resultOrNull(() -> simple.similaritySearch(request));
                List<Document> actual = resultOrNull(() -> crvecdb.similaritySearch(request));
                if (expected == null) {
                    assertThat(actual).as("%s fails in SimpleVectorStore", request).isNull();
                    failures++;
                    continue;
                }
                assertSameResults(actual, expected, request);
            }
            assertThat(failures > 0).as("searches failing on values of two types").isEqualTo(mixed);
        }
    }

    @ParameterizedTest(name = "mixed types: {0}, every key on every document: {1}")
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void deletesByFilterRemoveWhatSimpleVectorStoreRemoves(boolean mixed, boolean complete) {
        Random random = new Random(seed(mixed, complete));
        RandomFilters filters = new RandomFilters(seed(mixed, complete), mixed, complete);
        PrecomputedEmbeddingModel model = new PrecomputedEmbeddingModel(DIMENSIONS);
        List<Document> documents = documents(random, filters, model);
        String query = queries(random, model, 1).getFirst();
        SearchRequest everything = SearchRequest.builder().query(query).topK(DOCUMENTS).build();
        VectorStore simple = SimpleVectorStore.builder(model).build();
        simple.add(documents);
        try (CrvecdbVectorStore crvecdb = CrvecdbVectorStore.builder(model).build()) {
            crvecdb.add(documents);
            int failures = 0;
            for (int i = 0; i < DELETES; i++) {
                Filter.Expression expression = filters.maybeReparsed(filters.expression(3));
                boolean simpleFailed = resultOrNull(() -> {
                    simple.delete(expression);
                    return List.of();
                }) == null;
                boolean crvecdbFailed = resultOrNull(() -> {
                    crvecdb.delete(expression);
                    return List.of();
                }) == null;
                assertThat(crvecdbFailed).as("%s fails", expression).isEqualTo(simpleFailed);
                List<String> remaining = ids(simple.similaritySearch(everything));
                assertThat(ids(crvecdb.similaritySearch(everything))).as("%s", expression)
                    .containsExactlyInAnyOrderElementsOf(remaining);
                failures += simpleFailed ? 1 : 0;
                // Put the deleted documents back, into both stores, for the next expression.
                List<Document> deleted = documents.stream().filter(d -> !remaining.contains(d.getId())).toList();
                if (!deleted.isEmpty()) {
                    simple.add(deleted);
                    crvecdb.add(deleted);
                }
            }
            assertThat(failures > 0).as("deletes failing on values of two types").isEqualTo(mixed);
        }
    }

    /**
     * The same documents with the same scores, distances, texts and metadata, in the same order up
     * to near-ties: both stores compute cosines in float, so two scores closer than their rounding
     * may come out in either order.
     */
    private static void assertSameResults(List<Document> actual, List<Document> expected, SearchRequest request) {
        assertThat(actual).as("%s", request).isNotNull();
        assertThat(new HashSet<>(ids(actual))).as("%s", request).isEqualTo(new HashSet<>(ids(expected)));
        Map<String, Document> expectedById = new HashMap<>();
        expected.forEach(document -> expectedById.put(document.getId(), document));
        for (int r = 0; r < actual.size(); r++) {
            Document document = actual.get(r);
            Document reference = expectedById.get(document.getId());
            assertThat(document.getScore()).as("score at %d", r)
                .isCloseTo(reference.getScore(), within(1e-5))
                .isCloseTo(expected.get(r).getScore(), within(1e-5));
            assertThat((Double) document.getMetadata().get("distance"))
                .isCloseTo((Double) reference.getMetadata().get("distance"), within(1e-5));
            assertThat(document.getText()).isEqualTo(reference.getText());
            assertThat(document.getMetadata()).containsExactlyInAnyOrderEntriesOf(withoutDistance(document, reference));
        }
    }

    /** The reference's metadata with the document's distance (checked separately, within rounding). */
    private static Map<String, Object> withoutDistance(Document document, Document reference) {
        Map<String, Object> metadata = new HashMap<>(reference.getMetadata());
        metadata.put("distance", document.getMetadata().get("distance"));
        return metadata;
    }

    private static long seed(boolean mixed, boolean complete) {
        return (mixed ? 2 : 0) + (complete ? 1 : 0);
    }

    private static List<Document> documents(Random random, RandomFilters filters, PrecomputedEmbeddingModel model) {
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            String text = "document " + i;
            model.put(text, randomVector(random));
            documents.add(new Document("id-" + i, text, filters.metadata()));
        }
        return documents;
    }

    private static List<String> queries(Random random, PrecomputedEmbeddingModel model, int count) {
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            queries.add("query " + i);
            model.put(queries.getLast(), randomVector(random));
        }
        return queries;
    }

    private static float[] randomVector(Random random) {
        float[] vector = new float[DIMENSIONS];
        for (int d = 0; d < DIMENSIONS; d++) {
            vector[d] = random.nextFloat();
        }
        return vector;
    }

    private static List<String> ids(List<Document> documents) {
        return documents.stream().map(Document::getId).toList();
    }

    /** The result, or null if the call fails with an IllegalArgumentException. */
    private static List<Document> resultOrNull(Supplier<List<Document>> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
