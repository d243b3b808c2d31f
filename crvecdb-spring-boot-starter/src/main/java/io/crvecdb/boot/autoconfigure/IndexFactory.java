package io.crvecdb.boot.autoconfigure;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import io.crvecdb.Metric;
import io.crvecdb.Quantization;
import io.crvecdb.VectorIndex;
import io.crvecdb.storage.StoreCorruptedException;
import io.crvecdb.storage.StoreFormatException;

/**
 * Creates or reopens the index {@link CrvecdbProperties} describe, checking every property first
 * so that a bad one stops start-up with a {@link CrvecdbConfigurationException} naming it.
 */
final class IndexFactory {

    private static final Log logger = LogFactory.getLog(IndexFactory.class);

    private final CrvecdbProperties properties;

    private final Binder binder;

    IndexFactory(CrvecdbProperties properties, Environment environment) {
        this.properties = properties;
        this.binder = Binder.get(environment);
    }

    /**
     * @param modelDimensions the EmbeddingModel's dimensions, null without one
     */
    VectorIndex create(@Nullable Integer modelDimensions) {
        Metric metric = metric();
        Quantization quantization = quantization();
        checkRange("crvecdb.m", this.properties.m(), 2, 512, "16 is a good default; 16 to 64 is typical");
        checkRange("crvecdb.ef-construction", this.properties.efConstruction(), 1, Integer.MAX_VALUE,
                "200 is a good default");
        checkRange("crvecdb.ef-search", this.properties.efSearch(), 1, Integer.MAX_VALUE, "100 is a good default");
        checkName(this.properties.name());
        checkSyncInterval(this.properties.storage().syncInterval());
        Integer dimensions = this.properties.dimensions();
        if (dimensions != null && dimensions < 1) {
            throw new CrvecdbConfigurationException("crvecdb.dimensions", "is " + dimensions + ", it must be at least 1",
                    "Set crvecdb.dimensions to the length of your vectors, or remove it to take it from the EmbeddingModel",
                    null);
        }
        if (dimensions != null && modelDimensions != null && !dimensions.equals(modelDimensions)) {
            throw new CrvecdbConfigurationException("crvecdb.dimensions",
                    "is " + dimensions + " but the EmbeddingModel produces " + modelDimensions + "-dimensional embeddings",
                    "Remove crvecdb.dimensions (it is taken from the EmbeddingModel) or set it to " + modelDimensions, null);
        }
        Path path = this.properties.storage().path();
        checkStoragePath(path);
        checkStorageSettingsHavePath(path);
        boolean reopening = path != null && VectorIndex.exists(path);
        Integer wanted = dimensions != null ? dimensions : modelDimensions;
        if (wanted == null && !reopening) {
            throw new CrvecdbConfigurationException("crvecdb.dimensions",
                    "is not set, and there is no EmbeddingModel bean to take it from",
                    "Set crvecdb.dimensions to the length of your vectors (e.g. 384 for all-MiniLM-L6-v2)", null);
        }
        VectorIndex.Builder builder = VectorIndex.builder();
        if (!reopening) {
            builder.dimensions(wanted).metric(metric).m(this.properties.m())
                .efConstruction(this.properties.efConstruction()).quantization(quantization);
        }
        if (!reopening || isSet("crvecdb.ef-search")) {
            builder.efSearch(this.properties.efSearch());
        }
        if (path != null) {
            builder.storage(path)
                .durability(this.properties.storage().durability())
                .syncInterval(this.properties.storage().syncInterval());
        }
        VectorIndex index = open(builder, path);
        try {
            if (reopening && index.unavailableReason().isEmpty()) {
                checkAgainstStore(index, path, wanted, metric, quantization);
            }
        }
        catch (RuntimeException ex) {
            index.close();
            throw ex;
        }
        return index;
    }

    private VectorIndex open(VectorIndex.Builder builder, @Nullable Path path) {
        if (path == null) {
            return builder.build(); // every setting is checked: an in-memory index opens
        }
        try {
            return builder.build();
        }
        catch (IllegalArgumentException ex) {
            throw new CrvecdbConfigurationException("crvecdb.storage.path", ex.getMessage(),
                    "Point crvecdb.storage.path at an empty or new directory, or at an existing crvecdb store", ex);
        }
        catch (StoreCorruptedException | StoreFormatException ex) {
            return unavailableOrFail(path, ex, "holds a store that cannot be opened: " + ex.getMessage(),
                    "Restore the directory from a backup, or point crvecdb.storage.path at a new directory and re-add "
                            + "the documents");
        }
        catch (IllegalStateException ex) {
            return unavailableOrFail(path, ex, ex.getMessage(),
                    "Stop the other process using " + path + ", or give this application its own crvecdb.storage.path");
        }
        catch (UncheckedIOException ex) {
            return unavailableOrFail(path, ex, ex.getMessage(),
                    "Check that the file system of crvecdb.storage.path is mounted read-write and has space, or point "
                            + "it at another directory");
        }
    }

