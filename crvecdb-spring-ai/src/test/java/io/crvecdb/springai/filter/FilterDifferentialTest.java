package io.crvecdb.springai.filter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.ai.vectorstore.SimpleFilterSemantics;
import org.springframework.ai.vectorstore.filter.Filter;

import io.crvecdb.SearchFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Compiled filters against Spring AI's own evaluator ({@code SimpleVectorStore}'s), on random
 * documents and hundreds of random expressions: per document (the predicate), and over a whole
 * {@link MetadataIndex} (the index plans, the exact candidate lists and the type checks).
 */
class FilterDifferentialTest {

    private static final int DOCUMENTS = 300;
    private static final int EXPRESSIONS = 600;

    /** A document's outcome: passes, fails, or the evaluation throws (values of two types compared). */
    private enum Outcome { PASS, FAIL, THROWS }

    @ParameterizedTest(name = "mixed types: {0}, every key on every document: {1}")
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void predicatesAgreeWithSimpleVectorStoreOnEveryDocument(boolean mixed, boolean complete) {
        RandomFilters random = new RandomFilters(mixed ? 11 : 7, mixed, complete);
        List<Map<String, Object>> documents = documents(random);
        int throwing = 0;
        for (int e = 0; e < EXPRESSIONS; e++) {
            Filter.Expression expression = random.maybeReparsed(random.expression(4));
            MetadataFilter filter = FilterCompiler.compile(expression);
            for (Map<String, Object> metadata : documents) {
                Outcome expected = outcome(() -> SimpleFilterSemantics.evaluate(expression, metadata));
                Outcome actual = outcome(() -> filter.test(MetadataValues.normalize(metadata)));
                assertThat(actual).as("%s on %s (compiled: %s)", expression, metadata, filter).isEqualTo(expected);
                throwing += expected == Outcome.THROWS ? 1 : 0;
            }
        }
        assertThat(throwing > 0).as("some evaluations throw").isEqualTo(mixed);
    }

    @ParameterizedTest(name = "mixed types: {0}, every key on every document: {1}")
    @CsvSource({"false, false", "true, false", "false, true", "true, true"})
    void indexAnswersAgreeWithSimpleVectorStoreOnTheWholeStore(boolean mixed, boolean complete) {
        RandomFilters random = new RandomFilters(mixed ? 13 : 5, mixed, complete);
        List<Map<String, Object>> documents = documents(random);
        MetadataIndex index = new MetadataIndex();
        for (int i = 0; i < documents.size(); i++) {
            index.put(Integer.toString(i), documents.get(i));
        }
        int listed = 0;
        int rejected = 0;
        for (int e = 0; e < EXPRESSIONS; e++) {
            Filter.Expression expression = random.maybeReparsed(random.expression(4));
            MetadataFilter filter = FilterCompiler.compile(expression);
            Set<String> expected = simpleVectorStoreMatches(expression, documents);
            if (expected == null) {
                assertThatIllegalArgumentException().as("%s", expression).isThrownBy(() -> index.matchingIds(filter));
                assertThatIllegalArgumentException().isThrownBy(() -> index.searchFilter(filter, DOCUMENTS));
                rejected++;
                continue;
            }
            assertThat(new HashSet<>(index.matchingIds(filter))).as("%s", expression).isEqualTo(expected);
            for (long limit : new long[] {0, 20, DOCUMENTS}) {
                SearchFilter searchFilter = index.searchFilter(filter, limit);
                if (searchFilter.candidates() != null) {
                    assertThat(new HashSet<>(searchFilter.candidates())).as("%s listed", expression).isEqualTo(expected);
                    listed++;
                }
                for (int i = 0; i < documents.size(); i++) {
                    String id = Integer.toString(i);
                    assertThat(searchFilter.accept(id)).as("%s on %s", expression, documents.get(i))
                        .isEqualTo(expected.contains(id));
                }
            }
        }
        assertThat(listed).as("searches answered from the index").isGreaterThan(EXPRESSIONS / 4);
        assertThat(rejected > 0).as("filters rejected for comparing two types").isEqualTo(mixed);
    }

    private static List<Map<String, Object>> documents(RandomFilters random) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            documents.add(random.metadata());
        }
        return documents;
    }

    /** The ids SimpleVectorStore keeps, or null when it throws on some document. */
    private static Set<String> simpleVectorStoreMatches(Filter.Expression expression,
            List<Map<String, Object>> documents) {
        Set<String> matches = new HashSet<>();
        for (int i = 0; i < documents.size(); i++) {
            Map<String, Object> metadata = documents.get(i);
            switch (outcome(() -> SimpleFilterSemantics.evaluate(expression, metadata))) {
                case PASS -> matches.add(Integer.toString(i));
                case FAIL -> { }
                case THROWS -> {
                    return null;
                }
            }
        }
        return matches;
    }

    private static Outcome outcome(BooleanSupplier evaluation) {
        try {
            return evaluation.getAsBoolean() ? Outcome.PASS : Outcome.FAIL;
        } catch (IllegalArgumentException e) {
            return Outcome.THROWS;
        }
    }
}
