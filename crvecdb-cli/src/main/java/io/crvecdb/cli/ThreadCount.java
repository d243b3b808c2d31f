package io.crvecdb.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A --threads value: a positive number no larger than a machine could run (each is a platform thread). */
final class ThreadCount implements ITypeConverter<Integer> {

    static final int MAX = 4096;

    @Override
    public Integer convert(String value) {
        int threads = new PositiveInt().convert(value);
        if (threads > MAX) {
            throw new TypeConversionException("'" + value + "' threads: give 1 to " + MAX
                    + " (the machine has " + Runtime.getRuntime().availableProcessors() + " cores)");
        }
        return threads;
    }
}
