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

    /** Longest filter accepted: far beyond any hand-written one, short of costly to parse. */
    static final int MAX_LENGTH = 10_000;

    /** Longest part of a malformed filter quoted back in the error. */
    private static final int QUOTED_LENGTH = 200;

    private FilterExpressions() {
    }

    /**
     * The parsed filter, or {@code null} for none (null or blank).
     *
     * @throws InvalidInputException if the text is not a filter expression, is longer than
     *                               {@value #MAX_LENGTH} characters or nested too deeply to parse
     */
    static Filter.@Nullable Expression parse(@Nullable String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        if (filter.length() > MAX_LENGTH) {
            throw new InvalidInputException("filter", "The filter has " + filter.length() + " characters; the limit is "
                    + MAX_LENGTH + ". Use IN for a list of values, such as category IN ['animal', 'food']");
        }
        try {
            return new FilterExpressionTextParser().parse(filter);
        } catch (FilterExpressionParseException | NumberFormatException e) {
            // Some syntax errors (a number in exponent notation, 1e5) come without a message.
            String reason = e.getMessage() == null || e.getMessage().isBlank() ? "" : " (" + e.getMessage() + ")";
            throw new InvalidInputException("filter", "Malformed filter \"" + quote(filter) + "\"" + reason
                    + ". Write it like: " + EXAMPLE);
        } catch (StackOverflowError e) {
            // The parser recurses per nesting level: a deep enough nesting exhausts the stack.
            throw new InvalidInputException("filter", "The filter is nested too deeply to parse. Write it like: "
                    + EXAMPLE);
        }
    }

    private static String quote(String filter) {
        return filter.length() <= QUOTED_LENGTH ? filter : filter.substring(0, QUOTED_LENGTH) + "…";
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
