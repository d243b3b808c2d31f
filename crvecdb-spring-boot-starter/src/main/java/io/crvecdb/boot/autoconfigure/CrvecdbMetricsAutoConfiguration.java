package io.crvecdb.boot.autoconfigure;

import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.crvecdb.VectorIndex;

/**
 * The index's Micrometer meters ({@link CrvecdbMetrics}); Boot binds every {@link MeterBinder}
 * bean to its registry. The Spring AI store's observations add the {@code db.vector.client.operation}
 * timers on top.
 */
@AutoConfiguration(after = CrvecdbIndexAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(VectorIndex.class)
public final class CrvecdbMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CrvecdbMetrics crvecdbMetrics(VectorIndex index, CrvecdbProperties properties) {
        return new CrvecdbMetrics(index, properties.name());
    }

}
