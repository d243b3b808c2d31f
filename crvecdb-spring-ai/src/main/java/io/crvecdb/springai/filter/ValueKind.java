package io.crvecdb.springai.filter;

import org.jspecify.annotations.Nullable;

/**
 * The kinds of normalised values that compare with each other: two values of one kind always
 * compare, values of different kinds never do (Spring AI's in-memory semantics throw).
 */
enum ValueKind {
    STRING, NUMBER, BOOLEAN;

    /** The kind of a {@linkplain MetadataValues#normalize normalised} value; null for null and any other type. */
    static @Nullable ValueKind of(@Nullable Object value) {
        return switch (value) {
            case String s -> STRING;
            case Double d -> NUMBER;
            case Boolean b -> BOOLEAN;
            case null, default -> null;
        };
    }
}
