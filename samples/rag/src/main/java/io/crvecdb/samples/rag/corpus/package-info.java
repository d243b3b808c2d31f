/**
 * The bundled corpus (WordNet glosses) and its ingestion into the vector store on start.
 */
@NullMarked
package io.crvecdb.samples.rag.corpus;

import org.jspecify.annotations.NullMarked;
