package io.crvecdb.samples.rag.api;

import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.filter.FilterExpressionTextParser;
import org.springframework.ai.vectorstore.filter.FilterExpressionTextParser.FilterExpressionParseException;

/** Parses the filter a client sends, in Spring AI's filter expression syntax. */
final class FilterExpressions {

    static final String EXAMPLE = "pos == 'noun' && category IN ['animal', 'food']";

    private FilterExpressions() {
    }

    /**
     * The parsed filter, or {@code null} for none (null or blank).
     *
     * @throws InvalidInputException if the text is not a filter expression
     */
    static Filter.@Nullable Expression parse(@Nullable String filter) {
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

    /**
     * Runs a search restricted by a filter, answering the store's rejection of the filter as bad
     * input: a well-formed filter can still compare values of different types ({@code words == 'two'}).
     *
     * @param filter the search's filter; {@code null} for none
     * @throws InvalidInputException if the store rejects the filter
     */
    static <T> T searching(Filter.@Nullable Expression filter, Supplier<T> search) {
        try {
            return search.get();
        } catch (IllegalArgumentException | CompletionException e) {
            // Spring AI's retrieval advisor retrieves on an executor: its errors come wrapped.
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (filter != null && cause instanceof IllegalArgumentException rejected) {
                throw new InvalidInputException("filter",
                        rejected.getMessage() + ". Quote strings ('noun'), not numbers (words > 2)");
            }
            throw e;
        }
    }
}
