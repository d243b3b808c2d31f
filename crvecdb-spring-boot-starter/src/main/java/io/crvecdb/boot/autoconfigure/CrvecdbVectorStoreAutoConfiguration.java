package io.crvecdb.boot.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.TokenCountBatchingStrategy;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.observation.VectorStoreObservationConvention;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

import io.crvecdb.VectorIndex;
import io.crvecdb.springai.CrvecdbVectorStore;

/**
 * The Spring AI {@link VectorStore} bean {@code vectorStore} on the crvecdb index, when Spring AI
 * and an {@link EmbeddingModel} bean are present and {@code spring.ai.vectorstore.type} is
 * {@code crvecdb} or unset (as Spring AI's own stores select themselves).
 * <p>
 * Ordered last so that {@code @ConditionalOnBean(EmbeddingModel.class)} sees the model of any
 * Spring AI model auto-configuration (a list of their names would miss some), and a vector store
 * auto-configured by another Spring AI starter is seen by {@code @ConditionalOnMissingBean}.
 */
@AutoConfiguration(after = CrvecdbIndexAutoConfiguration.class)
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
@ConditionalOnClass({ EmbeddingModel.class, VectorStore.class, CrvecdbVectorStore.class })
@ConditionalOnBean(EmbeddingModel.class)
@ConditionalOnProperty(name = "spring.ai.vectorstore.type", havingValue = "crvecdb", matchIfMissing = true)
public final class CrvecdbVectorStoreAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    BatchingStrategy batchingStrategy() {
        return new TokenCountBatchingStrategy();
    }

    /** The store does not close the index: the index bean closes with the context. */
    @Bean
    @ConditionalOnMissingBean(VectorStore.class)
    CrvecdbVectorStore vectorStore(EmbeddingModel embeddingModel, VectorIndex index, CrvecdbProperties properties,
            BatchingStrategy batchingStrategy, ObjectProvider<ObservationRegistry> observationRegistry,
            ObjectProvider<VectorStoreObservationConvention> customObservationConvention) {
        IndexFactory.checkName(properties.name()); // the index may be the application's own, never checked
        return CrvecdbVectorStore.builder(embeddingModel)
            .index(index)
            .name(properties.name())
            .batchingStrategy(batchingStrategy)
            .observationRegistry(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP))
            .customObservationConvention(customObservationConvention.getIfAvailable())
            .build();
    }

}
