/**
 * Spring AI filter expressions compiled into predicates over document metadata, and the metadata
 * index that evaluates them inside crvecdb's graph search.
 *
 * <p>{@link io.crvecdb.springai.filter.FilterCompiler} turns a
 * {@link org.springframework.ai.vectorstore.filter.Filter.Expression} into a
 * {@link io.crvecdb.springai.filter.MetadataFilter} once per request;
 * {@link io.crvecdb.springai.filter.MetadataIndex} keeps every document's metadata decoded and
 * indexed by value, and turns a compiled filter into the core's
 * {@link io.crvecdb.SearchFilter}.
 */
@NullMarked
package io.crvecdb.springai.filter;

import org.jspecify.annotations.NullMarked;
