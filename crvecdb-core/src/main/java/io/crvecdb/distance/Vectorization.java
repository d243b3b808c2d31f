package io.crvecdb.distance;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Chooses the distance kernels once, when this class initialises (Lucene's VectorizationProvider
 * pattern). The choice sits in a static final field, so C2 treats it as a constant, sees a single
 * implementation and inlines it into the graph code.
 *
 * <p>System property {@value #PROPERTY}:
 * <ul>
 *   <li>{@code auto} (default): the Vector API kernels when the JVM has the module
 *       {@code jdk.incubator.vector} ({@code --add-modules jdk.incubator.vector}), preferred vectors
 *       of 128 bits or more and the C2 compiler; the scalar kernels otherwise, with one warning.</li>
 *   <li>{@code scalar}: the scalar kernels.</li>
 *   <li>{@code panama}: the Vector API kernels, or an {@link IllegalStateException} saying why not.</li>
 * </ul>
 */
public final class Vectorization {

    /** The system property that selects the kernels. */
    public static final String PROPERTY = "crvecdb.vectorization";

    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final String ADD_MODULES_FLAG = "--add-modules " + VECTOR_MODULE;

    // Declared before ACTIVE, whose initializer uses them.
    private static final System.Logger LOG = System.getLogger(Vectorization.class.getName());
    private static final VectorOps SCALAR = new ScalarVectorOps();
    // Class initialisation runs once, so the choice is made, and logged, once per JVM.
    private static final VectorOps ACTIVE = select(System.getProperty(PROPERTY), () -> PanamaHolder.PANAMA, LOG);

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

    /** The Vector API kernels, empty when this JVM cannot run them (module absent, no C2, narrow vectors). */
    public static Optional<VectorOps> panama() {
        return Optional.ofNullable(PanamaHolder.PANAMA.ops());
    }

    /**
     * The outcome of loading the Vector API kernels: {@code ops}, or null and the reason.
     * {@code moduleMissing} says whether the reason is the missing module, which a flag fixes.
     */
    record Panama(VectorOps ops, String whyNot, boolean moduleMissing) {

        static Panama available(VectorOps ops) {
            return new Panama(ops, null, false);
        }

        static Panama unavailable(String why) {
            return new Panama(null, why, false);
        }

        static Panama missingModule() {
            return new Panama(null, "the module " + VECTOR_MODULE + " is not in the boot layer", true);
        }

        /** Why the kernels are off, and what to do about it if anything. */
        String explanation() {
            return moduleMissing ? whyNot + "; start the JVM with " + ADD_MODULES_FLAG : whyNot;
        }
    }

    /**
     * The kernels for a value of {@value #PROPERTY} (null or blank means {@code auto}). The Panama
     * outcome is a supplier so that {@code scalar} never loads the Vector API classes; the logger is
     * a parameter so tests can see what would be logged.
     */
    static VectorOps select(String property, Supplier<Panama> panama, System.Logger log) {
        String choice = property == null || property.isBlank() ? "auto" : property.strip().toLowerCase(Locale.ROOT);
        return switch (choice) {
            case "scalar" -> {
                log.log(System.Logger.Level.DEBUG, "crvecdb distance kernels: scalar ({0}=scalar)", PROPERTY);
                yield SCALAR;
            }
            case "panama" -> {
                Panama outcome = panama.get();
                if (outcome.ops() == null) {
                    throw new IllegalStateException(PROPERTY + "=panama, but the Vector API kernels are unavailable: "
                            + outcome.explanation());
                }
                logActive(log, outcome.ops());
                yield outcome.ops();
            }
            case "auto" -> {
                Panama outcome = panama.get();
                if (outcome.ops() != null) {
                    logActive(log, outcome.ops());
                    yield outcome.ops();
                }
                log.log(System.Logger.Level.WARNING, "crvecdb distance kernels: scalar, several times slower than "
                        + "the Vector API ones, because " + outcome.explanation());
                yield SCALAR;
            }
            default -> throw new IllegalArgumentException("Unknown " + PROPERTY + " '" + property
                    + "': expected auto, scalar or panama");
        };
    }

    private static void logActive(System.Logger log, VectorOps ops) {
        log.log(System.Logger.Level.DEBUG, "crvecdb distance kernels: {0}{1}", ops.name(),
                fmaIsFast() ? ", FMA" : ", no FMA (multiply then add)");
    }

    /** Loads the Vector API kernels on first use only, so {@code scalar} never touches them. */
    private static final class PanamaHolder {
        static final Panama PANAMA = loadPanama();
    }

    static Panama loadPanama() {
        Optional<Module> module = ModuleLayer.boot().findModule(VECTOR_MODULE);
        if (module.isEmpty()) {
            return Panama.missingModule();
        }
        // A no-op while crvecdb runs on the class path; needed once it is a named module.
        Vectorization.class.getModule().addReads(module.get());
        String noC2 = whyNoC2();
        if (noC2 != null) {
            return Panama.unavailable(noC2);
        }
        try {
            // By name, so no constant pool outside PanamaVectorOps mentions the Vector API.
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> type = lookup.findClass(Vectorization.class.getPackageName() + ".PanamaVectorOps");
            MethodHandle constructor = lookup.findConstructor(type, MethodType.methodType(void.class));
            return Panama.available((VectorOps) constructor.invoke());
        } catch (UnsupportedOperationException | LinkageError e) {
            return Panama.unavailable("the Vector API did not start: " + e);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("PanamaVectorOps is missing from crvecdb-core or has no no-arg constructor", e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Why this JVM has no C2 compiler, or null if it has one: without C2 the Vector API is not intrinsified and crawls. */
    static String whyNoC2() {
        String info = System.getProperty("java.vm.info", "");
        if (info.contains("interpreted mode")) {
            return "the JVM runs interpreted (-Xint), and the Vector API is slow without the C2 compiler";
        }
        if (info.contains("emulated-client")) {
            return "the C2 compiler is off (-XX:TieredStopAtLevel=1), and the Vector API is slow without it";
        }
        // Levels 0, 2 and 3 also stop short of C2 but do not show in java.vm.info.
        if (vmOption("TieredCompilation").map(Boolean::parseBoolean).orElse(false)) {
            int level = vmOption("TieredStopAtLevel").map(Integer::parseInt).orElse(4);
            if (level < 4) {
                return "the C2 compiler is off (-XX:TieredStopAtLevel=" + level + "), and the Vector API is slow without it";
            }
        }
        return null;
    }

    /** Whether {@code FloatVector.fma} is one instruction; without hardware FMA it is emulated, very slowly. */
    static boolean fmaIsFast() {
        return vmOption("UseFMA").map(Boolean::parseBoolean).orElse(false);
    }

    /** A HotSpot VM option's value; empty on other VMs or without the jdk.management module. */
    private static Optional<String> vmOption(String name) {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean == null ? Optional.empty() : Optional.of(bean.getVMOption(name).getValue());
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty(); // no such option, not HotSpot, or the management modules are absent
        }
    }
}
