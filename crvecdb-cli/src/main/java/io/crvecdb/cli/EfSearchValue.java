package io.crvecdb.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * One item of {@code --ef-search}: a positive integer, or {@code default} for the index's own ef,
 * which becomes {@link #INDEX_DEFAULT} (0, what {@code VectorIndex.search} takes to mean its default).
 */
final class EfSearchValue implements ITypeConverter<Integer> {

    static final int INDEX_DEFAULT = 0;

    @Override
    public Integer convert(String value) {
        if (value.trim().equals("default")) {
            return INDEX_DEFAULT;
        }
        return PositiveInt.parse(value).orElseThrow(
                () -> new TypeConversionException("'" + value + "' is neither a positive integer nor 'default'"));
    }
}
