package io.crvecdb.samples.rag;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Semantic search and retrieval-augmented generation over WordNet glosses: an offline embedding
 * model (all-MiniLM-L6-v2 in process), a crvecdb {@code VectorStore}, a REST API and a web page.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RagSampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(RagSampleApplication.class, args);
    }
}