    /**
     * A store that exists but cannot be opened now: stops start-up, or (crvecdb.storage.fail-fast=false)
     * gives an unavailable index, so that the application starts and its health reports the reason.
     */
    private VectorIndex unavailableOrFail(Path path, RuntimeException cause, String problem, String action) {
        CrvecdbConfigurationException failure = new CrvecdbConfigurationException("crvecdb.storage.path", problem,
                action, cause);
        if (this.properties.storage().failFast()) {
            throw failure;
        }
        logger.error("Starting with the crvecdb index unavailable (crvecdb.storage.fail-fast=false): "
                + failure.getMessage() + ". " + failure.getAction());
        return VectorIndex.unavailable(path, cause);
    }

    /** Settings given explicitly must match the store's; unset ones are the store's own. */
    private void checkAgainstStore(VectorIndex index, Path path, @Nullable Integer dimensions, Metric metric,
            Quantization quantization) {
        if (dimensions != null && index.dimensions() != dimensions) {
            String source = this.properties.dimensions() != null ? "crvecdb.dimensions is " + dimensions
                    : "the EmbeddingModel produces " + dimensions + "-dimensional embeddings";
            throw new CrvecdbConfigurationException("crvecdb.dimensions",
                    source + " but the store at " + path + " holds " + index.dimensions() + "-dimensional vectors",
                    "Use the embedding model the store was built with, or point crvecdb.storage.path at a new directory "
                            + "and re-add the documents",
                    null);
        }
        conflict("crvecdb.metric", metric, index.metric(), path);
        conflict("crvecdb.m", this.properties.m(), index.m(), path);
        conflict("crvecdb.ef-construction", this.properties.efConstruction(), index.efConstruction(), path);
        conflict("crvecdb.quantization", quantization, index.quantization(), path);
    }

    private void conflict(String property, Object given, Object stored, Path path) {
        if (isSet(property) && !given.equals(stored)) {
            throw new CrvecdbConfigurationException(property,
                    "is " + given + " but the store at " + path + " was created with " + stored,
                    "Remove " + property + " to use the store's setting, or point crvecdb.storage.path at a new "
                            + "directory for a new index",
                    null);
        }
    }

    private boolean isSet(String property) {
        return this.binder.bind(property, String.class).isBound();
    }

    private Metric metric() {
        try {
            return Metric.parse(this.properties.metric());
        }
        catch (IllegalArgumentException ex) {
            throw new CrvecdbConfigurationException("crvecdb.metric", ex.getMessage(),
                    "Set crvecdb.metric to cosine, l2 or dot", ex);
        }
    }

    private Quantization quantization() {
        String value = this.properties.quantization().trim().toUpperCase(Locale.ROOT);
        for (Quantization quantization : Quantization.values()) {
            if (quantization.name().equals(value)) {
                return quantization;
            }
        }
        throw new CrvecdbConfigurationException("crvecdb.quantization",
                "'" + this.properties.quantization() + "' is not a quantization", "Set crvecdb.quantization to none or int8",
                null);
    }

    private static void checkRange(String property, int value, int min, int max, String advice) {
        if (value < min || value > max) {
            throw new CrvecdbConfigurationException(property,
                    "is " + value + ", it must be " + (max == Integer.MAX_VALUE ? "at least " + min
                            : "between " + min + " and " + max),
                    "Set " + property + " within that range; " + advice, null);
        }
    }

    /** Also checked by the vector store, whose name it is, on an index of the application's own. */
    static void checkName(String name) {
        if (name.isBlank()) {
            throw new CrvecdbConfigurationException("crvecdb.name", "is blank",
                    "Set crvecdb.name to a name for the store (it names the collection in observations and tags the "
                            + "meters), or remove it to use 'crvecdb'",
                    null);
        }
    }

    /** The core's range: an fsync at least every minute, at most every millisecond. */
    private static void checkSyncInterval(Duration interval) {
        if (interval.compareTo(Duration.ofMillis(1)) < 0 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new CrvecdbConfigurationException("crvecdb.storage.sync-interval",
                    "is " + (interval.toNanos() % 1_000_000 == 0 ? String.valueOf(interval.toMillis())
                            : String.valueOf(interval.toNanos() / 1e6))
                            + "ms, it must be between 1ms and 1m",
                    "Set crvecdb.storage.sync-interval within that range (the default is 100ms); it bounds how much "
                            + "a power failure can lose under crvecdb.storage.durability=interval",
                    null);
        }
    }

    /**
     * Durability settings without a storage path would be silently void: the index lives in memory,
     * and an application that asked for durable writes would lose them all at its next restart.
     */
    private void checkStorageSettingsHavePath(@Nullable Path path) {
        if (path != null) {
            return;
        }
        for (String property : new String[] { "crvecdb.storage.durability", "crvecdb.storage.sync-interval" }) {
            if (isSet(property)) {
                throw new CrvecdbConfigurationException(property,
                        "is set but crvecdb.storage.path is not: the index lives in memory only, and nothing of it "
                                + "survives a restart",
                        "Set crvecdb.storage.path to a directory for a durable index, or remove " + property, null);
            }
        }
    }

    private static void checkStoragePath(@Nullable Path path) {
        if (path == null) {
            return;
        }
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new CrvecdbConfigurationException("crvecdb.storage.path", path + " is a file, not a directory",
                    "Point crvecdb.storage.path at a directory (it is created if missing)", null);
        }
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isWritable(existing)) {
            throw new CrvecdbConfigurationException("crvecdb.storage.path",
                    (existing == null ? path : existing) + " is not writable",
                    "Fix the directory's permissions, or point crvecdb.storage.path at a writable directory", null);
        }
    }
}
