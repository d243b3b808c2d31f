package io.crvecdb.springai;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.observation.DefaultVectorStoreObservationConvention;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationContext;

import io.crvecdb.Metric;
import io.crvecdb.VectorIndex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class CrvecdbVectorStoreObservationTest {

    private static final String NAME = DefaultVectorStoreObservationConvention.DEFAULT_NAME;

    private final TestObservationRegistry registry = TestObservationRegistry.create();

    @Test
    void observesEveryOperationWithTheStoreContext() {
        SearchRequest request = SearchRequest.builder()
            .query("spring boot")
            .topK(2)
            .similarityThreshold(0.1)
            .filterExpression("year >= 2020")
            .build();
        List<Document> results;
        try (CrvecdbVectorStore store = CrvecdbVectorStore.builder(new HashingEmbeddingModel(64))
            .observationRegistry(registry)
            .metric(Metric.DOT_PRODUCT)
            .name("docs")
            .build()) {
            store.add(List.of(new Document("a", "spring boot", Map.of("year", 2024)),
                    new Document("b", "spring framework", Map.of("year", 2019))));
            results = store.similaritySearch(request);
            store.delete(List.of("a"));
            store.delete("year < 2020");
        }

        TestObservationRegistryAssert.assertThat(registry)
            .doesNotHaveAnyRemainingCurrentObservation()
            .hasNumberOfObservationsWithNameEqualTo(NAME, 4)
            .forAllObservationsWithNameEqualTo(NAME, observation -> observation.doesNotHaveError()
                .hasLowCardinalityKeyValue("db.system", "crvecdb")
                .hasLowCardinalityKeyValue("spring.ai.kind", "vector_store")
                .hasHighCardinalityKeyValue("db.collection.name", "docs")
                .hasHighCardinalityKeyValue("db.vector.dimension_count", "64")
                .hasHighCardinalityKeyValue("db.search.similarity_metric", "dot"))
            .hasAnObservation(observation -> observation.hasContextualNameEqualTo("crvecdb add")
                .hasLowCardinalityKeyValue("db.operation.name", "add"))
            .hasAnObservation(observation -> observation.hasContextualNameEqualTo("crvecdb delete")
                .hasLowCardinalityKeyValue("db.operation.name", "delete"))
            .hasAnObservation(observation -> observation.hasContextualNameEqualTo("crvecdb query")
                .hasLowCardinalityKeyValue("db.operation.name", "query")
                .hasHighCardinalityKeyValue("db.vector.query.content", "spring boot")
                .hasHighCardinalityKeyValue("db.vector.query.top_k", "2")
                .hasHighCardinalityKeyValue("db.vector.query.similarity_threshold", "0.1")
                .hasHighCardinalityKeyValue("db.vector.query.filter", request.getFilterExpression().toString()))
            .hasHandledContextsThatSatisfy(contexts -> {
                assertThat(contexts).hasSize(4).allSatisfy(context -> {
                    assertThat(context).isInstanceOf(VectorStoreObservationContext.class);
                    VectorStoreObservationContext vectorStore = (VectorStoreObservationContext) context;
                    assertThat(vectorStore.getDatabaseSystem()).isEqualTo("crvecdb");
                    assertThat(vectorStore.getCollectionName()).isEqualTo("docs");
                    assertThat(vectorStore.getDimensions()).isEqualTo(64);
                    assertThat(vectorStore.getSimilarityMetric()).isEqualTo("dot");
                });
                assertThat(contexts).map(c -> ((VectorStoreObservationContext) c).getOperationName())
                    .containsExactly("add", "query", "delete", "delete");
                VectorStoreObservationContext query = (VectorStoreObservationContext) contexts.get(1);
                assertThat(query.getQueryRequest()).isSameAs(request);
                assertThat(query.getQueryResponse()).isEqualTo(results).extracting(Document::getId).containsExactly("a");
            });
    }

    @Test
    void usesACustomObservationConvention() {
        try (CrvecdbVectorStore store = CrvecdbVectorStore.builder(new HashingEmbeddingModel(8))
            .observationRegistry(registry)
            .customObservationConvention(new DefaultVectorStoreObservationConvention("custom.vector.operation"))
            .build()) {
            store.similaritySearch("anything");
        }

        TestObservationRegistryAssert.assertThat(registry)
            .hasSingleObservationThat()
            .hasNameEqualTo("custom.vector.operation")
            .hasContextualNameEqualTo("crvecdb query")
            .hasHighCardinalityKeyValue("db.collection.name", CrvecdbVectorStore.DEFAULT_NAME)
            .hasHighCardinalityKeyValue("db.search.similarity_metric", "cosine");
    }

    @Test
    void recordsFailuresOnTheObservation() {
        try (CrvecdbVectorStore store = CrvecdbVectorStore.builder(new HashingEmbeddingModel(8))
            .observationRegistry(registry)
            .build()) {
            try {
                store.add(List.of());
            } catch (IllegalArgumentException expected) {
                // observed below
            }
        }

        TestObservationRegistryAssert.assertThat(registry)
            .hasSingleObservationThat()
            .hasContextualNameEqualTo("crvecdb add")
            .hasBeenStopped()
            .assertThatError()
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(registry.getCurrentObservation()).isNull();
    }
    /** A store whose index could not be opened (the starter's fail-fast=false) still has its failures observed. */
    @Test
    void observesTheFailuresOfAStoreWhoseIndexIsUnavailable() {
        CrvecdbVectorStore store = CrvecdbVectorStore.builder(new HashingEmbeddingModel(8))
            .index(VectorIndex.unavailable(Path.of("/nonexistent/store"), new IllegalStateException("disk on fire")))
            .observationRegistry(registry)
            .build();
        assertThatIllegalStateException().isThrownBy(() -> store.similaritySearch("anything"));
        assertThatIllegalStateException().isThrownBy(() -> store.add(List.of(new Document("a", "text", Map.of()))));
        assertThatIllegalStateException().isThrownBy(() -> store.delete(List.of("a")));
        TestObservationRegistryAssert.assertThat(registry)
            .hasNumberOfObservationsWithNameEqualTo("db.vector.client.operation", 3)
            .forAllObservationsWithNameEqualTo("db.vector.client.operation",
                    observation -> observation.assertThatError().isInstanceOf(IllegalStateException.class));
    }
}
