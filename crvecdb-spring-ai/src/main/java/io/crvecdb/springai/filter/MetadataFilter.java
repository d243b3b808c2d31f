package io.crvecdb.springai.filter;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A Spring AI filter expression compiled by {@link FilterCompiler}: groups are gone, {@code NOT} is
 * pushed down to the conditions (so every node is positive and can use the metadata index), keys
 * are unquoted and values normalised once. Evaluation follows {@code SimpleVectorStore}'s
 * semantics exactly, including which comparisons short-circuiting reaches.
 */
public sealed interface MetadataFilter {

    /**
     * Whether a document's metadata, in {@linkplain MetadataIndex normalised form}, passes.
     *
     * @throws IllegalArgumentException if a comparison this evaluation reaches pairs values of
     *                                  different types (a string with a number, for example)
     */
    boolean test(Map<String, Object> metadata);

    /** The six comparison operators, each with its complement. */
    enum Operator {
        EQ, NE, GT, GTE, LT, LTE;

        /** Whether a comparison result (negative, zero or positive) satisfies this operator. */
        boolean holds(int comparison) {
            return switch (this) {
                case EQ -> comparison == 0;
                case NE -> comparison != 0;
                case GT -> comparison > 0;
                case GTE -> comparison >= 0;
                case LT -> comparison < 0;
                case LTE -> comparison <= 0;
            };
        }

        /** The operator that holds exactly when this one does not. */
        Operator complement() {
            return switch (this) {
                case EQ -> NE;
                case NE -> EQ;
                case GT -> LTE;
                case GTE -> LT;
                case LT -> GTE;
                case LTE -> GT;
            };
        }
    }

    /** {@code key <operator> value}; a missing key sorts before every value. */
    record Comparison(String key, Operator operator, @Nullable Object value) implements MetadataFilter {
        @Override
        public boolean test(Map<String, Object> metadata) {
            return this.operator.holds(MetadataValues.compare(this.key, metadata.get(this.key), this.value));
        }
    }

    /** {@code key IN [values]}, or {@code NIN} when negated; stops at the first equal value. */
    record Membership(String key, List<@Nullable Object> values, boolean negated) implements MetadataFilter {
        @Override
        public boolean test(Map<String, Object> metadata) {
            Object actual = metadata.get(this.key);
            for (Object value : this.values) {
                if (MetadataValues.compare(this.key, actual, value) == 0) {
                    return !this.negated;
                }
            }
            return this.negated;
        }
    }

    /** {@code key IS NOT NULL} when {@code present}, else {@code key IS NULL}. */
    record Presence(String key, boolean present) implements MetadataFilter {
        @Override
        public boolean test(Map<String, Object> metadata) {
            return metadata.containsKey(this.key) == this.present;
        }
    }

    /** Every condition, evaluated in order up to the first that fails. */
    record And(List<MetadataFilter> operands) implements MetadataFilter {
        public And {
            operands = List.copyOf(operands);
        }

        public And(MetadataFilter... operands) {
            this(List.of(operands));
        }

        @Override
        public boolean test(Map<String, Object> metadata) {
            for (MetadataFilter operand : this.operands) {
                if (!operand.test(metadata)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Any condition, evaluated in order up to the first that holds. */
    record Or(List<MetadataFilter> operands) implements MetadataFilter {
        public Or {
            operands = List.copyOf(operands);
        }

        public Or(MetadataFilter... operands) {
            this(List.of(operands));
        }

        @Override
        public boolean test(Map<String, Object> metadata) {
            for (MetadataFilter operand : this.operands) {
                if (operand.test(metadata)) {
                    return true;
                }
            }
            return false;
        }
    }
}
