package io.crvecdb.springai.filter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.filter.Filter.ExpressionType;
import org.springframework.ai.vectorstore.filter.FilterExpressionTextParser;

/**
 * Random metadata and random filter expressions over a small schema, so that conditions hit often:
 * {@code country} and {@code tag} hold strings, {@code year} and {@code price} numbers of every
 * Java type (2020, 2020L, 2020.0 and 2020f are the same number), {@code active} booleans, and
 * {@code absent} is never set. Each key is set on about 70% of documents, or on all of them when
 * the generator is <em>complete</em> (then the metadata index can also bound {@code <}, {@code <=}
 * and {@code IS NULL}).
 *
 * <p>A <em>mixed</em> generator also stores values of any kind under {@code mixed}, lists of tags
 * among them, and sometimes compares a key with a value of another kind: the cases where Spring
 * AI's evaluation throws.
 */
public final class RandomFilters {

    private static final String[] KEYS = {"country", "tag", "year", "price", "active", "absent"};
    private static final String[] COUNTRIES = {"BG", "NL", "DE", "US", "bg"};
    private static final String[] TAGS = {"a", "b", "c"};
    private static final ExpressionType[] LEAVES = {ExpressionType.EQ, ExpressionType.NE, ExpressionType.GT,
            ExpressionType.GTE, ExpressionType.LT, ExpressionType.LTE, ExpressionType.IN, ExpressionType.NIN,
            ExpressionType.ISNULL, ExpressionType.ISNOTNULL};

    private final Random random;
    private final boolean mixed;
    private final boolean complete;

    public RandomFilters(long seed, boolean mixed, boolean complete) {
        this.random = new Random(seed);
        this.mixed = mixed;
        this.complete = complete;
    }

    /** A random metadata map. */
    public Map<String, Object> metadata() {
        Map<String, Object> metadata = new HashMap<>();
        for (String key : KEYS) {
            if (!key.equals("absent") && (complete || random.nextInt(10) < 7)) {
                metadata.put(key, value(key));
            }
        }
        if (mixed && (complete || random.nextBoolean())) {
            metadata.put("mixed", random.nextInt(4) == 0 ? tagList() : anyValue());
        }
        return metadata;
    }

    /** A random expression, nested up to {@code depth} levels of AND, OR, NOT and groups. */
    public Filter.Expression expression(int depth) {
        if (depth == 0 || random.nextInt(10) < 3) {
            return leaf();
        }
        return switch (random.nextInt(7)) {
            case 0, 1 -> new Filter.Expression(ExpressionType.AND, operand(depth - 1), operand(depth - 1));
            case 2, 3 -> new Filter.Expression(ExpressionType.OR, operand(depth - 1), operand(depth - 1));
            default -> new Filter.Expression(ExpressionType.NOT, operand(depth - 1));
        };
    }

    /** The expression, or the same expression printed as filter text and parsed back, at random. */
    public Filter.Expression maybeReparsed(Filter.Expression expression) {
        return random.nextBoolean() ? new FilterExpressionTextParser().parse(text(expression)) : expression;
    }

    private Filter.Operand operand(int depth) {
        Filter.Expression expression = expression(depth);
        return random.nextInt(4) == 0 ? new Filter.Group(expression) : expression;
    }

    private Filter.Expression leaf() {
        String key = mixed && random.nextInt(4) == 0 ? "mixed" : KEYS[random.nextInt(KEYS.length)];
        String filterKey = random.nextInt(10) == 0 ? "'" + key + "'" : key;
        ExpressionType type = LEAVES[random.nextInt(LEAVES.length)];
        return switch (type) {
            case ISNULL, ISNOTNULL -> new Filter.Expression(type, new Filter.Key(filterKey));
            case IN, NIN -> {
                List<Object> values = new ArrayList<>();
                for (int i = random.nextInt(4); i >= 0; i--) {
                    values.add(filterValue(key));
                }
                yield new Filter.Expression(type, new Filter.Key(filterKey), new Filter.Value(values));
            }
            default -> new Filter.Expression(type, new Filter.Key(filterKey), new Filter.Value(filterValue(key)));
        };
    }

    private Object filterValue(String key) {
        return mixed && random.nextInt(8) == 0 ? anyValue() : value(key);
    }

    private Object value(String key) {
        return switch (key) {
            case "country" -> COUNTRIES[random.nextInt(COUNTRIES.length)];
            case "tag" -> TAGS[random.nextInt(TAGS.length)];
            case "year" -> number(2018 + random.nextInt(7));
            case "price" -> random.nextBoolean() ? number(random.nextInt(4)) : 0.5 + random.nextInt(4);
            case "active" -> random.nextBoolean();
            case "absent" -> number(random.nextInt(3));
            default -> anyValue();
        };
    }

    private Object anyValue() {
        return switch (random.nextInt(3)) {
            case 0 -> TAGS[random.nextInt(TAGS.length)];
            case 1 -> number(random.nextInt(3));
            default -> random.nextBoolean();
        };
    }

    /** Up to two tags, often the same list as another document's: a list compares with nothing but an equal list. */
    private List<Object> tagList() {
        List<Object> tags = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            tags.add(TAGS[random.nextInt(TAGS.length)]);
        }
        return tags;
    }

    /** A whole number as an Integer, Long, Double or Float at random. */
    private Object number(int value) {
        return switch (random.nextInt(4)) {
            case 0 -> value;
            case 1 -> (long) value;
            case 2 -> (double) value;
            default -> (float) value;
        };
    }

    /** The expression in the text syntax of {@link FilterExpressionTextParser}. */
    static String text(Filter.Operand operand) {
        return switch (operand) {
            case Filter.Group group -> "(" + text(group.content()) + ")";
            case Filter.Key key -> key.key();
            case Filter.Value value -> literal(value.value());
            case Filter.Expression e -> switch (e.type()) {
                case AND -> "(" + text(e.left()) + " AND " + text(e.right()) + ")";
                case OR -> "(" + text(e.left()) + " OR " + text(e.right()) + ")";
                case NOT -> "NOT (" + text(e.left()) + ")";
                case EQ -> text(e.left()) + " == " + text(e.right());
                case NE -> text(e.left()) + " != " + text(e.right());
                case GT -> text(e.left()) + " > " + text(e.right());
                case GTE -> text(e.left()) + " >= " + text(e.right());
                case LT -> text(e.left()) + " < " + text(e.right());
                case LTE -> text(e.left()) + " <= " + text(e.right());
                case IN -> text(e.left()) + " IN " + text(e.right());
                case NIN -> text(e.left()) + " NIN " + text(e.right());
                case ISNULL -> text(e.left()) + " IS NULL";
                case ISNOTNULL -> text(e.left()) + " IS NOT NULL";
            };
            default -> throw new IllegalArgumentException(String.valueOf(operand));
        };
    }

    private static String literal(Object value) {
        return switch (value) {
            case List<?> list -> list.stream().map(RandomFilters::literal).collect(Collectors.joining(", ", "[", "]"));
            case String s -> "'" + s + "'";
            case Long l -> l + "L";
            case Float f -> Double.toString(f);
            default -> String.valueOf(value);
        };
    }
}
