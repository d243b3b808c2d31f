package io.crvecdb.crash;

import io.crvecdb.Metric;
import io.crvecdb.VectorIndex;
import io.crvecdb.storage.StoreCorruptedException;
import io.crvecdb.storage.StoreFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files crafted to hurt the readers: random bytes under store names, and real headers whose every
 * 4-byte field is replaced by random, extreme or negative values (absurd counts and lengths,
 * offsets past the end). Opening must fail with a clear store exception or succeed on valid data:
 * never an OutOfMemoryError, never an allocation sized by an unchecked field, never another
 * exception type. Runs under the test JVM's normal heap.
 */
class HostileFilesTest {

    private static final int[] EXTREMES = {0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7fff_fff0, 4096, 1 << 30};

    @TempDir
    Path root;

    @Test
    void randomFilesUnderStoreNames() throws IOException {
        Random random = new Random(1);
        for (int c = 0; c < 200; c++) {
            Path dir = Files.createDirectories(root.resolve("random-" + c));
            byte[] bytes = new byte[random.nextInt(3) == 0 ? random.nextInt(64) : random.nextInt(20_000)];
            random.nextBytes(bytes);
            Files.write(dir.resolve("data-0.crv"), bytes);
            if (random.nextBoolean()) {
                byte[] log = new byte[random.nextInt(5000)];
                random.nextBytes(log);
                Files.write(dir.resolve("wal-0.log"), log);
            }
            openRejectsOrWorks(dir, "random data file " + c);
        }
    }

    @Test
    void mutatedHeaderFields() throws IOException {
        Path pristine = root.resolve("pristine");
        try (VectorIndex index = VectorIndex.builder().dimensions(CrashImporter.DIMENSIONS).metric(Metric.L2).storage(pristine)
                .build()) {
            for (int i = 0; i < 200; i++) {
                index.add(Integer.toString(i), CrashImporter.vector(i), CrashImporter.payload(i));
            }
            index.checkpoint();
            for (int i = 200; i < 220; i++) {
                index.add(Integer.toString(i), CrashImporter.vector(i));
            }
            StoreImages.copy(pristine, root.resolve("image"));
        }
        Path image = root.resolve("image");
        Path data;
        Path log;
        try (Stream<Path> files = Files.list(image)) {
            Path[] all = files.toArray(Path[]::new);
            data = Stream.of(all).filter(p -> p.getFileName().toString().startsWith("data-")).findFirst().orElseThrow();
            log = Stream.of(all).filter(p -> p.getFileName().toString().startsWith("wal-")).findFirst().orElseThrow();
        }
        Random random = new Random(2);
        int cases = 0;
        // Data file: every field of the settings and the section table (offsets, lengths, checksums).
        for (int field = 8; field < 96 + 7 * 24; field += 4) {
            for (int value : EXTREMES) {
                cases += mutateAndOpen(image, data, field, value, "data field at " + field + " = " + value);
            }
            cases += mutateAndOpen(image, data, field, random.nextInt(), "data field at " + field + " = random");
        }
        // Log: header fields, and the first records' lengths and checks.
        for (int field = 0; field < 32 + 3 * 12; field += 4) {
            for (int value : EXTREMES) {
                cases += mutateAndOpen(image, log, field, value, "log field at " + field + " = " + value);
            }
        }
        System.out.printf("HostileFilesTest: %d mutated headers, each rejected clearly or opened%n", cases);
    }

    private int mutateAndOpen(Path image, Path file, int offset, int value, String what) throws IOException {
        Path dir = root.resolve("case-" + Math.abs(what.hashCode()) + "-" + System.nanoTime());
        StoreImages.copy(image, dir);
        Path target = dir.resolve(file.getFileName());
        byte[] bytes = Files.readAllBytes(target);
        if (offset + 4 > bytes.length) {
            return 0;
        }
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        Files.write(target, bytes);
        openRejectsOrWorks(dir, what);
        return 1;
    }

    private static void openRejectsOrWorks(Path dir, String what) {
        try (VectorIndex index = VectorIndex.open(dir)) {
            // Opened: whatever it holds must be readable.
            index.forEach(r -> assertThat(r.vector()).hasSize(index.dimensions()));
        } catch (StoreCorruptedException | StoreFormatException e) {
            assertThat(e.getMessage()).as(what).contains(dir.toString());
        } catch (Throwable e) {
            throw new AssertionError(what + ": expected a store exception or a working index, got " + e, e);
        }
    }

}
