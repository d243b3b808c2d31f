package io.crvecdb.springai;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.Filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Filters built to overflow a recursive compiler or parser get a clear error and change nothing. */
class HostileFilterTest {

    private final CrvecdbVectorStore store = CrvecdbVectorStore.builder(new HashingEmbeddingModel(16)).build();

    HostileFilterTest() {
        this.store.add(List.of(new Document("a", "alpha", Map.of("n", 1)), new Document("b", "beta", Map.of("n", 2))));
    }

    @Test
    void deeplyNestedExpressionObjects() {
        Filter.Expression leaf = new Filter.Expression(Filter.ExpressionType.EQ, new Filter.Key("n"), new Filter.Value(1));
        Filter.Expression deep = leaf;
        for (int i = 0; i < 100_000; i++) {
            deep = new Filter.Expression(i % 2 == 0 ? Filter.ExpressionType.AND : Filter.ExpressionType.OR, deep, leaf);
        }
        Filter.Expression hostile = deep;
        assertThatIllegalArgumentException()
            .isThrownBy(() -> this.store.similaritySearch(SearchRequest.builder().query("alpha").filterExpression(hostile).build()))
            .withMessageContaining("more than 1000 levels deep");
        assertThatIllegalArgumentException().isThrownBy(() -> this.store.delete(hostile))
            .withMessageContaining("more than 1000 levels deep");
        assertThat(this.store.similaritySearch(SearchRequest.builder().query("alpha").topK(5).build())).hasSize(2);
    }

    @Test
    void aChainOfOneOperatorIsOneLevelHoweverLong() {
        Filter.Expression leaf = new Filter.Expression(Filter.ExpressionType.NE, new Filter.Key("n"), new Filter.Value(2));
        Filter.Expression conjunction = leaf;
        for (int i = 0; i < 100_000; i++) {
            conjunction = new Filter.Expression(Filter.ExpressionType.AND,
                    i % 3 == 0 ? new Filter.Group(conjunction) : conjunction, leaf);
        }
        Filter.Expression chain = conjunction;
        assertThat(this.store.similaritySearch(SearchRequest.builder().query("beta").topK(5).filterExpression(chain).build()))
            .extracting(Document::getId).containsExactly("a");
        this.store.delete(chain);
        assertThat(this.store.similaritySearch(SearchRequest.builder().query("alpha").topK(5).build()))
            .extracting(Document::getId).containsExactly("b");
    }

    @Test
    void deeplyNestedFilterText() {
        String text = "(".repeat(200_000) + "n == 1" + ")".repeat(200_000);
        assertThatIllegalArgumentException().isThrownBy(() -> this.store.delete(text)).withMessageContaining("nested");
        assertThat(this.store.similaritySearch(SearchRequest.builder().query("alpha").topK(5).build())).hasSize(2);
    }

    @Test
    void aLongButFlatAlternativeStillWorks() {
        StringBuilder text = new StringBuilder("n == 0");
        for (int i = 1; i < 1500; i++) { // past MAX_DEPTH: a chain is one level
            text.append(" || n == ").append(i + 100);
        }
        text.append(" || n == 2");
        this.store.delete(text.toString());
        assertThat(this.store.similaritySearch(SearchRequest.builder().query("alpha").topK(5).build()))
            .extracting(Document::getId).containsExactly("a");
    }
}
