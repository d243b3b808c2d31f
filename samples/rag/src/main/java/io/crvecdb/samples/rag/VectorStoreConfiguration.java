package io.crvecdb.samples.rag;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.crvecdb.Metric;
import io.crvecdb.VectorIndex;
import io.crvecdb.springai.CrvecdbVectorStore;

/**
 * The crvecdb index, durable in {@code sample.data-dir} (reopened with its documents on restart),
 * and the Spring AI {@code VectorStore} on it: cosine, the embedding model's dimensions.
 */
@Configuration(proxyBeanMethods = false)
class VectorStoreConfiguration {

    @Bean
    VectorIndex vectorIndex(EmbeddingModel embeddingModel, SampleProperties properties) {
        return VectorIndex.builder()
            .dimensions(embeddingModel.dimensions())
            .metric(Metric.COSINE)
            .storage(properties.dataDir())
            .build();
    }

    @Bean
    CrvecdbVectorStore vectorStore(VectorIndex vectorIndex, EmbeddingModel embeddingModel,
            ObjectProvider<ObservationRegistry> observationRegistry) {
        return CrvecdbVectorStore.builder(embeddingModel)
            .index(vectorIndex)
            .observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP))
            .build();
    }
}
