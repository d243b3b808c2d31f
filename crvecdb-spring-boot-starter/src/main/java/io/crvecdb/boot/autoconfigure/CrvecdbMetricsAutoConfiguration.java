package io.crvecdb.boot.autoconfigure;

import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ListableBeanFactory;
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

    /** Meters for every crvecdb index of the application, each tagged with its {@linkplain NamedIndexes name}. */
    @Bean
    @ConditionalOnMissingBean
    CrvecdbMetrics crvecdbMetrics(ListableBeanFactory beans, CrvecdbProperties properties) {
        return new CrvecdbMetrics(NamedIndexes.in(beans, properties));
    }

}
