package io.crvecdb.boot.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
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
@AutoConfiguration
@EnableConfigurationProperties(CrvecdbProperties.class)
public final class CrvecdbIndexAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    VectorIndex crvecdbIndex(CrvecdbProperties properties, Environment environment,
            ObjectProvider<ModelDimensions> modelDimensions) {
        ModelDimensions model = modelDimensions.getIfAvailable();
        return new IndexFactory(properties, environment).create(model != null ? model.get() : null);
    }

    /**
     * The dimensions of the application's EmbeddingModel, null without one. A type of our own keeps
     * Spring AI off this class's signatures, so the index works without Spring AI on the classpath.
     */
    @FunctionalInterface
    interface ModelDimensions {

        @Nullable Integer get();

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.ai.embedding.EmbeddingModel")
    static class ModelDimensionsConfiguration {

        /**
         * Looks the model up when the index is created, not with {@code @ConditionalOnBean}: the
         * model usually comes from an auto-configuration that may be processed after this one.
         */
        @Bean
        ModelDimensions crvecdbModelDimensions(ObjectProvider<EmbeddingModel> embeddingModel) {
            return () -> {
                EmbeddingModel model = embeddingModel.getIfAvailable();
                return model != null ? model.dimensions() : null;
            };
        }

    }

}
