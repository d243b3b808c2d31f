package io.crvecdb.boot.autoconfigure;

import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * An embedding model contributed by an auto-configuration, as Spring AI's model starters do. Its
 * name sorts after the crvecdb auto-configurations, as {@code org.springframework.ai...} does.
 */
@AutoConfiguration
public class WordEmbeddingModelAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EmbeddingModel wordEmbeddingModel() {
        return new WordEmbeddingModel(24);
    }

}
