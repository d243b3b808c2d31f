package org.springframework.ai.vectorstore;

import java.util.Map;

import org.springframework.ai.vectorstore.filter.Filter;

/**
 * The oracle of the differential filter tests: Spring AI's own in-memory evaluator (the one
 * {@link SimpleVectorStore} filters with), which is package-private, hence this class's package.
 */
public final class SimpleFilterSemantics {

    private static final SimpleVectorStoreFilterExpressionEvaluator EVALUATOR = new SimpleVectorStoreFilterExpressionEvaluator();

    private SimpleFilterSemantics() {
    }

    /** Whether {@code SimpleVectorStore} keeps a document with this metadata under this filter. */
    public static boolean evaluate(Filter.Expression expression, Map<String, Object> metadata) {
        return EVALUATOR.evaluate(expression, metadata);
    }
}
