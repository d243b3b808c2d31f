package io.crvecdb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * An int8 index accepts any finite L2 vector, including ones whose components are subnormal
 * floats. Learning the int8 range from such records must not fail: it runs after the records are
 * acknowledged, and again when a crashed store is reopened, where a failure would make the store
 * impossible to open (for writing or reading) although every record in it is intact.
 */
class TinyComponentsQuantizationTest {

    @TempDir
    Path root;

    private static float[] vector(int i) {
        float tiny = 1e-44f; // a subnormal float: a few multiples of Float.MIN_VALUE
        return new float[] {(i & 1) * tiny, ((i >> 1) & 1) * tiny, 0, tiny};
    }

    /**
     * Components near 1e-21 are normal floats, and full-precision L2 distances between them (near
     * 1e-41) still rank records. The int8 distance multiplied the codes' squared distance by the
     * squared step, which underflowed to 0 (the step is about 2.6e-23): every record was at
     * distance 0 from every query, and a search found its own vector 0 times in 50.
     */
    @Test
    void searchesOverComponentsNear1e21FindTheirOwnVectors() {
        int dimensions = 16;
        java.util.Random random = new java.util.Random(7);
        List<float[]> vectors = new ArrayList<>();
        try (VectorIndex index = VectorIndex.builder().dimensions(dimensions).metric(Metric.L2)
                .quantization(Quantization.INT8).build()) {
            for (int i = 0; i < 2000; i++) {
                float[] vector = Datasets.gaussian(random, dimensions);
                for (int j = 0; j < dimensions; j++) {
                    vector[j] *= 1e-21f;
                }
                vectors.add(vector);
                index.add("r" + i, vector);
            }
            int found = 0;
            for (int i = 0; i < 2000; i += 40) {
                if (index.search(vectors.get(i), 1).getFirst().id().equals("r" + i)) {
                    found++;
                }
            }
            assertThat(found).as("searches of 50 stored vectors that return that vector first").isEqualTo(50);
        }
    }

    @Test
    void recordsWithSubnormalComponentsAreAcknowledgedAndTheStoreReopensAfterACrash() throws IOException {
        Path store = root.resolve("store");
        Path image = root.resolve("image");
        List<VectorRecord> records = new ArrayList<>();
        for (int i = 0; i < 1100; i++) { // past the 1,024 records at which the int8 range is learned
            records.add(new VectorRecord("r" + i, vector(i)));
        }
        VectorIndex index = VectorIndex.builder().dimensions(4).metric(Metric.L2).quantization(Quantization.INT8)
                .storage(store).build();
        Throwable addFailure;
        try {
            addFailure = catchThrowable(() -> index.addAll(records, 1));
            Files.createDirectories(image);
            try (Stream<Path> files = Files.list(store)) {
                for (Path file : files.toList()) {
                    Files.copy(file, image.resolve(file.getFileName())); // kill -9 now: the log holds every record
                }
            }
        } finally {
            try {
                index.close();
            } catch (RuntimeException ignored) {
                // what close does is not what this test is about
            }
        }
        assertThatCode(() -> VectorIndex.openReadOnly(image).close()).as("a read-only open of the crash image")
                .doesNotThrowAnyException();
        assertThatCode(() -> VectorIndex.open(image).close()).as("an open of the crash image").doesNotThrowAnyException();
        assertThat(addFailure).as("the add of valid vectors").isNull();
        try (VectorIndex reopened = VectorIndex.open(image)) {
            assertThat(reopened.size()).isEqualTo(records.size());
            for (int i = 0; i < records.size(); i++) {
                assertThat(reopened.get("r" + i)).as("record %d", i)
                        .hasValueSatisfying(r -> assertThat(r.vector()).containsExactly(records.get(Integer.parseInt(r.id().substring(1))).vector()));
            }
            assertThat(reopened.search(vector(3), 1)).isNotEmpty();
        }
    }
}
