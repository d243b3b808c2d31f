package io.crvecdb.springai;

import java.util.HashMap;
import java.util.Map;

/** Returns vectors computed beforehand, by text; fails on a text it does not know. */
public final class PrecomputedEmbeddingModel extends TestEmbeddingModel {

    private final Map<String, float[]> vectors = new HashMap<>();

    public PrecomputedEmbeddingModel(int dimensions) {
        super(dimensions);
    }

    /** Makes {@code text} embed to {@code vector}; returns this model. */
    public PrecomputedEmbeddingModel put(String text, float[] vector) {
        vectors.put(text, vector);
        return this;
    }

    @Override
    protected float[] vector(String text) {
        float[] vector = vectors.get(text);
        if (vector == null) {
            throw new IllegalArgumentException("no precomputed vector for '" + text + "'");
        }
        return vector;
    }
}
