/**
 * A Spring AI {@link org.springframework.ai.vectorstore.VectorStore} backed by the crvecdb HNSW
 * engine: {@link io.crvecdb.springai.CrvecdbVectorStore}.
 */
@NullMarked
package io.crvecdb.springai;

import org.jspecify.annotations.NullMarked;
