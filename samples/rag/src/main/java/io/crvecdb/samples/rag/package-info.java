/**
 * The RAG sample application: its entry point and settings.
 */
@NullMarked
package io.crvecdb.samples.rag;

import org.jspecify.annotations.NullMarked;
