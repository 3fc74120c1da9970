package reco.trainer.models.ease;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import reco.model.vector.VectorUtil;

/**
 * Dense double kernels over one row-major n x n array: dot products of two row segments, and a tiled
 * "rows times rows transposed" update {@code a[x][y] += sign * sum_k a[x][k] * a[y][k]}. Every step of
 * the SPD inverse is written in that row-dot-row form, so both operands stream contiguously.
 *
 * <p>A {@code jdk.incubator.vector} implementation and a scalar one; which one runs follows the project's one
 * kernel selection ({@link VectorUtil#vectorApiActive()}, {@code -Dreco.vector}); tests compare the two.
 */
final class DenseKernels {
    /** Depth chunk: 4 + 4 rows x 256 doubles = 16 KiB stay in L1 while a 4x4 block is computed. */
    static final int DEPTH_CHUNK = 256;

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    static final boolean VECTORIZED = VectorUtil.vectorApiActive() && SPECIES.length() >= 2;

    private DenseKernels() {}

    /**
     * Rotations by LANES/2, ..., 1 for {@link #sumLanes}. {@code reduceLanes(ADD)} leaves the order of the
     * additions to the implementation, and the JIT intrinsic and the interpreter's fallback differ, so the
     * inverse would change in its last bits as the JIT warms up (and with the thread count, which changes
     * when each tile runs). A fixed tree of lane-wise adds is the same IEEE arithmetic everywhere.
     */
    private static final VectorShuffle<Double>[] HALVING_ROTATIONS = halvingRotations();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Double>[] halvingRotations() {
        int lanes = SPECIES.length();
        int steps = Integer.numberOfTrailingZeros(lanes);
        VectorShuffle<Double>[] shuffles = new VectorShuffle[steps];
        for (int s = 0, shift = lanes / 2; s < steps; s++, shift /= 2) {
            shuffles[s] = VectorShuffle.iota(SPECIES, shift, 1, true);
        }
        return shuffles;
    }

    /** Sum of all lanes in a fixed order (see {@link #HALVING_ROTATIONS}). */
    static double sumLanes(DoubleVector v) {
        for (VectorShuffle<Double> rotation : HALVING_ROTATIONS) {
            v = v.add(v.rearrange(rotation));
        }
        return v.lane(0);
    }

    /** Sum of a[p + t] * a[q + t] for t in [0, length); 0 when length <= 0. */
    static double dot(double[] a, int p, int q, int length) {
        if (length <= 0) {
            return 0;
        }
        return VECTORIZED ? dotVector(a, p, q, length) : dotScalar(a, p, q, length);
    }

