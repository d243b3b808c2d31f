package io.crvecdb.samples.quickstart;

import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import io.crvecdb.SearchHit;
import io.crvecdb.VectorIndex;

/**
 * The smallest crvecdb application: the starter makes a {@link VectorIndex} bean from
 * {@code application.yml}; this adds a few colours as RGB vectors and asks which are nearest to
 * one. Actuator shows the index's health at {@code /actuator/health}.
 */
@SpringBootApplication
public class QuickstartApplication {

    private static final Log logger = LogFactory.getLog(QuickstartApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(QuickstartApplication.class, args);
    }

    @Bean
    CommandLineRunner colours(VectorIndex index) {
        return args -> {
            Map<String, float[]> colours = Map.of(
                    "red", new float[] { 1.0f, 0.0f, 0.0f },
                    "orange", new float[] { 1.0f, 0.6f, 0.0f },
                    "yellow", new float[] { 1.0f, 1.0f, 0.0f },
                    "green", new float[] { 0.0f, 0.8f, 0.0f },
                    "blue", new float[] { 0.0f, 0.0f, 1.0f });
            colours.forEach((id, rgb) -> {
                // The store is durable: a restart finds them again, and adds only those a stopped
                // first start did not.
                if (!index.contains(id)) {
                    index.add(id, rgb);
                }
            });
            for (SearchHit hit : index.search(new float[] { 0.9f, 0.3f, 0.1f }, 3)) {
                logger.info("nearest to a reddish orange: " + hit.id() + " (distance " + hit.distance() + ")");
            }
        };
    }
}
