/**
 * The RAG sample application: its entry point, settings and vector store wiring.
 */
@NullMarked
package io.crvecdb.samples.rag;

import org.jspecify.annotations.NullMarked;
