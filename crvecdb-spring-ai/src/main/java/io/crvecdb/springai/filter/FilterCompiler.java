package io.crvecdb.springai.filter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.util.Assert;

import io.crvecdb.springai.filter.MetadataFilter.And;
import io.crvecdb.springai.filter.MetadataFilter.Comparison;
import io.crvecdb.springai.filter.MetadataFilter.Membership;
import io.crvecdb.springai.filter.MetadataFilter.Operator;
import io.crvecdb.springai.filter.MetadataFilter.Or;
import io.crvecdb.springai.filter.MetadataFilter.Presence;

/**
 * Compiles Spring AI filter expressions (built with {@code FilterExpressionBuilder}, parsed by
 * {@code FilterExpressionTextParser} or constructed directly) into {@link MetadataFilter}s.
 *
 * <p>Every expression type is supported: {@code AND, OR, NOT, EQ, NE, GT, GTE, LT, LTE, IN, NIN,
 * ISNULL, ISNOTNULL}, with groups at any depth. {@code NOT} is pushed down to the conditions (De
 * Morgan for {@code AND}/{@code OR}, complements for the rest), which changes neither the result
 * nor which comparisons are reached. The semantics are those of {@code SimpleVectorStore}: numbers
 * compare by value across {@code Integer}, {@code Long}, {@code Float} and {@code Double}; a
 * missing key is null and sorts first ({@code year < 2020} holds without a {@code year},
 * {@code year > 2020} does not); {@code Date} values compare as UTC ISO-8601 strings; keys lose
 * one level of outer quotes; comparing values of different types (a string with a number) is an
 * error, which {@link MetadataIndex} raises exactly when {@code SimpleVectorStore} would.
 *
 * <p>Two deliberate differences, both where {@code SimpleVectorStore} fails: malformed expressions
 * fail here, once, even on an empty store, rather than when some document reaches them; and
 * {@code Date}s inside {@code IN}/{@code NIN} lists are converted like single ones instead of
 * failing to compare.
 */
public final class FilterCompiler {

    private FilterCompiler() {
    }

    /**
     * Compiles an expression.
     *
     * @throws IllegalArgumentException if the expression is malformed: a missing operand, a key
     *                                  where a condition belongs, a value that is not a list after
     *                                  {@code IN}/{@code NIN}, and so on
     */
    public static MetadataFilter compile(Filter.Expression expression) {
        Assert.notNull(expression, "Filter expression must not be null");
        return condition(expression, false, 0);
    }

    /**
     * How deep conditions may nest. Compiling and evaluating recurse once per level, so a bound
     * keeps a hostile expression from overflowing the stack; real filters are a few levels deep. A
     * chain of one operator ({@code a || b || c …}, however grouped) is one level, however long.
     */
    public static final int MAX_DEPTH = 1000;

    private static MetadataFilter condition(Filter.@Nullable Operand operand, boolean negated, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("The filter expression nests conditions more than " + MAX_DEPTH
                    + " levels deep; use IN for a list of values, or split the filter");
        }
        return switch (operand) {
            case Filter.Group group -> condition(group.content(), negated, depth + 1);
            case Filter.Expression expression -> expression(expression, negated, depth);
            case null -> throw new IllegalArgumentException("A condition is missing in the filter expression");
            default -> throw new IllegalArgumentException(
                    "Expected a condition in the filter expression but found " + operand);
        };
    }

    private static MetadataFilter expression(Filter.Expression expression, boolean negated, int depth) {
        Filter.ExpressionType type = expression.type();
        Assert.notNull(type, "Filter expression type must not be null");
        return switch (type) {
            case AND, OR -> {
                List<MetadataFilter> operands = new ArrayList<>();
                for (Filter.Operand operand : chain(expression)) {
                    operands.add(condition(operand, negated, depth + 1));
                }
                // De Morgan: NOT (a AND b) = NOT a OR NOT b, evaluated in the same order.
                yield (type == Filter.ExpressionType.AND) != negated ? new And(operands) : new Or(operands);
            }
            case NOT -> condition(expression.left(), !negated, depth + 1);
            case EQ, NE, GT, GTE, LT, LTE -> {
                Operator operator = Operator.valueOf(type.name());
                yield new Comparison(key(expression), negated ? operator.complement() : operator,
                        MetadataValues.normalize(value(expression)));
            }
            case IN, NIN -> new Membership(key(expression), values(expression),
                    (type == Filter.ExpressionType.NIN) != negated);
            case ISNULL, ISNOTNULL -> new Presence(key(expression),
                    (type == Filter.ExpressionType.ISNOTNULL) != negated);
        };
    }

    /**
     * The operands of a chain of one operator, {@code a || b || c …} grouped any way, in their order
     * of evaluation. Code that builds a filter in a loop makes such chains thousands of conditions
     * long; walking them without recursion leaves {@link #MAX_DEPTH} to real nesting.
     */
    private static List<Filter.Operand> chain(Filter.Expression expression) {
        List<Filter.Operand> operands = new ArrayList<>();
        Deque<Filter.Operand> pending = new ArrayDeque<>();
        pending.push(expression);
        while (!pending.isEmpty()) {
            Filter.Operand operand = pending.pop();
            while (operand instanceof Filter.Group(Filter.Expression content)) {
                operand = content;
            }
            if (operand instanceof Filter.Expression link && link.type() == expression.type()) {
                pending.push(required(link.right(), link));
                pending.push(required(link.left(), link));
            } else {
                operands.add(operand);
            }
        }
        return operands;
    }

    private static Filter.Operand required(Filter.@Nullable Operand operand, Filter.Expression expression) {
        if (operand == null) {
            throw new IllegalArgumentException(expression.type() + " needs two operands: " + expression);
        }
        return operand;
    }

    /** The key, without one level of outer single or double quotes (as Spring AI strips them). */
    private static String key(Filter.Expression expression) {
        if (!(expression.left() instanceof Filter.Key(String key)) || key == null) {
            throw new IllegalArgumentException(expression.type() + " needs a metadata key on its left: " + expression);
        }
        boolean quoted = key.length() >= 2 && (key.startsWith("\"") && key.endsWith("\"")
                || key.startsWith("'") && key.endsWith("'"));
        return quoted ? key.substring(1, key.length() - 1) : key;
    }

    private static @Nullable Object value(Filter.Expression expression) {
        if (!(expression.right() instanceof Filter.Value(Object value))) {
            throw new IllegalArgumentException(expression.type() + " needs a value on its right: " + expression);
        }
        return value;
    }

    private static List<@Nullable Object> values(Filter.Expression expression) {
        if (!(value(expression) instanceof List<?> list)) {
            throw new IllegalArgumentException(expression.type() + " needs a list of values on its right: "
                    + expression);
        }
        List<@Nullable Object> values = new ArrayList<>(list.size());
        for (Object value : list) {
            values.add(MetadataValues.normalize(value));
        }
        return Collections.unmodifiableList(values);
    }
}
