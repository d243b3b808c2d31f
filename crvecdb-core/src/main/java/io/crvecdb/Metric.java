package io.crvecdb;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How vectors are compared. Every {@link SearchHit} carries both a {@code score} (higher is more
 * similar) and a {@code distance} (lower is more similar); their meaning per metric:
 *
 * <table>
 *   <caption>score and distance per metric</caption>
 *   <tr><th>metric</th><th>distance</th><th>score</th></tr>
 *   <tr><td>{@link #COSINE}</td><td>{@code 1 - cos(q, v)}, in [0, 2]</td>
 *       <td>{@code (1 + cos(q, v)) / 2}, in [0, 1]</td></tr>
 *   <tr><td>{@link #L2}</td><td>Euclidean distance {@code |q - v|}, in [0, ∞)</td>
 *       <td>{@code 1 / (1 + |q - v|²)}, in (0, 1]</td></tr>
 *   <tr><td>{@link #DOT_PRODUCT}</td><td>{@code 1 - q·v}</td>
 *       <td>{@code (1 + q·v) / 2}: in [0, 1] for unit vectors, unbounded otherwise</td></tr>
 * </table>
 *
 * <p>Cosine keeps the vectors exactly as given (so {@code get} returns them unchanged) and divides
 * by their stored norms; a zero vector has no direction and is rejected under cosine.
 */
public enum Metric {
    /** Cosine similarity: the angle between vectors, independent of their lengths. */
    COSINE("cosine"),
    /** Euclidean (L2) distance. */
    L2("l2"),
    /** Inner (dot) product: for unit vectors the same ranking as cosine, without the division. */
    DOT_PRODUCT("dot");

    private final String configName;

    Metric(String configName) {
        this.configName = configName;
    }

    /** The short name used in configuration files and on the command line: cosine, l2 or dot. */
    public String configName() {
        return configName;
    }

    /**
     * Parses a metric name, case-insensitively: {@code cosine}; {@code l2} or {@code euclidean};
     * {@code dot}, {@code dot_product}, {@code dot-product} or {@code ip}.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static Metric parse(String name) {
        if (name != null) {
            switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "cosine": return COSINE;
                case "l2", "euclidean": return L2;
                case "dot", "dot_product", "dot-product", "dotproduct", "ip": return DOT_PRODUCT;
                default: break;
            }
        }
        throw new IllegalArgumentException("Unknown metric '" + name + "': expected one of "
                + Arrays.stream(values()).map(Metric::configName).collect(Collectors.joining(", ")));
    }
}
