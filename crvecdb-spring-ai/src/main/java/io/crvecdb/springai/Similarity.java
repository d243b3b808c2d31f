package io.crvecdb.springai;

import org.springframework.ai.observation.conventions.VectorStoreSimilarityMetric;

import io.crvecdb.Metric;
import io.crvecdb.SearchHit;

/**
 * Spring AI's score and distance for a crvecdb hit, chosen so that a similarity threshold means
 * what it means in Spring AI's own stores.
 *
 * <table>
 *   <caption>score and distance per metric</caption>
 *   <tr><th>metric</th><th>score</th><th>distance</th><th>as in</th></tr>
 *   <tr><td>cosine</td><td>{@code cos(q, v)}</td><td>{@code 1 - cos(q, v)}</td>
 *       <td>{@code SimpleVectorStore}, {@code PgVectorStore}</td></tr>
 *   <tr><td>dot product</td><td>{@code q·v}</td><td>{@code 1 - q·v}</td><td>{@code PgVectorStore}</td></tr>
 *   <tr><td>L2</td><td>{@code 1 / (1 + |q - v|²)}, in (0, 1]</td><td>{@code |q - v|}</td>
 *       <td>distance as {@code PgVectorStore}; its score {@code 1 - |q - v|} would go negative</td></tr>
 * </table>
 *
 * <p>Scores fall in [0, 1] for unit vectors under dot product and for vectors pointing the same
 * way under cosine; opposite vectors score below 0, exactly as in those stores.
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
