package io.crvecdb.crash;

import io.crvecdb.Metric;
import io.crvecdb.VectorIndex;
import io.crvecdb.VectorRecord;
import io.crvecdb.testing.Tmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real full disk: a 3 MiB tmpfs mounted for the test (root only; where mounting is impossible
 * the test is skipped and says why). Imports until the disk is full: the failing write says
 * "No space left on device", the index turns read-only, and once the tmpfs is grown the store
 * reopens with every acknowledged record and takes writes again.
 */
class DiskFullTest {

    @RegisterExtension
    final Tmpfs disk = new Tmpfs("size=3m");

    @Test
    void fullDiskIsReportedAndTheStoreReopensIntact() {
        Path store = disk.mountPoint().resolve("store");
        int acknowledged = 0;
        VectorIndex index = VectorIndex.builder().dimensions(CrashImporter.DIMENSIONS).metric(Metric.L2).storage(store)
                .build();
        UncheckedIOException full = null;
        while (full == null) {
            List<VectorRecord> batch = new ArrayList<>();
            for (int i = acknowledged; i < acknowledged + 100; i++) {
                batch.add(new VectorRecord(Integer.toString(i), CrashImporter.vector(i), CrashImporter.payload(i)));
            }
            try {
                index.addAll(batch, 2);
                acknowledged += batch.size();
            } catch (UncheckedIOException e) {
                full = e;
            }
            assertThat(acknowledged).as("3 MiB must fill up").isLessThan(1_000_000);
        }
        assertThat(full).hasMessageContaining("No space left on device");
        assertThat(index.readOnlyReason()).hasValueSatisfying(reason -> assertThat(reason).contains("No space left"));
        assertThatThrownBy(() -> index.add("more", CrashImporter.vector(0))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("read-only").hasMessageContaining("No space left on device");
        assertThat(index.search(CrashImporter.vector(5), 1)).isNotEmpty();
        index.close();

        disk.remount("size=64m");
        try (VectorIndex reopened = VectorIndex.open(store)) {
            for (int i = 0; i < acknowledged; i++) {
                int ordinal = i;
                assertThat(reopened.get(Integer.toString(i))).as("acknowledged record %d", i).hasValueSatisfying(r -> {
                    assertThat(r.vector()).containsExactly(CrashImporter.vector(ordinal));
                    assertThat(r.payload()).containsExactly(CrashImporter.payload(ordinal));
                });
            }
            reopened.add("after", CrashImporter.vector(-1));
            assertThat(reopened.contains("after")).isTrue();
        }
        System.out.printf("DiskFullTest: the disk filled after %d acknowledged records; all back after the reopen%n",
                acknowledged);
    }
}