    static double dotScalar(double[] a, int p, int q, int length) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int t = 0;
        for (; t + 4 <= length; t += 4) {
            s0 += a[p + t] * a[q + t];
            s1 += a[p + t + 1] * a[q + t + 1];
            s2 += a[p + t + 2] * a[q + t + 2];
            s3 += a[p + t + 3] * a[q + t + 3];
        }
        for (; t < length; t++) {
            s0 += a[p + t] * a[q + t];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static double dotVector(double[] a, int p, int q, int length) {
        int step = SPECIES.length();
        int bound = SPECIES.loopBound(length);
        int t = 0;
        DoubleVector acc0 = DoubleVector.zero(SPECIES);
        DoubleVector acc1 = DoubleVector.zero(SPECIES);
        for (; t + 2 * step <= bound; t += 2 * step) {
            acc0 = DoubleVector.fromArray(SPECIES, a, p + t).fma(DoubleVector.fromArray(SPECIES, a, q + t), acc0);
            acc1 = DoubleVector.fromArray(SPECIES, a, p + t + step)
                    .fma(DoubleVector.fromArray(SPECIES, a, q + t + step), acc1);
        }
        for (; t < bound; t += step) {
            acc0 = DoubleVector.fromArray(SPECIES, a, p + t).fma(DoubleVector.fromArray(SPECIES, a, q + t), acc0);
        }
        double sum = sumLanes(acc0.add(acc1));
        for (; t < length; t++) {
            sum += a[p + t] * a[q + t];
        }
        return sum;
    }

    /**
     * For x in [x0, x1) and y in [y0, y1): {@code a[x*n + y] += sign * sum_{k in [k0, k1)} a[x*n + k] * a[y*n + k]}.
     * The caller guarantees that the written columns [y0, y1) of rows [x0, x1) are not among the
     * columns [k0, k1) read, so the result does not depend on the update order.
     */
    static void accumulateRowDots(double[] a, int n, int x0, int x1, int y0, int y1, int k0, int k1, double sign) {
        for (int kc = k0; kc < k1; kc += DEPTH_CHUNK) {
            int kEnd = Math.min(k1, kc + DEPTH_CHUNK);
            int x = x0;
            for (; x + 4 <= x1; x += 4) {
                int y = y0;
                for (; y + 4 <= y1; y += 4) {
                    if (VECTORIZED) {
                        block4x4Vector(a, n, x, y, kc, kEnd, sign);
                    } else {
                        block4x4Scalar(a, n, x, y, kc, kEnd, sign);
                    }
                }
                for (; y < y1; y++) {
                    for (int xx = x; xx < x + 4; xx++) {
                        a[xx * n + y] += sign * dot(a, xx * n + kc, y * n + kc, kEnd - kc);
                    }
                }
            }
            for (; x < x1; x++) {
                for (int y = y0; y < y1; y++) {
                    a[x * n + y] += sign * dot(a, x * n + kc, y * n + kc, kEnd - kc);
                }
            }
        }
    }

    private static void block4x4Scalar(double[] a, int n, int x, int y, int k0, int k1, double sign) {
        int len = k1 - k0;
        for (int r = 0; r < 4; r++) {
            int xr = (x + r) * n + k0;
            for (int c = 0; c < 4; c++) {
                a[(x + r) * n + y + c] += sign * dotScalar(a, xr, (y + c) * n + k0, len);
            }
        }
    }

    /**
     * 16 dot products at once: each loaded vector of a row is used 4 times, so the loop does 16 FMAs
     * per 8 loads, with the 16 accumulators and 8 operands held in registers (AVX-512 has 32).
     */
    private static void block4x4Vector(double[] a, int n, int x, int y, int k0, int k1, double sign) {
        int len = k1 - k0;
        int bound = SPECIES.loopBound(len);
        int pa0 = x * n + k0, pa1 = pa0 + n, pa2 = pa1 + n, pa3 = pa2 + n;
        int pb0 = y * n + k0, pb1 = pb0 + n, pb2 = pb1 + n, pb3 = pb2 + n;
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c02 = c00, c03 = c00;
        DoubleVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        DoubleVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        DoubleVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int t = 0; t < bound; t += SPECIES.length()) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, a, pb0 + t);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, a, pb1 + t);
            DoubleVector b2 = DoubleVector.fromArray(SPECIES, a, pb2 + t);
            DoubleVector b3 = DoubleVector.fromArray(SPECIES, a, pb3 + t);
            DoubleVector v = DoubleVector.fromArray(SPECIES, a, pa0 + t);
            c00 = v.fma(b0, c00); c01 = v.fma(b1, c01); c02 = v.fma(b2, c02); c03 = v.fma(b3, c03);
            v = DoubleVector.fromArray(SPECIES, a, pa1 + t);
            c10 = v.fma(b0, c10); c11 = v.fma(b1, c11); c12 = v.fma(b2, c12); c13 = v.fma(b3, c13);
            v = DoubleVector.fromArray(SPECIES, a, pa2 + t);
            c20 = v.fma(b0, c20); c21 = v.fma(b1, c21); c22 = v.fma(b2, c22); c23 = v.fma(b3, c23);
            v = DoubleVector.fromArray(SPECIES, a, pa3 + t);
            c30 = v.fma(b0, c30); c31 = v.fma(b1, c31); c32 = v.fma(b2, c32); c33 = v.fma(b3, c33);
        }
        double[] s = {
                sumLanes(c00), sumLanes(c01),
                sumLanes(c02), sumLanes(c03),
                sumLanes(c10), sumLanes(c11),
                sumLanes(c12), sumLanes(c13),
                sumLanes(c20), sumLanes(c21),
                sumLanes(c22), sumLanes(c23),
                sumLanes(c30), sumLanes(c31),
                sumLanes(c32), sumLanes(c33)};
        for (int r = 0; r < 4; r++) {
            int pr = (x + r) * n + k0;
            for (int c = 0; c < 4; c++) {
                double sum = s[r * 4 + c];
                int pc = (y + c) * n + k0;
                for (int t = bound; t < len; t++) {
                    sum += a[pr + t] * a[pc + t];
                }
                a[(x + r) * n + y + c] += sign * sum;
            }
        }
    }
}
