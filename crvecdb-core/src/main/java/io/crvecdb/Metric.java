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

    /** Cosine vectors' lengths stay where products of two of them are exact enough in float. */
    private static final double MIN_COSINE_LENGTH = 1e-15;
    private static final double MAX_COSINE_LENGTH = 1e15;
    /**
     * L2 and dot-product vectors' lengths stay where a float distance between two of them cannot
     * overflow: {@code |a - b|² ≤ 4·max²} and {@code |a·b| ≤ max²}, far below {@code Float.MAX_VALUE}.
     */
    private static final double MAX_LENGTH = 1e18;

    private final String configName;

    Metric(String configName) {
        this.configName = configName;
    }

    /** The short name used in configuration files and on the command line: cosine, l2 or dot. */
    public String configName() {
        return configName;
    }

    /**
     * Checks that an index of this metric can take {@code vector}, as every index checks each vector
     * it is given: every component a finite number, and a length at which float distances stay
     * exact (cosine: between 1e-15 and 1e15, so never zero; L2 and dot product: at most 1e18). A
     * tool that adds its input in several batches can check all of it first.
     *
     * @param what names the vector in the message, e.g. {@code "vector of 'doc-7'"}
     * @throws IllegalArgumentException saying what is wrong with the vector and what to do
     */
    public void checkIndexable(float[] vector, String what) {
        if (vector == null) {
            throw new IllegalArgumentException(what + " is null; expected an array of floats");
        }
        double squares = 0;
        for (int i = 0; i < vector.length; i++) {
            float x = vector[i];
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException(what + " has " + x + " at position " + i
                        + "; every component must be a finite number");
            }
            squares += (double) x * x;
        }
        double length = Math.sqrt(squares);
        if (this != COSINE) {
            if (length > MAX_LENGTH) {
                throw new IllegalArgumentException(what + " has length " + length + "; the " + configName
                        + " metric needs a length of at most " + MAX_LENGTH
                        + " so float distances cannot overflow; scale all vectors by one factor");
            }
            return;
        }
        if (length == 0) {
            throw new IllegalArgumentException(what + " is all zeros, which has no direction for cosine similarity; "
                    + "drop it or use the l2 metric");
        }
        if (length < MIN_COSINE_LENGTH || length > MAX_COSINE_LENGTH) {
            throw new IllegalArgumentException(what + " has length " + length + "; cosine needs a length between "
                    + MIN_COSINE_LENGTH + " and " + MAX_COSINE_LENGTH + " so float dot products neither underflow nor "
                    + "overflow; scale it (only its direction counts)");
        }
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
