package io.crvecdb.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TexmexTest {

    @TempDir
    Path dir;

    @Test
    void readsVectorsAndRowsWithALimit() throws IOException {
        Path fvecs = write("a.fvecs", 3, new float[] {1, 2, 3}, new float[] {-4, 5.5f, 6});
        assertThat(Texmex.readFvecs(fvecs)).isDeepEqualTo(new float[][] {{1, 2, 3}, {-4, 5.5f, 6}});
        assertThat(Texmex.readFvecs(fvecs, 1)).isDeepEqualTo(new float[][] {{1, 2, 3}});
        Path ivecs = write("t.ivecs", 2, new float[] {Float.intBitsToFloat(7), Float.intBitsToFloat(9)});
        assertThat(Texmex.readIvecs(ivecs, 10)).isDeepEqualTo(new int[][] {{7, 9}});
    }

    @Test
    void rejectsTruncatedAndForeignFiles() throws IOException {
        Path truncated = write("t.fvecs", 3, new float[] {1, 2, 3});
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(truncated), 14));
        assertThatThrownBy(() -> Texmex.readFvecs(truncated)).hasMessageContaining("not a multiple of the record size 16");

        Path foreign = dir.resolve("x.fvecs");
        Files.writeString(foreign, "hello world, not vectors");
        assertThatThrownBy(() -> Texmex.readFvecs(foreign)).hasMessageContaining("not a TEXMEX");

        Path mixed = write("m.fvecs", 2, new float[] {1, 2}, new float[] {3, 4});
        byte[] bytes = Files.readAllBytes(mixed);
        bytes[12] = 3; // second record claims 3 dimensions
        Files.write(mixed, bytes);
        assertThatThrownBy(() -> Texmex.readFvecs(mixed)).hasMessageContaining("vector 1 has dimension 3, expected 2");
    }

    private Path write(String name, int dim, float[]... vectors) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(vectors.length * (4 + 4 * dim)).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] v : vectors) {
            buf.putInt(dim);
            for (float x : v) {
                buf.putFloat(x);
            }
        }
        Path file = dir.resolve(name);
        Files.write(file, buf.array());
        return file;
    }
}
