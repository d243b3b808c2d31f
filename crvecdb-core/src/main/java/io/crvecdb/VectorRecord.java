package io.crvecdb;

import java.util.Arrays;
import java.util.Objects;

/**
 * A stored vector with its id and optional opaque payload (for example a serialized document).
 * Arrays are not copied: treat them as read-only.
 *
 * @param id      external id, never null or empty
 * @param vector  the vector exactly as it was added
 * @param payload the bytes stored with the vector, or an empty array
 */
public record VectorRecord(String id, float[] vector, byte[] payload) {

    private static final byte[] NO_PAYLOAD = new byte[0];

    public VectorRecord {
        if (vector == null) {
            // Bad input is an IllegalArgumentException naming it, as VectorIndex.add's.
            throw new IllegalArgumentException("vector of '" + id + "' is null; expected an array of floats");
        }
        payload = payload == null ? NO_PAYLOAD : payload;
    }

    public VectorRecord(String id, float[] vector) {
        this(id, vector, NO_PAYLOAD);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VectorRecord r && Objects.equals(id, r.id)
                && Arrays.equals(vector, r.vector) && Arrays.equals(payload, r.payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Objects.hashCode(id) + Arrays.hashCode(vector)) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "VectorRecord[id=" + id + ", dimensions=" + vector.length + ", payload=" + payload.length + " bytes]";
    }
}
