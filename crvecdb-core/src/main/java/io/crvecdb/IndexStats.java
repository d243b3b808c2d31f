package io.crvecdb;

/**
 * Cumulative counts and times of an index's operations since it was opened, for monitoring
 * (the Spring Boot starter turns them into Micrometer timers).
 *
 * @param writes      records added, replaced or deleted
 * @param writeNanos  time spent in those writes, durability included
 * @param searches    searches answered
 * @param searchNanos time spent answering them
 */
public record IndexStats(long writes, long writeNanos, long searches, long searchNanos) {
}
