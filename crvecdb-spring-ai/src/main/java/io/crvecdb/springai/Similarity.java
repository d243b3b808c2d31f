package io.crvecdb.springai;

import org.springframework.ai.observation.conventions.VectorStoreSimilarityMetric;

import io.crvecdb.Metric;
import io.crvecdb.SearchHit;

/**
 * Spring AI's score and distance for a crvecdb hit, per metric, as tabled in
 * {@link CrvecdbVectorStore}: cosine and dot product as {@code PgVectorStore} (and cosine as
 * {@code SimpleVectorStore}), L2 with a score in (0, 1].
 */
final class Similarity {

    private Similarity() {
    }

    /** Spring AI's score of a hit: higher is more similar. */
    static double score(Metric metric, SearchHit hit) {
        return switch (metric) {
            case COSINE, DOT_PRODUCT -> 1.0 - hit.distance();
            case L2 -> hit.score();
        };
    }

    /** The observation name of a metric, from {@link VectorStoreSimilarityMetric}. */
    static String observationName(Metric metric) {
        return switch (metric) {
            case COSINE -> VectorStoreSimilarityMetric.COSINE.value();
            case DOT_PRODUCT -> VectorStoreSimilarityMetric.DOT.value();
            case L2 -> VectorStoreSimilarityMetric.EUCLIDEAN.value();
        };
    }
}
