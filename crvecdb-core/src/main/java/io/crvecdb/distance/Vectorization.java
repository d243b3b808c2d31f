package io.crvecdb.distance;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the kernels once, when this class initialises (Lucene's VectorizationProvider pattern).
 * The choice sits in a static final field, so the JIT sees one implementation and inlines it.
 *
 * <p>System property {@value #PROPERTY}: {@code auto} (default) uses the Vector API when the JVM was
 * started with {@code --add-modules jdk.incubator.vector} and runs the C2 compiler, the scalar
 * kernels otherwise; {@code scalar} forces the scalar kernels; {@code panama} requires the Vector
 * API and fails if it is missing.
 */
public final class Vectorization {

    /** The system property that selects the kernels. */
    public static final String PROPERTY = "crvecdb.vectorization";

    private static final System.Logger LOG = System.getLogger(Vectorization.class.getName());
    private static final VectorOps SCALAR = new ScalarVectorOps();
    private static final VectorOps ACTIVE = select(System.getProperty(PROPERTY, "auto"));

    private Vectorization() {
    }

    /** The kernels in use. */
    public static VectorOps ops() {
        return ACTIVE;
    }

    /** The scalar kernels, whatever is in use. */
    public static VectorOps scalar() {
        return SCALAR;
    }

    /** The Vector API kernels, if this JVM can run them. */
    public static Optional<VectorOps> panama() {
        return Optional.ofNullable(PanamaHolder.OPS);
    }

    /** Picks the kernels for a value of {@value #PROPERTY}. */
    static VectorOps select(String choice) {
        switch (choice.trim().toLowerCase(Locale.ROOT)) {
            case "scalar":
                LOG.log(System.Logger.Level.DEBUG, "crvecdb uses scalar vector kernels ({0}=scalar)", PROPERTY);
                return SCALAR;
            case "panama":
                return panama().orElseThrow(() -> new IllegalStateException(PROPERTY + "=panama, but the Vector API "
                        + "is unavailable: " + PanamaHolder.whyUnavailable + ". Start the JVM with --add-modules jdk.incubator.vector"));
            case "auto":
                if (PanamaHolder.OPS != null) {
                    LOG.log(System.Logger.Level.DEBUG, "crvecdb uses {0} vector kernels", PanamaHolder.OPS.name());
                    return PanamaHolder.OPS;
                }
                LOG.log(System.Logger.Level.WARNING, "crvecdb uses scalar vector kernels, several times slower: "
                        + PanamaHolder.whyUnavailable + ". Start the JVM with --add-modules jdk.incubator.vector");
                return SCALAR;
            default:
                throw new IllegalArgumentException("Unknown " + PROPERTY + " '" + choice + "': expected auto, scalar or panama");
        }
    }

    /** Loads the Vector API kernels lazily, so a JVM without the module never touches them. */
    private static final class PanamaHolder {
        private static String whyUnavailable = "";
        private static final VectorOps OPS = load();

        private static VectorOps load() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                whyUnavailable = "the module jdk.incubator.vector is not in the boot layer";
                return null;
            }
            if (vmOption("TieredStopAtLevel", "1")) {
                whyUnavailable = "the C2 compiler is off, and the Vector API is slow without it";
                return null;
            }
            try {
                return new PanamaVectorOps(vmOption("UseFMA", "true"));
            } catch (LinkageError | UnsupportedOperationException e) {
                whyUnavailable = "the Vector API could not start (" + e + ")";
                return null;
            }
        }

        private static boolean vmOption(String name, String expected) {
            try {
                var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                return bean != null && expected.equals(bean.getVMOption(name).getValue());
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                return false; // not HotSpot, or no such option
            }
        }
    }
}
