package io.crvecdb;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The bodies of write-ahead log records: what a write did, enough to redo it.
 * {@code ADD: [1][id length][id UTF-8][vector floats][payload length][payload]},
 * {@code DELETE: [2][id length][id UTF-8]}.
 */
final class LogRecords {

    private static final byte ADD = 1;
    private static final byte DELETE = 2;

    private LogRecords() {
    }

    static ByteBuffer add(String id, float[] vector, byte[] payload) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(Math.toIntExact(addBytes(idBytes.length, vector.length, payload.length)))
                .order(ByteOrder.LITTLE_ENDIAN);
        body.put(ADD).putInt(idBytes.length).put(idBytes);
        body.asFloatBuffer().put(vector);
        body.position(body.position() + 4 * vector.length);
        body.putInt(payload.length).put(payload);
        return body.flip();
    }

    /** The body size of an add record. */
    static long addBytes(String id, int dimensions, int payloadBytes) {
        return addBytes(id.getBytes(StandardCharsets.UTF_8).length, dimensions, payloadBytes);
    }

    private static long addBytes(int idBytes, int dimensions, int payloadBytes) {
        return 1 + 4 + idBytes + 4L * dimensions + 4 + payloadBytes;
    }

    static ByteBuffer delete(String id) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(1 + 4 + idBytes.length).order(ByteOrder.LITTLE_ENDIAN);
        body.put(DELETE).putInt(idBytes.length).put(idBytes);
        return body.flip();
    }

    /**
     * Redoes one record on {@code engine}.
     *
     * @throws IllegalArgumentException if the body is not a record of an index with these dimensions
     */
    static void apply(ByteBuffer body, Engine engine) {
        byte type = body.get();
        String id = new String(bytes(body, "id"), StandardCharsets.UTF_8);
        if (id.isEmpty()) {
            throw new IllegalArgumentException("record with an empty id");
        }
        switch (type) {
            case ADD -> {
                if (body.remaining() < 4L * engine.dimensions + 4) {
                    throw new IllegalArgumentException("add of '" + id + "' too short for a " + engine.dimensions
                            + "-dimensional vector");
                }
                float[] vector = new float[engine.dimensions];
                body.asFloatBuffer().get(vector);
                body.position(body.position() + 4 * vector.length);
                byte[] payload = bytes(body, "payload");
                engine.insert(id, vector, payload);
            }
            case DELETE -> engine.delete(id);
            default -> throw new IllegalArgumentException("unknown record type " + type);
        }
        if (body.hasRemaining()) {
            throw new IllegalArgumentException(body.remaining() + " stray bytes after the record of '" + id + "'");
        }
    }

    private static byte[] bytes(ByteBuffer body, String what) {
        int length = body.getInt();
        if (length < 0 || length > body.remaining()) {
            throw new IllegalArgumentException(what + " length " + length + " with " + body.remaining() + " bytes left");
        }
        byte[] bytes = new byte[length];
        body.get(bytes);
        return bytes;
    }
}
