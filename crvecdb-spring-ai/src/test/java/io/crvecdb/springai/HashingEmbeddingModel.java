package io.crvecdb.springai;

import java.util.Locale;

/**
 * Bag of words by feature hashing: each lower-cased word adds 1 to one dimension. Texts sharing
 * words are similar; components are never negative, and the first one is a constant so no text
 * embeds to the zero vector.
 */
public final class HashingEmbeddingModel extends TestEmbeddingModel {

    public HashingEmbeddingModel(int dimensions) {
        super(dimensions);
    }

    @Override
    protected float[] vector(String text) {
        float[] vector = new float[dimensions()];
        vector[0] = 0.5f;
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                vector[1 + Math.floorMod(word.hashCode(), dimensions() - 1)] += 1f;
            }
        }
        return vector;
    }
}
