package io.crvecdb.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.OptionalInt;

/** Option values that must be whole numbers above zero (sizes, counts, threads). */
final class PositiveInt implements ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        return parse(value).orElseThrow(() -> new TypeConversionException("'" + value + "' is not a positive integer"));
    }

    /** The value as a positive int, or empty if it is not one. */
    static OptionalInt parse(String value) {
        try {
            int parsed = Integer.parseInt(value.trim());
            return parsed > 0 ? OptionalInt.of(parsed) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
