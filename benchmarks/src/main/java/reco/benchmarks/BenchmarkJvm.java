package reco.benchmarks;

/**
 * JVM flags every forked benchmark JVM gets through {@code @Fork(jvmArgsAppend = ...)}: the subset of
 * the parent pom's {@code reco.jvm.flags} that the measured code depends on. Annotation values must
 * be compile-time constants, so they are spelled out here; {@code ForkFlagsTest} fails the build
 * when one drifts from {@code reco.jvm.flags}.
 */
final class BenchmarkJvm {
    /** The SIMD kernels need the incubator module; without it only the scalar ones can run. */
    static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";
    /** Memory-mapped model files go through the FFM API. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** As served: the kernels check bounds once per call, so the per-load checks are switched off. */
    static final String NO_VECTOR_BOUNDS_CHECK = "-Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0";
    static final String NO_CHRONICLE_ANALYTICS = "-Dchronicle.analytics.disable=true";

    private BenchmarkJvm() {}

    /** Fails the trial loudly: a benchmark of a wrong result measures nothing. */
    static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("benchmark self-check failed: " + what);
        }
    }
}
