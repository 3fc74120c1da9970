package reco.trainer.models.als;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** {@link AlsKernels} with the Vector API: two accumulators in the body, scalar tail. */
final class PanamaAlsKernels {
    private PanamaAlsKernels() {}

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    /**
     * Rotations by LANES/2, LANES/4, ..., 1 for {@link #sumLanes}. {@code reduceLanes(ADD)} leaves the order of
     * float additions to the implementation, and the intrinsic and the interpreter's fallback differ, so results
     * would change as the JIT warms up; a fixed tree of lane-wise adds is exact IEEE arithmetic everywhere.
     */
    private static final VectorShuffle<Float>[] HALVING_ROTATIONS = halvingRotations();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] halvingRotations() {
        int steps = Integer.numberOfTrailingZeros(LANES);
        VectorShuffle<Float>[] shuffles = new VectorShuffle[steps];
        for (int s = 0, shift = LANES / 2; s < steps; s++, shift /= 2) {
            shuffles[s] = VectorShuffle.iota(SPECIES, shift, 1, true);
        }
        return shuffles;
    }

    /** Sum of all lanes in a fixed order (see {@link #HALVING_ROTATIONS}). */
    private static float sumLanes(FloatVector v) {
        for (VectorShuffle<Float> rotation : HALVING_ROTATIONS) {
            v = v.add(v.rearrange(rotation));
        }
        return v.lane(0);
    }

    /** True when the preferred species is wider than one float (false on hardware without SIMD). */
    static boolean available() {
        return LANES >= 4;
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int k = 0;
        float sum = 0;
        if (n >= LANES) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = FloatVector.zero(SPECIES);
            for (; k + 2 * LANES <= n; k += 2 * LANES) {
                acc0 = FloatVector.fromArray(SPECIES, a, ao + k)
                        .fma(FloatVector.fromArray(SPECIES, b, bo + k), acc0);
                acc1 = FloatVector.fromArray(SPECIES, a, ao + k + LANES)
                        .fma(FloatVector.fromArray(SPECIES, b, bo + k + LANES), acc1);
            }
            for (; k + LANES <= n; k += LANES) {
                acc0 = FloatVector.fromArray(SPECIES, a, ao + k)
                        .fma(FloatVector.fromArray(SPECIES, b, bo + k), acc0);
            }
            sum = sumLanes(acc0.add(acc1));
        }
        for (; k < n; k++) {
            sum += a[ao + k] * b[bo + k];
        }
        return sum;
    }

    static void axpy(float s, float[] x, int xo, float[] y, int yo, int n) {
        int k = 0;
        if (n >= LANES) {
            FloatVector scale = FloatVector.broadcast(SPECIES, s);
            for (; k + LANES <= n; k += LANES) {
                FloatVector.fromArray(SPECIES, x, xo + k)
                        .fma(scale, FloatVector.fromArray(SPECIES, y, yo + k))
                        .intoArray(y, yo + k);
            }
        }
        for (; k < n; k++) {
            y[yo + k] += s * x[xo + k];
        }
    }

    /**
     * {@code out = m v + shift * v} for a symmetric n x n row-major m, computed as {@code sum_l v[l] * row_l(m)}
     * (valid by symmetry) with four register accumulators per block of columns: no horizontal reductions.
     */
    static void symmetricShiftedMatVec(float[] m, float shift, float[] v, float[] out, int n) {
        int c = 0;
        for (; c + 4 * LANES <= n; c += 4 * LANES) {
            FloatVector s = FloatVector.broadcast(SPECIES, shift);
            FloatVector acc0 = FloatVector.fromArray(SPECIES, v, c).mul(s);
            FloatVector acc1 = FloatVector.fromArray(SPECIES, v, c + LANES).mul(s);
            FloatVector acc2 = FloatVector.fromArray(SPECIES, v, c + 2 * LANES).mul(s);
            FloatVector acc3 = FloatVector.fromArray(SPECIES, v, c + 3 * LANES).mul(s);
            for (int l = 0, row = c; l < n; l++, row += n) {
                FloatVector vl = FloatVector.broadcast(SPECIES, v[l]);
                acc0 = FloatVector.fromArray(SPECIES, m, row).fma(vl, acc0);
                acc1 = FloatVector.fromArray(SPECIES, m, row + LANES).fma(vl, acc1);
                acc2 = FloatVector.fromArray(SPECIES, m, row + 2 * LANES).fma(vl, acc2);
                acc3 = FloatVector.fromArray(SPECIES, m, row + 3 * LANES).fma(vl, acc3);
            }
            acc0.intoArray(out, c);
            acc1.intoArray(out, c + LANES);
            acc2.intoArray(out, c + 2 * LANES);
            acc3.intoArray(out, c + 3 * LANES);
        }
        for (; c + LANES <= n; c += LANES) {
            FloatVector acc = FloatVector.fromArray(SPECIES, v, c).mul(shift);
            for (int l = 0, row = c; l < n; l++, row += n) {
                acc = FloatVector.fromArray(SPECIES, m, row).fma(FloatVector.broadcast(SPECIES, v[l]), acc);
            }
            acc.intoArray(out, c);
        }
        for (; c < n; c++) {
            float acc = shift * v[c];
            for (int l = 0, idx = c; l < n; l++, idx += n) {
                acc += m[idx] * v[l];
            }
            out[c] = acc;
        }
    }
}
