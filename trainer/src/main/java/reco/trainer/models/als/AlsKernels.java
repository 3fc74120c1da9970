package reco.trainer.models.als;

import reco.model.vector.VectorUtil;

/**
 * The float kernels of the ALS hot loop. A scalar and a {@code jdk.incubator.vector} implementation; which one
 * runs follows the project's one kernel selection ({@link VectorUtil#vectorApiActive()}, {@code -Dreco.vector}).
 * The choice is fixed for the JVM, so results never depend on thread count.
 */
final class AlsKernels {
    private AlsKernels() {}

    static final boolean VECTORIZED = VectorUtil.vectorApiActive() && PanamaAlsKernels.available();

    /** {@code sum a[ao + k] * b[bo + k]} for k in [0, n). */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        return VECTORIZED ? PanamaAlsKernels.dot(a, ao, b, bo, n) : scalarDot(a, ao, b, bo, n);
    }

    /** {@code y[yo + k] += s * x[xo + k]} for k in [0, n). */
    static void axpy(float s, float[] x, int xo, float[] y, int yo, int n) {
        if (VECTORIZED) {
            PanamaAlsKernels.axpy(s, x, xo, y, yo, n);
        } else {
            scalarAxpy(s, x, xo, y, yo, n);
        }
    }

    /**
     * {@code out = m v + shift * v} for a symmetric n x n row-major matrix m ({@code out} must not alias
     * {@code v}).
     */
    static void symmetricShiftedMatVec(float[] m, float shift, float[] v, float[] out, int n) {
        if (VECTORIZED) {
            PanamaAlsKernels.symmetricShiftedMatVec(m, shift, v, out, n);
            return;
        }
        for (int j = 0; j < n; j++) {
            out[j] = dot(m, j * n, v, 0, n) + shift * v[j];
        }
    }

    /** {@code p = r + beta * p}. */
    static void xpby(float[] r, float beta, float[] p, int n) {
        for (int k = 0; k < n; k++) {
            p[k] = r[k] + beta * p[k];
        }
    }

    static float scalarDot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += a[ao + k] * b[bo + k];
            s1 += a[ao + k + 1] * b[bo + k + 1];
            s2 += a[ao + k + 2] * b[bo + k + 2];
            s3 += a[ao + k + 3] * b[bo + k + 3];
        }
        for (; k < n; k++) {
            s0 += a[ao + k] * b[bo + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static void scalarAxpy(float s, float[] x, int xo, float[] y, int yo, int n) {
        for (int k = 0; k < n; k++) {
            y[yo + k] += s * x[xo + k];
        }
    }
}
