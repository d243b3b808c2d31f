package io.crvecdb.springai.filter;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The kinds of normalised values that compare with each other: two values of one kind always
 * compare, values of different kinds never do (Spring AI's in-memory semantics throw). A list (a
 * metadata value only: filter values are scalars) compares with nothing.
 */
enum ValueKind {
    STRING, NUMBER, BOOLEAN, LIST;

    /** The kind of a {@linkplain MetadataValues#normalize normalised} value; null for null and any other type. */
    static @Nullable ValueKind of(@Nullable Object value) {
        return switch (value) {
            case String s -> STRING;
            case Double d -> NUMBER;
            case Boolean b -> BOOLEAN;
            case List<?> l -> LIST;
            case null, default -> null;
        };
    }

    /** Whether values of this kind have an order (lists have none: they are only ever present or not). */
    boolean ordered() {
        return this != LIST;
    }
}
