/**
 * The smallest crvecdb application: the starter's index bean, a few vectors, a search.
 */
@NullMarked
package io.crvecdb.samples.quickstart;

import org.jspecify.annotations.NullMarked;
