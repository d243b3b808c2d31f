package io.crvecdb.boot.autoconfigure;

import java.util.Map;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.util.unit.DataSize;

import io.crvecdb.VectorIndex;

/** The {@code crvecdb} health indicator, when Actuator's health support is present and it is not disabled. */
@AutoConfiguration(after = CrvecdbIndexAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(VectorIndex.class)
@ConditionalOnEnabledHealthIndicator("crvecdb")
public final class CrvecdbHealthAutoConfiguration {

    /**
     * A {@link CrvecdbHealthIndicator} for the application's index; with several crvecdb indexes
     * (a store of the application's own on an index of its own, beside the auto-configured one),
     * one entry per index under its {@linkplain NamedIndexes name}.
     */
    @Bean
    @ConditionalOnMissingBean(name = "crvecdbHealthIndicator")
    HealthContributor crvecdbHealthIndicator(ListableBeanFactory beans, CrvecdbProperties properties) {
        DataSize minFreeDisk = properties.health().minFreeDisk();
        if (minFreeDisk.isNegative()) {
            throw new CrvecdbConfigurationException("crvecdb.health.min-free-disk",
                    "is " + minFreeDisk + ", a negative size",
                    "Set crvecdb.health.min-free-disk to the free space below which the health is DOWN (the default "
                            + "is 100MB), or to 0 to leave free space out of the health",
                    null);
        }
        Map<String, VectorIndex> indexes = NamedIndexes.in(beans, properties);
        if (indexes.size() == 1) {
            return new CrvecdbHealthIndicator(indexes.values().iterator().next(), minFreeDisk);
        }
        return CompositeHealthContributor.fromMap(indexes, index -> new CrvecdbHealthIndicator(index, minFreeDisk));
    }

}
