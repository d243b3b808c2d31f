/**
 * Question answering over the store with a chat model and Spring AI's retrieval advisor.
 */
@NullMarked
package io.crvecdb.samples.rag.ask;

import org.jspecify.annotations.NullMarked;
