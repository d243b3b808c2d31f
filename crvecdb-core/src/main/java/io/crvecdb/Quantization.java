package io.crvecdb;

/** How the graph search reads vectors. */
public enum Quantization {

    /** Full-precision floats throughout. The default. */
    NONE,

    /**
     * The graph search scores the full-precision query against int8 codes (4× fewer bytes per
     * distance, each code widened to a float in the SIMD kernel) over
     * a beam of {@code max(ef, 2·k)}, then re-scores the best {@code max(2·k, 10)} of it against the
     * full-precision vectors, so results carry exact scores and recall stays within about a point of
     * {@link #NONE}. One range for all dimensions is learned from the data once the index holds
     * 1,024 records, and re-learned each time it doubles; until then searches use floats (as they
     * do while the records hold a single value, such as all-zero vectors, which teach no range). Codes
     * cost {@code dimensions + 4} bytes per record on top of the vectors.
     */
    INT8
}
