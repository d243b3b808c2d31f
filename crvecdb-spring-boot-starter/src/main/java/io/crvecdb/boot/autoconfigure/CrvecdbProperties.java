package io.crvecdb.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import io.crvecdb.Durability;
import io.crvecdb.VectorIndex;

/**
 * Settings of the auto-configured crvecdb index and vector store. When a storage path holds a
 * store, the index settings it was created with apply, and a setting given here that contradicts
 * them stops start-up. Defaults are the core's ({@link VectorIndex}'s {@code DEFAULT_*}).
 *
 * @param dimensions Number of components of every vector. Taken from the EmbeddingModel, or from the store being
 * reopened, when not set.
 * @param m Maximum links per graph node on the upper layers (twice as many on the base layer), at least 2. Higher
 * gives better recall and uses more memory.
 * @param metric How vectors are compared: cosine, l2 (Euclidean) or dot (dot product).
 * @param efConstruction Candidate list size while inserting. Higher builds a better graph, more slowly.
 * @param efSearch Candidate list size while searching (raised to topK). Higher is slower and finds more of the true
 * nearest neighbours.
 * @param quantization How the graph search reads vectors: none (full precision) or int8 (quantized, with exact
 * re-scoring of the best candidates).
 * @param name Name of the store: the collection name in the vector store's observations and the "name" tag of the
 * crvecdb meters.
 * @param storage Where and how durably the index is stored.
 * @param health Thresholds of the crvecdb health indicator.
 */
@ConfigurationProperties("crvecdb")
public record CrvecdbProperties(@Nullable Integer dimensions, @DefaultValue("cosine") String metric,
        @DefaultValue("" + VectorIndex.DEFAULT_M) int m,
        @DefaultValue("" + VectorIndex.DEFAULT_EF_CONSTRUCTION) int efConstruction,
        @DefaultValue("" + VectorIndex.DEFAULT_EF_SEARCH) int efSearch,
        @DefaultValue("none") String quantization, @DefaultValue("crvecdb") String name,
        @DefaultValue Storage storage, @DefaultValue Health health) {

    /**
     * Storage settings.
     *
     * @param path Directory of a durable index: created if missing, reopened if it holds a store. Not set, the index
     * lives in memory only.
     * @param durability When a write is on disk: sync (before the call returns, fsyncs shared by concurrent writers) or
     * interval (synced in the background every sync-interval; a power failure loses at most that window). Needs a
     * path: set without one, start-up stops, as the index would live in memory.
     * @param syncInterval Period of the background fsync under the interval durability. Needs a path, as durability
     * does.
     * @param failFast Whether a store that cannot be opened (damaged, held by another process, unreadable) stops
     * start-up. When false, the application starts with the index unavailable: the crvecdb health is DOWN with the
     * reason, and every index and vector store operation throws it until the cause is fixed and the application
     * restarted. Invalid settings stop start-up either way.
     */
    public record Storage(@Nullable Path path, @DefaultValue("sync") Durability durability,
            @DefaultValue("100ms") Duration syncInterval, @DefaultValue("true") boolean failFast) {
    }

    /**
     * Health settings.
     *
     * @param minFreeDisk Free space on the storage path's file system below which the health is DOWN.
     */
    public record Health(@DefaultValue("100MB") DataSize minFreeDisk) {
    }
}
