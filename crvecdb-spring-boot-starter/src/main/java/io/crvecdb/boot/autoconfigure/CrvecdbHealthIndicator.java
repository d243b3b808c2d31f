package io.crvecdb.boot.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.unit.DataSize;

import io.crvecdb.VectorIndex;

/**
 * {@code crvecdb} in {@code /actuator/health}: UP with the index's count, dimensions, metric,
 * storage path, durability and free disk space (an index {@linkplain VectorIndex#openReadOnly opened read-only} is
 * UP, with a {@code readOnly} detail); DOWN, with the reason, when the index is closed, its store could
 * not be opened (with {@code crvecdb.storage.fail-fast=false}), it has turned read-only after a failed write, or
 * its disk has less free space than {@code crvecdb.health.min-free-disk}.
 */
public class CrvecdbHealthIndicator extends AbstractHealthIndicator {

    private final VectorIndex index;

    private final DataSize minFreeDisk;

    /**
     * @param index the index to report on
     * @param minFreeDisk free space on the storage path's file system below which the health is DOWN
     */
    public CrvecdbHealthIndicator(VectorIndex index, DataSize minFreeDisk) {
        super("crvecdb health check failed");
        this.index = index;
        this.minFreeDisk = minFreeDisk;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws IOException {
        if (this.index.isClosed()) {
            builder.down().withDetail("reason", "the index is closed");
            return;
        }
        Optional<String> unavailable = this.index.unavailableReason();
        if (unavailable.isPresent()) {
            this.index.storagePath().ifPresent(path -> builder.withDetail("storagePath", path.toString()));
            builder.down().withDetail("reason", unavailable.get());
            return;
        }
        builder.withDetail("count", this.index.size())
            .withDetail("deleted", this.index.deletedCount())
            .withDetail("dimensions", this.index.dimensions())
            .withDetail("metric", this.index.metric().name().toLowerCase(Locale.ROOT))
            .withDetail("quantization", this.index.quantization().name().toLowerCase(Locale.ROOT));
        Optional<Path> path = this.index.storagePath();
        if (path.isEmpty()) {
            builder.up().withDetail("storage", "in memory");
            return;
        }
        long free = Files.getFileStore(path.get()).getUsableSpace();
        builder.withDetail("storagePath", path.get().toString())
            .withDetail("durability", this.index.durability().name().toLowerCase(Locale.ROOT))
            .withDetail("storeBytes", this.index.storeSizeBytes())
            .withDetail("freeDiskBytes", free)
            .withDetail("minFreeDiskBytes", this.minFreeDisk.toBytes());
        Optional<String> readOnly = this.index.readOnlyReason();
        if (this.index.isOpenedReadOnly()) {
            // Read-only by choice (a snapshot, read-only media, where free space is 0): nothing failed.
            builder.up().withDetail("readOnly", readOnly.get());
        }
        else if (readOnly.isPresent()) {
            builder.down().withDetail("reason", "read-only since a write failed: " + readOnly.get());
        }
        else if (free < this.minFreeDisk.toBytes()) {
            builder.down()
                .withDetail("reason", "free disk space " + DataSize.ofBytes(free).toMegabytes() + " MB is below "
                        + "crvecdb.health.min-free-disk (" + this.minFreeDisk.toMegabytes() + " MB)");
        }
        else {
            builder.up();
        }
    }

}
