package io.crvecdb.boot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.crvecdb.VectorIndex;

/**
 * The crvecdb index, from {@code crvecdb.*} properties: needs nothing but crvecdb-core. It is
 * closed with the context (log flushed, store lock released, after the writes in flight).
 */
@AutoConfiguration(afterName = { "org.springframework.ai.model.transformers.autoconfigure.TransformersEmbeddingModelAutoConfiguration",
        "org.springframework.ai.model.openai.autoconfigure.OpenAiEmbeddingAutoConfiguration",
        "org.springframework.ai.model.ollama.autoconfigure.OllamaEmbeddingAutoConfiguration" })
@EnableConfigurationProperties(CrvecdbProperties.class)
public final class CrvecdbIndexAutoConfiguration {

    /**
     * @param embeddingDimensions the dimensions of the application's EmbeddingModel, when Spring AI
     * and one are present
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    VectorIndex crvecdbIndex(CrvecdbProperties properties, Environment environment,
            ObjectProvider<EmbeddingDimensions> embeddingDimensions) {
        EmbeddingDimensions model = embeddingDimensions.getIfAvailable();
        return new IndexFactory(properties, environment).create(model != null ? model.dimensions() : null);
    }

    /** Where the index takes its dimensions from when {@code crvecdb.dimensions} is not set. */
    @FunctionalInterface
    public interface EmbeddingDimensions {

        int dimensions();

    }

    /** The application's EmbeddingModel gives the dimensions, whether or not our VectorStore is on. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.ai.embedding.EmbeddingModel")
    static class EmbeddingDimensionsConfiguration {

        @Bean
        @ConditionalOnBean(EmbeddingModel.class)
        @ConditionalOnMissingBean
        EmbeddingDimensions crvecdbEmbeddingDimensions(EmbeddingModel embeddingModel) {
            return embeddingModel::dimensions;
        }

    }

}
