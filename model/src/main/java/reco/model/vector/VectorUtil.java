package reco.model.vector;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * The dense float kernels scoring runs on, behind one static facade. The implementation is chosen
 * once, when this class initialises, and never changes for the life of the JVM:
 *
 * <ul>
 *   <li>{@code -Dreco.vector=auto} (default): {@code jdk.incubator.vector} when the module is in the
 *       boot layer ({@code --add-modules jdk.incubator.vector}, which {@code bin/reco} and the tests
 *       pass), its preferred float species has at least 4 lanes and C2 is on; scalar otherwise.</li>
 *   <li>{@code -Dreco.vector=panama}: always the vector kernels; fails at start-up when the module is
 *       missing, rather than silently running several times slower.</li>
 *   <li>{@code -Dreco.vector=scalar}: always the plain loops (to rule the SIMD path out when
 *       diagnosing, or to compare).</li>
 * </ul>
 *
 * {@link #implementationName()} and {@link #selectionReason()} say what was chosen and why (for
 * model info and start-up logs); nothing here logs. Both implementations are also reachable
 * directly ({@link #scalar()}, {@link #panama()}) for tests and side-by-side benchmarks.
 */
public final class VectorUtil {
    /** System property forcing an implementation: {@code auto}, {@code scalar} or {@code panama}. */
    public static final String PROPERTY = "reco.vector";
    static final List<String> CHOICES = List.of("auto", "scalar", "panama");
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final int MIN_LANES = 4;

    /** Null when the incubator module is missing. */
    private static final VectorKernels PANAMA = vectorModulePresent() ? loadPanama() : null;
    private static final String PANAMA_UNAVAILABLE = panamaUnavailableReason();
    private static final Selection SELECTION = choose(System.getProperty(PROPERTY));
    private static final VectorKernels ACTIVE = SELECTION.kernels();

    private VectorUtil() {}

    record Selection(VectorKernels kernels, String reason) {}

    /**
     * Applies the {@value #PROPERTY} rules to {@code requested} (null means auto).
     *
     * @throws IllegalArgumentException for a value other than auto, scalar or panama
     * @throws IllegalStateException when panama is forced but the incubator module is missing
     */
    static Selection choose(String requested) {
        String choice = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
        switch (choice) {
            case "scalar":
                return new Selection(ScalarVectorKernels.INSTANCE, PROPERTY + "=scalar");
            case "panama":
                if (PANAMA == null) {
                    throw new IllegalStateException(PROPERTY + "=panama but " + PANAMA_UNAVAILABLE);
                }
                return new Selection(PANAMA, PROPERTY + "=panama"
                        + (PANAMA_UNAVAILABLE == null ? "" : " (forced although " + PANAMA_UNAVAILABLE + ")"));
            case "auto":
                return PANAMA_UNAVAILABLE == null
                        ? new Selection(PANAMA, "auto: " + VECTOR_MODULE + " present, " + PANAMA.lanes()
                                + " float lanes")
                        : new Selection(ScalarVectorKernels.INSTANCE, "auto: " + PANAMA_UNAVAILABLE);
            default:
                throw new IllegalArgumentException(PROPERTY + " must be one of " + CHOICES + ", got '" + requested + "'");
        }
    }

    /** Why the vector kernels should not be used here, or null when they should. */
    private static String panamaUnavailableReason() {
        if (PANAMA == null) {
            return VECTOR_MODULE + " is not in the boot layer (start the JVM with --add-modules " + VECTOR_MODULE + ")";
        }
        int lanes = PANAMA.lanes();
        if (lanes < MIN_LANES) {
            return "the preferred float vector has " + lanes + " lanes (fewer than " + MIN_LANES + ")";
        }
        // Without C2 the Vector API is interpreted object by object: far slower than scalar loops.
        if (System.getProperty("java.vm.info", "").contains("interpreted mode")) {
            return "the JIT compiler is off (-Xint)";
        }
        String stopLevel = vmOption("TieredStopAtLevel");
        if ("true".equals(vmOption("TieredCompilation")) && stopLevel != null && !stopLevel.equals("4")) {
            return "C2 is off (-XX:TieredStopAtLevel=" + stopLevel + ")";
        }
        return null;
    }

    private static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** Reflective, so that this class links without the incubator module. */
    private static VectorKernels loadPanama() {
        try {
            return (VectorKernels) Class.forName("reco.model.vector.PanamaVectorKernels")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the " + VECTOR_MODULE + " kernels", e);
        }
    }

    private static String vmOption(String name) {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean == null ? null : bean.getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- which implementation

    /** The kernels every static method below runs on. */
    public static VectorKernels active() {
        return ACTIVE;
    }

    /** Short name of the active kernels, e.g. {@code panama(512-bit, 16 lanes, fma)} or {@code scalar}. */
    public static String implementationName() {
        return ACTIVE.name();
    }

    /** Why the active kernels were chosen, e.g. {@code auto: jdk.incubator.vector present, 16 float lanes}. */
    public static String selectionReason() {
        return SELECTION.reason();
    }

    /**
     * True when the active kernels are the {@code jdk.incubator.vector} ones. This is the project's one
     * SIMD selection: other Vector API code (the trainer's ALS and EASE kernels) follows it instead of
     * choosing by itself, so {@value #PROPERTY} switches every kernel at once.
     */
    public static boolean vectorApiActive() {
        return ACTIVE != ScalarVectorKernels.INSTANCE;
    }

    /** The plain-Java kernels, whatever is active. */
    public static VectorKernels scalar() {
        return ScalarVectorKernels.INSTANCE;
    }

    /**
     * The {@code jdk.incubator.vector} kernels, whatever is active.
     *
     * @throws UnsupportedOperationException when the incubator module is not in the boot layer
     */
    public static VectorKernels panama() {
        if (PANAMA == null) {
            throw new UnsupportedOperationException(PANAMA_UNAVAILABLE);
        }
        return PANAMA;
    }

    /** True when {@link #panama()} can be called (the module is present; it need not be active). */
    public static boolean panamaAvailable() {
        return PANAMA != null;
    }

    // ---------------------------------------------------------------- kernels (see VectorKernels)

    /** Sum of {@code a[i] * b[i]}; the arrays must have the same length. */
    public static float dot(float[] a, float[] b) {
        return ACTIVE.dot(a, b);
    }

    /** Dot product of {@code q} with row {@code row} of a row-major float32 LE matrix of {@code q.length} columns. */
    public static float dot(float[] q, MemorySegment matrix, long row) {
        return ACTIVE.dot(q, matrix, row);
    }

    /** Writes {@code matrix · q} for rows {@code 0 .. rows-1} into {@code out} (length >= rows). */
    public static void scoreAll(float[] q, MemorySegment matrix, int rows, float[] out) {
        ACTIVE.scoreAll(q, matrix, rows, out);
    }

    /** Writes the scores of rows {@code fromRow .. fromRow+count-1} into {@code out[outOffset ..]}. */
    public static void scoreRange(float[] q, MemorySegment matrix, int fromRow, int count, float[] out, int outOffset) {
        ACTIVE.scoreRange(q, matrix, fromRow, count, out, outOffset);
    }

    /** Cosine similarity; 0 when either vector is zero. */
    public static float cosine(float[] a, float[] b) {
        return ACTIVE.cosine(a, b);
    }

    /**
     * Euclidean length, accumulated in double so that it neither overflows for large components nor
     * loses small ones (it is computed once per request, not per item).
     */
    public static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales {@code v} in place to unit length and returns its former length. A zero vector has no
     * direction: it is left unchanged and 0 is returned, so callers decide (an item without signal
     * should simply score 0).
     */
    public static double normalize(float[] v) {
        double norm = norm(v);
        if (norm == 0) {
            return 0;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / norm);
        }
        return norm;
    }
}
