package io.crvecdb.crash;

import io.crvecdb.Metric;
import io.crvecdb.SearchHit;
import io.crvecdb.VectorIndex;
import io.crvecdb.storage.StoreCorruptedException;
import io.crvecdb.storage.StoreFormatException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single flipped bytes and truncations anywhere in every kind of store file. Each case either
 * fails to open with a {@link StoreCorruptedException} (or {@link StoreFormatException}) naming
 * the file, or opens holding exactly the records of a prefix of the log that ends no earlier than
 * the damage: intact records are never lost to a later error, and no search or get ever returns a
 * wrong vector.
 */
class CorruptionTest {

    private static final int CHECKPOINTED = 300;
    private static final int LOGGED_ADDS = 50;
    private static final int LOGGED_DELETES = 5;
    private static final int FLIPS = 300;
    private static final int TRUNCATIONS = 60;

    @TempDir
    static Path root;
    static Path pristine;
    /** End offsets of the log records of the pristine image, in order. */
    static List<Long> logRecordEnds;
    static Path dataFile;
    static Path logFile;

    /**
     * A crash image: 300 records checkpointed into the data file, then 50 adds and 5 deletes in the
     * log, copied while the index is open (the log is synced, the data file immutable).
     */
    @BeforeAll
    static void crashImage() throws IOException {
        Path live = root.resolve("live");
        try (VectorIndex index = VectorIndex.builder().dimensions(CrashImporter.DIMENSIONS).metric(Metric.L2).m(8)
                .storage(live).build()) {
            for (int i = 0; i < CHECKPOINTED; i++) {
                index.add(Integer.toString(i), CrashImporter.vector(i), CrashImporter.payload(i));
            }
            index.checkpoint();
            for (int i = CHECKPOINTED; i < CHECKPOINTED + LOGGED_ADDS; i++) {
                index.add(Integer.toString(i), CrashImporter.vector(i), CrashImporter.payload(i));
            }
            for (int i = 0; i < LOGGED_DELETES; i++) {
                index.delete(Integer.toString(i));
            }
            pristine = root.resolve("pristine");
            StoreImages.copy(live, pristine);
        }
        try (Stream<Path> files = Files.list(pristine)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("data-")) {
                    dataFile = file;
                } else if (name.startsWith("wal-")) {
                    logFile = file;
                }
            }
        }
        logRecordEnds = recordEnds(logFile);
        assertThat(logRecordEnds).hasSize(LOGGED_ADDS + LOGGED_DELETES);
    }

    @Test
    void flippedBytesAreReportedOrHarmless() throws IOException {
        Random random = new Random(7);
        int reported = 0;
        for (int c = 0; c < FLIPS; c++) {
            Path target = c % 2 == 0 ? dataFile : logFile;
            long size = Files.size(target);
            // Half the flips hit the first 4 KiB (headers, section table, first records), where a
            // byte matters most.
            long offset = random.nextBoolean() ? random.nextLong(Math.min(size, 4096)) : random.nextLong(size);
            Path image = freshImage(c);
            Path file = image.resolve(target.getFileName());
            flip(file, offset, (byte) (1 + random.nextInt(255)));
            reported += openAndCheck(image, file, offset, "flip at " + offset + " of " + target.getFileName()) ? 1 : 0;
        }
        System.out.printf("corruption: %d single-byte flips, %d reported at open, the rest harmless%n", FLIPS, reported);
        assertThat(reported).as("most flips hit checksummed bytes").isGreaterThan(FLIPS / 2);
    }

    @Test
    void truncationsAreReportedOrDropOnlyALogSuffix() throws IOException {
        Random random = new Random(11);
        for (int c = 0; c < TRUNCATIONS; c++) {
            Path target = c % 2 == 0 ? dataFile : logFile;
            long length = random.nextLong(Files.size(target));
            Path image = freshImage(FLIPS + c);
            Path file = image.resolve(target.getFileName());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(length);
            }
            openAndCheck(image, file, length, "truncation to " + length + " of " + target.getFileName());
        }
    }

    /**
     * Opens a damaged image. Returns true if the damage was reported; otherwise asserts the index
     * holds exactly the state after some log prefix that includes every record ending before the
     * damage.
     */
    private boolean openAndCheck(Path image, Path damaged, long damageOffset, String what) {
        VectorIndex index;
        try {
            index = VectorIndex.open(image);
        } catch (StoreCorruptedException | StoreFormatException e) {
            assertThat(e.getMessage()).as(what).contains(damaged.getFileName().toString());
            return true;
        }
        try (index) {
            int intactLogRecords = damaged.equals(image.resolve(logFile.getFileName()))
                    ? (int) logRecordEnds.stream().filter(end -> end <= damageOffset).count()
                    : logRecordEnds.size();
            int applied = appliedLogRecords(index);
            assertThat(applied).as("%s: log records applied", what).isBetween(intactLogRecords, logRecordEnds.size());
            assertState(index, applied, what);
        }
        return false;
    }

    /** How many log records the index reflects (adds first, then deletes, as written). */
    private static int appliedLogRecords(VectorIndex index) {
        int adds = 0;
        while (adds < LOGGED_ADDS && index.contains(Integer.toString(CHECKPOINTED + adds))) {
            adds++;
        }
        int deletes = 0;
        while (deletes < LOGGED_DELETES && !index.contains(Integer.toString(deletes))) {
            deletes++;
        }
        return adds + deletes;
    }

    private static void assertState(VectorIndex index, int applied, String what) {
        int adds = Math.min(applied, LOGGED_ADDS);
        int deletes = Math.max(0, applied - LOGGED_ADDS);
        for (int i = 0; i < CHECKPOINTED + LOGGED_ADDS; i++) {
            boolean expected = i >= deletes && i < CHECKPOINTED + adds;
            int ordinal = i;
            Optional<io.crvecdb.VectorRecord> record = index.get(Integer.toString(i));
            assertThat(record.isPresent()).as("%s: record %d present", what, i).isEqualTo(expected);
            record.ifPresent(r -> {
                assertThat(r.vector()).as("%s: vector of %d", what, ordinal).containsExactly(CrashImporter.vector(ordinal));
                assertThat(r.payload()).as("%s: payload of %d", what, ordinal).containsExactly(CrashImporter.payload(ordinal));
            });
        }
        int probe = CHECKPOINTED / 2;
        List<SearchHit> self = index.search(CrashImporter.vector(probe), 1);
        assertThat(self).as("%s: self-search", what).extracting(SearchHit::id).containsExactly(Integer.toString(probe));
        assertThat(self.getFirst().distance()).isZero();
    }

    private static Path freshImage(int c) throws IOException {
        Path image = root.resolve("case-" + c);
        StoreImages.copy(pristine, image);
        return image;
    }


    private static void flip(Path file, long offset, byte mask) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ mask));
            one.rewind();
            channel.write(one, offset);
        }
    }

    /** Walks the log's frames ({@code [length][~length][crc]} after a 32-byte header). */
    private static List<Long> recordEnds(Path log) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(log)).order(ByteOrder.LITTLE_ENDIAN);
        List<Long> ends = new ArrayList<>();
        int at = 32;
        while (at < bytes.limit()) {
            at += 12 + bytes.getInt(at);
            ends.add((long) at);
        }
        return ends;
    }
}
