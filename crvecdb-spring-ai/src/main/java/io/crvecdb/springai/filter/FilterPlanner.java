package io.crvecdb.springai.filter;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.crvecdb.springai.filter.MetadataFilter.And;
import io.crvecdb.springai.filter.MetadataFilter.Comparison;
import io.crvecdb.springai.filter.MetadataFilter.Membership;
import io.crvecdb.springai.filter.MetadataFilter.Operator;
import io.crvecdb.springai.filter.MetadataFilter.Or;
import io.crvecdb.springai.filter.MetadataFilter.Presence;

/** What the metadata index can tell about a compiled filter before any document is tested. */
final class FilterPlanner {

    private FilterPlanner() {
    }

    /**
     * Index postings holding every document the filter may accept, or null when the index cannot
     * bound them to {@code limit} ids. A condition's postings are the values of the filter value's
     * kind that satisfy it (a value of another kind makes the evaluation throw, never pass).
     * Conditions that also hold for documents without the key ({@code <}, {@code <=},
     * {@code IS NULL}) are bounded only when every document has the key; {@code !=} and
     * {@code NIN}, which pass almost everything, are not bounded. An {@code AND} is bounded by its
     * smallest bounded operand, an {@code OR} only by all of them.
     */
    static @Nullable Postings postings(MetadataFilter filter, MetadataIndex index, long limit) {
        return switch (filter) {
            case Comparison c when c.value() == null -> null;
            case Comparison c -> switch (c.operator()) {
                case EQ -> Postings.of(List.of(index.equalTo(c.key(), c.value())), limit);
                case GT, GTE -> index.range(c.key(), c.value(), true, c.operator() == Operator.GTE, limit);
                case LT, LTE -> index.inEveryDocument(c.key())
                        ? index.range(c.key(), c.value(), false, c.operator() == Operator.LTE, limit) : null;
                case NE -> null;
            };
            case Membership m when m.negated() || m.values().contains(null) -> null;
            case Membership m -> Postings.of(m.values().stream().map(v -> index.equalTo(m.key(), v)).toList(), limit);
            case Presence p when p.present() -> index.present(p.key(), limit);
            case Presence p -> index.inEveryDocument(p.key()) ? Postings.EMPTY : null;
            case And a -> {
                Postings smallest = null;
                for (MetadataFilter operand : a.operands()) {
                    smallest = smaller(smallest, postings(operand, index, limit));
                }
                yield smallest;
            }
            case Or o -> {
                Postings union = Postings.EMPTY;
                for (MetadataFilter operand : o.operands()) {
                    Postings postings = postings(operand, index, limit);
                    union = postings == null ? null : union.union(postings, limit);
                    if (union == null) {
                        break;
                    }
                }
                yield union;
            }
        };
    }

    private static @Nullable Postings smaller(@Nullable Postings left, @Nullable Postings right) {
        if (left == null || right == null) {
            return left == null ? right : left;
        }
        return left.size() <= right.size() ? left : right;
    }

    /**
     * Adds the documents on which evaluating the filter may compare values of different types: the
     * ones holding, under a compared key, a value of another kind than some filter value. Only
     * these can make {@link MetadataFilter#test} throw.
     */
    static void collectIncomparable(MetadataFilter filter, MetadataIndex index, Set<String> out) {
        switch (filter) {
            case Comparison c -> index.collectIncomparable(c.key(), c.value() == null ? List.of() : List.of(c.value()),
                    out);
            case Membership m -> index.collectIncomparable(m.key(), m.values(), out);
            case Presence p -> {
            }
            case And a -> a.operands().forEach(operand -> collectIncomparable(operand, index, out));
            case Or o -> o.operands().forEach(operand -> collectIncomparable(operand, index, out));
        }
    }
}
