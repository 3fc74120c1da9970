package reco.benchmarks;

import reco.model.vector.VectorKernels;
import reco.model.vector.VectorUtil;

/** Resolves the {@code impl} benchmark parameter, so scalar and SIMD runs share one benchmark body. */
final class Kernels {
    private Kernels() {}

    static VectorKernels named(String impl) {
        return switch (impl) {
            case "scalar" -> VectorUtil.scalar();
            case "panama" -> VectorUtil.panama();
            default -> throw new IllegalArgumentException("impl must be scalar or panama, got '" + impl + "'");
        };
    }

    /** Exact dot product, the oracle the float kernels are checked against. */
    static double exactDot(float[] a, float[] b, int bOffset) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[bOffset + i];
        }
        return sum;
    }

    static double magnitude(float[] a, float[] b, int bOffset) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((double) a[i] * b[bOffset + i]);
        }
        return sum;
    }

    static void checkClose(double exact, double magnitude, float actual, String what) {
        BenchmarkJvm.check(Math.abs(exact - actual) <= 1e-5 * magnitude + 1e-30,
                what + ": expected " + exact + ", got " + actual);
    }
}
