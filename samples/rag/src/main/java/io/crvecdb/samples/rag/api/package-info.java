/**
 * The JSON API: search, add and delete documents, status; bad input answered as problem details.
 */
@NullMarked
package io.crvecdb.samples.rag.api;

import org.jspecify.annotations.NullMarked;
