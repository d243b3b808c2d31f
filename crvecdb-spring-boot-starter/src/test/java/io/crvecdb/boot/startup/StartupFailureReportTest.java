package io.crvecdb.boot.startup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A real application start with a bad setting: Boot's start-up report is the crvecdb analysis
 * (the analyzer is registered in {@code META-INF/spring.factories} and no other one claims the
 * failure first), and an unknown enum value gets Boot's own report naming the property.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

    }

    @Test
    void anInvalidSettingIsReportedWithItsFix(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("crvecdb.dimensions=8", "crvecdb.metric=manhattan"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Invalid crvecdb configuration: crvecdb.metric: Unknown metric 'manhattan'")
            .contains("Set crvecdb.metric to cosine, l2 or dot");
    }

    @Test
    void anUnknownDurabilityIsReportedByBootsBindingAnalysis(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("crvecdb.dimensions=8", "crvecdb.storage.durability=always"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("crvecdb.storage.durability")
            .contains("always")
            .containsIgnoringCase("sync")
            .containsIgnoringCase("interval");
    }

    private static void start(String... properties) {
        new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(properties).run().close();
    }

}
