package io.crvecdb.samples.rag.api;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.filter.FilterExpressionTextParser;
import org.springframework.ai.vectorstore.filter.FilterExpressionTextParser.FilterExpressionParseException;

/** Parses the filter a client sends, in Spring AI's filter expression syntax. */
public final class FilterExpressions {

    static final String EXAMPLE = "pos == 'noun' && category IN ['animal', 'food']";

    private FilterExpressions() {
    }

    /**
     * The parsed filter, or {@code null} for none (null or blank).
     *
     * @throws InvalidInputException if the text is not a filter expression
     */
    public static Filter.@Nullable Expression parse(@Nullable String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        try {
            return new FilterExpressionTextParser().parse(filter);
        } catch (FilterExpressionParseException | NumberFormatException e) {
            throw new InvalidInputException("filter", "Malformed filter \"" + filter + "\" (" + e.getMessage()
                    + "). Write it like: " + EXAMPLE);
        }
    }
}
