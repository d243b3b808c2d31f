package io.crvecdb;

/**
 * One search result.
 *
 * @param id       the external id the vector was added under
 * @param score    similarity, higher is better; see {@link Metric} for its range per metric
 * @param distance dissimilarity, lower is better; see {@link Metric}
 */
public record SearchHit(String id, float score, float distance) {
}
