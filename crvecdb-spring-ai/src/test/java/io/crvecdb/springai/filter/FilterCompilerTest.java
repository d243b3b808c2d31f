package io.crvecdb.springai.filter;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.filter.Filter.ExpressionType;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;
import org.springframework.ai.vectorstore.filter.FilterExpressionTextParser;

import io.crvecdb.springai.filter.MetadataFilter.And;
import io.crvecdb.springai.filter.MetadataFilter.Comparison;
import io.crvecdb.springai.filter.MetadataFilter.Membership;
import io.crvecdb.springai.filter.MetadataFilter.Operator;
import io.crvecdb.springai.filter.MetadataFilter.Or;
import io.crvecdb.springai.filter.MetadataFilter.Presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FilterCompilerTest {

    private static MetadataFilter compile(String text) {
        return FilterCompiler.compile(new FilterExpressionTextParser().parse(text));
    }

    @Test
    void compilesEveryOperatorWithNumbersAsDoubles() {
        assertThat(compile("a == 1")).isEqualTo(new Comparison("a", Operator.EQ, 1.0));
        assertThat(compile("a != 2L")).isEqualTo(new Comparison("a", Operator.NE, 2.0));
        assertThat(compile("a > 1.5")).isEqualTo(new Comparison("a", Operator.GT, 1.5));
        assertThat(compile("a >= 'x'")).isEqualTo(new Comparison("a", Operator.GTE, "x"));
        assertThat(compile("a < true")).isEqualTo(new Comparison("a", Operator.LT, true));
        assertThat(compile("a <= -3")).isEqualTo(new Comparison("a", Operator.LTE, -3.0));
        assertThat(compile("a IN [1, 'x', false]")).isEqualTo(new Membership("a", List.of(1.0, "x", false), false));
        assertThat(compile("a NIN [1]")).isEqualTo(new Membership("a", List.of(1.0), true));
        assertThat(compile("a NOT IN [1]")).isEqualTo(new Membership("a", List.of(1.0), true));
        assertThat(compile("a IS NULL")).isEqualTo(new Presence("a", false));
        assertThat(compile("a IS NOT NULL")).isEqualTo(new Presence("a", true));
        assertThat(compile("a == 1 && b == 2 || c == 3")).isEqualTo(new Or(
                new And(new Comparison("a", Operator.EQ, 1.0), new Comparison("b", Operator.EQ, 2.0)),
                new Comparison("c", Operator.EQ, 3.0)));
    }

    @Test
    void pushesNotDownToTheConditions() {
        assertThat(compile("NOT (a == 1 && (b < 2 || c IN [3]))")).isEqualTo(new Or(
                new Comparison("a", Operator.NE, 1.0),
                new And(new Comparison("b", Operator.GTE, 2.0), new Membership("c", List.of(3.0), true))));
        assertThat(compile("NOT (NOT (a > 1))")).isEqualTo(new Comparison("a", Operator.GT, 1.0));
        assertThat(compile("NOT (a IS NULL)")).isEqualTo(new Presence("a", true));
        assertThat(compile("NOT (a <= 1)")).isEqualTo(new Comparison("a", Operator.GT, 1.0));
    }

    @Test
    void unquotesKeysAndTurnsDatesIntoIsoStrings() {
        Date date = Date.from(Instant.parse("2024-05-06T07:08:09Z"));
        FilterExpressionBuilder b = new FilterExpressionBuilder();

        assertThat(FilterCompiler.compile(b.eq("'my key'", date).build()))
            .isEqualTo(new Comparison("my key", Operator.EQ, "2024-05-06T07:08:09Z"));
        assertThat(FilterCompiler.compile(b.in("\"k\"", List.of(date)).build()))
            .isEqualTo(new Membership("k", List.of("2024-05-06T07:08:09Z"), false));
    }

    @Test
    void rejectsMalformedExpressions() {
        Filter.Key key = new Filter.Key("a");
        Filter.Value value = new Filter.Value(1);
        Filter.Expression condition = new Filter.Expression(ExpressionType.EQ, key, value);

        assertThatIllegalArgumentException().isThrownBy(() -> FilterCompiler.compile(null))
            .withMessage("Filter expression must not be null");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> FilterCompiler.compile(new Filter.Expression(ExpressionType.AND, condition, null)))
            .withMessageContaining("AND needs two operands");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> FilterCompiler.compile(new Filter.Expression(ExpressionType.OR, key, condition)))
            .withMessageContaining("Expected a condition");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> FilterCompiler.compile(new Filter.Expression(ExpressionType.NOT, value)))
            .withMessageContaining("Expected a condition");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> FilterCompiler.compile(new Filter.Expression(ExpressionType.EQ, value, key)))
            .withMessageContaining("EQ needs a metadata key on its left");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> FilterCompiler.compile(new Filter.Expression(ExpressionType.GT, key, key)))
            .withMessageContaining("GT needs a value on its right");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> FilterCompiler.compile(new Filter.Expression(ExpressionType.NIN, key, value)))
            .withMessageContaining("NIN needs a list of values");
    }
}
