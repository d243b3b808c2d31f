package io.crvecdb.springai.filter;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The value semantics of Spring AI's in-memory filter evaluation (the one {@code SimpleVectorStore}
 * uses), applied to values normalised once: on the metadata side when a document is stored, on the
 * filter side when a filter is compiled.
 */
final class MetadataValues {

    /** How {@code SimpleVectorStore} turns a {@link Date} filter value into a comparable string. */
    private static final DateTimeFormatter DATE_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private MetadataValues() {
    }

    /**
     * The form a value is compared in: every {@link Number} as a {@link Double} (so that 2020,
     * 2020L and 2020.0 are equal, as Spring AI compares numbers by their double value), a
     * {@link Date} as its UTC ISO-8601 string, a list as an immutable copy (it compares with
     * nothing, so its elements stay as they are), anything else unchanged.
     */
    static @Nullable Object normalize(@Nullable Object value) {
        return switch (value) {
            case Number number -> number.doubleValue();
            case Date date -> DATE_FORMAT.format(date.toInstant());
            case List<?> list -> Collections.unmodifiableList(new ArrayList<>(list));
            case null, default -> value;
        };
    }

    /** An immutable copy of a metadata map with every value {@linkplain #normalize(Object) normalised}. */
    static Map<String, Object> normalize(Map<String, Object> metadata) {
        Map<String, Object> normalized = HashMap.newHashMap(metadata.size());
        metadata.forEach((key, value) -> normalized.put(key, normalize(value)));
        return Map.copyOf(normalized);
    }

    /**
     * Compares a metadata value with a filter value, both normalised, as Spring AI does: a missing
     * value (null) sorts before every other value, equal values compare equal, and otherwise both
     * must be of one {@link Comparable} type.
     *
     * @throws IllegalArgumentException if the values cannot be compared (a string with a number,
     *                                  for example)
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(String key, @Nullable Object metadataValue, @Nullable Object filterValue) {
        if (metadataValue == null) {
            return filterValue == null ? 0 : -1;
        }
        if (filterValue == null) {
            return 1;
        }
        if (metadataValue instanceof Double a && filterValue instanceof Double b) {
            return Double.compare(a, b);
        }
        if (metadataValue.equals(filterValue)) {
            return 0;
        }
        if (metadataValue instanceof Comparable comparable && filterValue instanceof Comparable) {
            try {
                return comparable.compareTo(filterValue);
            } catch (ClassCastException e) {
                throw incomparable(key, metadataValue, filterValue, e);
            }
        }
        throw incomparable(key, metadataValue, filterValue, null);
    }

    private static IllegalArgumentException incomparable(String key, Object metadataValue, Object filterValue,
            @Nullable Exception cause) {
        return new IllegalArgumentException("Cannot compare metadata '" + key + "' = " + describe(metadataValue)
                + " with the filter value " + describe(filterValue) + ": compare values of one type", cause);
    }

    private static String describe(Object value) {
        ValueKind kind = ValueKind.of(value);
        String type = kind == null ? value.getClass().getName() : kind.name().toLowerCase(Locale.ROOT);
        return (value instanceof String ? "'" + value + "'" : String.valueOf(value)) + " (" + type + ")";
    }
}
