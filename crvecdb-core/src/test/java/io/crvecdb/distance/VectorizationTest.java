package io.crvecdb.distance;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How {@link Vectorization} picks the kernels, and that only PanamaVectorOps depends on the Vector API. */
class VectorizationTest {

    private static final Supplier<Vectorization.Panama> AVAILABLE =
            () -> Vectorization.Panama.available(Vectorization.panama().orElseThrow());
    private static final Supplier<Vectorization.Panama> NO_MODULE = Vectorization.Panama::missingModule;
    private static final Supplier<Vectorization.Panama> NO_C2 =
            () -> Vectorization.Panama.unavailable("the C2 compiler is off (-XX:TieredStopAtLevel=1)");

    /** What select() logged, as "LEVEL: message". */
    private final CapturingLogger log = new CapturingLogger();

    @Test
    void theTestJvmUsesPanama() {
        // Surefire starts the tests with --add-modules jdk.incubator.vector and C2.
        assertThat(Vectorization.ops().name()).matches("panama\\((128|256|512)-bit\\)");
        assertThat(Vectorization.ops()).isSameAs(Vectorization.panama().orElseThrow());
        assertThat(Vectorization.ops().getClass().getSimpleName()).isEqualTo("PanamaVectorOps");
        assertThat(Vectorization.whyNoC2()).isNull();
        assertThat(Vectorization.scalar().name()).isEqualTo("scalar");
    }

    @Test
    void scalarIsSelectedWithoutLookingAtPanama() {
        Supplier<Vectorization.Panama> mustNotLoad = () -> {
            throw new AssertionError("scalar must not load the Vector API kernels");
        };
        assertThat(Vectorization.select("scalar", mustNotLoad, log)).isSameAs(Vectorization.scalar());
        assertThat(Vectorization.select(" Scalar ", mustNotLoad, log)).isSameAs(Vectorization.scalar());
    }

    @Test
    void autoIsTheDefaultAndPrefersPanama() {
        VectorOps panama = Vectorization.panama().orElseThrow();
        assertThat(Vectorization.select(null, AVAILABLE, log)).isSameAs(panama);
        assertThat(Vectorization.select("", AVAILABLE, log)).isSameAs(panama);
        assertThat(Vectorization.select("auto", AVAILABLE, log)).isSameAs(panama);
        assertThat(Vectorization.select("AUTO", AVAILABLE, log)).isSameAs(panama);
    }

    @Test
    void autoFallsBackToScalarWithOneWarningNamingTheFlag() {
        assertThat(Vectorization.select("auto", NO_MODULE, log)).isSameAs(Vectorization.scalar());
        assertThat(log.messages).singleElement().asString()
                .startsWith("WARNING:").contains("scalar").contains("--add-modules jdk.incubator.vector");
    }

    @Test
    void autoFallsBackToScalarWithoutC2() {
        assertThat(Vectorization.select(null, NO_C2, log)).isSameAs(Vectorization.scalar());
        assertThat(log.messages).singleElement().asString()
                .startsWith("WARNING:").contains("TieredStopAtLevel=1").doesNotContain("--add-modules");
    }

    @Test
    void theActiveKernelsAreLoggedWithoutWarning() {
        Vectorization.select("auto", AVAILABLE, log);
        Vectorization.select("scalar", AVAILABLE, log);
        assertThat(log.messages).hasSize(2).allMatch(m -> m.startsWith("DEBUG:"));
        assertThat(log.messages.get(0)).contains(Vectorization.panama().orElseThrow().name());
        assertThat(log.messages.get(1)).contains("scalar");
    }

    @Test
    void forcedPanamaFailsClearlyWhenUnavailable() {
        assertThat(Vectorization.select("panama", AVAILABLE, log)).isSameAs(Vectorization.panama().orElseThrow());
        assertThatThrownBy(() -> Vectorization.select("panama", NO_MODULE, log))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("crvecdb.vectorization=panama")
                .hasMessageContaining("--add-modules jdk.incubator.vector");
        assertThatThrownBy(() -> Vectorization.select("panama", NO_C2, log))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("C2")
                .hasMessageNotContaining("--add-modules"); // the flag would not help
    }

    @Test
    void unknownValuesAreRejected() {
        assertThatThrownBy(() -> Vectorization.select("gpu", AVAILABLE, log))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown crvecdb.vectorization 'gpu'");
    }

    @Test
    void loadingPanamaInThisJvmSucceeds() {
        Vectorization.Panama outcome = Vectorization.loadPanama();
        assertThat(outcome.whyNot()).isNull();
        assertThat(outcome.ops()).isNotNull();
    }

    /**
     * A JVM without the module must be able to load every class but PanamaVectorOps: none of them
     * may name a jdk.incubator.vector type in its constant pool.
     */
    @Test
    void onlyPanamaVectorOpsReferencesTheVectorApi() throws IOException, URISyntaxException {
        Path dir = Path.of(Vectorization.class.getResource("Vectorization.class").toURI()).getParent();
        List<Path> classes;
        try (Stream<Path> files = Files.list(dir)) {
            classes = files.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertThat(classes).extracting(p -> p.getFileName().toString())
                .contains("PanamaVectorOps.class", "Vectorization.class", "ScalarVectorOps.class", "VectorOps.class");
        for (Path file : classes) {
            boolean references = constantPool(file).contains("jdk/incubator/vector");
            boolean panama = file.getFileName().toString().startsWith("PanamaVectorOps");
            assertThat(references).as(file.getFileName().toString()).isEqualTo(panama);
        }
    }

    private static String constantPool(Path classFile) throws IOException {
        try (InputStream in = Files.newInputStream(classFile)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static final class CapturingLogger implements System.Logger {
        final List<String> messages = new ArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            messages.add(level + ": " + message);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            messages.add(level + ": " + (params == null || params.length == 0 ? format : MessageFormat.format(format, params)));
        }
    }
}
