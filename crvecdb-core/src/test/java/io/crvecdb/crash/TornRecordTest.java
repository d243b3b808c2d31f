package io.crvecdb.crash;

import io.crvecdb.Metric;
import io.crvecdb.VectorIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record whose write a crash cut short is a torn tail however its payload looks: recovery must
 * not take bytes inside it for records after it, and must not crawl through a large one.
 */
class TornRecordTest {

    @TempDir
    Path root;

    /** A store whose log ends with the add of "c" carrying {@code payload}, cut {@code cut} bytes short. */
    private Path crashedWhileAdding(byte[] payload, long cut) throws Exception {
        Path dir = root.resolve("store");
        VectorIndex index = VectorIndex.builder().dimensions(4).metric(Metric.L2).storage(dir).build();
        index.add("a", new float[] {1, 2, 3, 4});
        index.add("b", new float[] {2, 2, 3, 4});
        index.add("c", new float[] {3, 2, 3, 4}, payload);
        Path image = root.resolve("image");
        Files.createDirectories(image);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.copy(file, image.resolve(file.getFileName())); // what kill -9 leaves: nothing checkpointed
            }
        }
        index.close();
        try (Stream<Path> files = Files.list(image);
             FileChannel log = FileChannel.open(files.filter(f -> f.getFileName().toString().startsWith("wal-"))
                     .findFirst().orElseThrow(), StandardOpenOption.WRITE)) {
            log.truncate(log.size() - cut);
        }
        return image;
    }

    @Test
    void aPayloadHoldingBytesShapedLikeARecordIsStillPartOfTheTornOne() throws Exception {
        byte[] body = {2, 1, 0, 0, 0, 'x'}; // a whole delete record's body
        CRC32C crc = new CRC32C();
        crc.update(body);
        ByteBuffer frame = ByteBuffer.allocate(12 + body.length + 100).order(ByteOrder.LITTLE_ENDIAN);
        frame.putInt(body.length).putInt(~body.length).putInt((int) crc.getValue()).put(body);
        Path image = crashedWhileAdding(frame.array(), 50);
        try (VectorIndex index = VectorIndex.open(image)) {
            assertThat(index.contains("a") && index.contains("b")).isTrue();
            assertThat(index.contains("c")).as("the torn, never acknowledged add").isFalse();
        }
    }

    @Test
    void aLargeTornRecordIsCutOff() throws Exception {
        Path image = crashedWhileAdding(new byte[32 << 20], 16 << 20);
        long start = System.nanoTime();
        try (VectorIndex index = VectorIndex.open(image)) {
            assertThat(index.contains("a") && index.contains("b")).isTrue();
            assertThat(index.contains("c")).isFalse();
            index.add("d", new float[] {4, 2, 3, 4});
        }
        System.out.printf("reopened after 16 MiB of a torn record in %.2f s%n", (System.nanoTime() - start) / 1e9);
        try (VectorIndex index = VectorIndex.open(image)) {
            assertThat(index.size()).isEqualTo(3);
        }
    }
}
