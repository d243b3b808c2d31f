package io.crvecdb.boot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import io.crvecdb.VectorIndex;

/** The {@code crvecdb} health indicator, when Actuator's health support is present and it is not disabled. */
@AutoConfiguration(after = CrvecdbIndexAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(VectorIndex.class)
@ConditionalOnEnabledHealthIndicator("crvecdb")
public final class CrvecdbHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "crvecdbHealthIndicator")
    CrvecdbHealthIndicator crvecdbHealthIndicator(VectorIndex index, CrvecdbProperties properties) {
        return new CrvecdbHealthIndicator(index, properties.health().minFreeDisk());
    }

}
