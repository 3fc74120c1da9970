package reco.model.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;

/**
 * Kernels on {@code jdk.incubator.vector} with the preferred species of the CPU (16 floats with
 * AVX-512, 8 with AVX2). Only {@link VectorUtil} loads this class, and only once it has checked that
 * the incubator module is in the boot layer: referring to it otherwise fails with
 * {@link NoClassDefFoundError}.
 *
 * <p>Loop shape (as in Lucene's Panama support): a body with four independent vector accumulators so
 * consecutive fused multiply-adds do not wait on each other, then single vectors, then a scalar tail
 * of fewer than {@code LANES} elements. A masked tail would save that scalar loop, but masked loads
 * are emulated and slow on CPUs without AVX-512 mask registers.
 */
final class PanamaVectorKernels extends VectorKernels {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /**
     * Vector {@code fma} compiles to one instruction only when the CPU has FMA; otherwise HotSpot
     * emulates it (very slowly), so multiply and add separately then.
     */
    static final boolean USE_FMA = hotSpotFlag("UseFMA");

    PanamaVectorKernels() {}

    /**
     * Rotations by LANES/2, ..., 1 for {@link #sumLanes}. {@code reduceLanes(ADD)} leaves the order of the
     * float additions to the implementation, and the JIT intrinsic and the interpreter's fallback differ, so
     * a score would change in its last bits as the JIT warms up (and a near tie could swap two items between
     * two identical requests). A fixed tree of lane-wise adds is the same IEEE arithmetic everywhere.
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
    static float sumLanes(FloatVector v) {
        for (VectorShuffle<Float> rotation : HALVING_ROTATIONS) {
            v = v.add(v.rearrange(rotation));
        }
        return v.lane(0);
    }

    @Override
    public int lanes() {
        return LANES;
    }

    @Override
    public String name() {
        return "panama(" + SPECIES.vectorBitSize() + "-bit, " + LANES + " lanes" + (USE_FMA ? ", fma" : "") + ")";
    }

    private static FloatVector multiplyAdd(FloatVector a, FloatVector b, FloatVector acc) {
        return USE_FMA ? a.fma(b, acc) : acc.add(a.mul(b));
    }

    @Override
    float dotUnchecked(float[] a, float[] b) {
        int n = a.length;
        int i = 0;
        float sum = 0;
        if (n >= LANES) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = FloatVector.zero(SPECIES);
            FloatVector acc2 = FloatVector.zero(SPECIES);
            FloatVector acc3 = FloatVector.zero(SPECIES);
            int unrolledBound = n - n % (4 * LANES);
            for (; i < unrolledBound; i += 4 * LANES) {
                acc0 = multiplyAdd(FloatVector.fromArray(SPECIES, a, i), FloatVector.fromArray(SPECIES, b, i), acc0);
                acc1 = multiplyAdd(FloatVector.fromArray(SPECIES, a, i + LANES),
                        FloatVector.fromArray(SPECIES, b, i + LANES), acc1);
                acc2 = multiplyAdd(FloatVector.fromArray(SPECIES, a, i + 2 * LANES),
                        FloatVector.fromArray(SPECIES, b, i + 2 * LANES), acc2);
                acc3 = multiplyAdd(FloatVector.fromArray(SPECIES, a, i + 3 * LANES),
                        FloatVector.fromArray(SPECIES, b, i + 3 * LANES), acc3);
            }
            int vectorBound = SPECIES.loopBound(n);
            for (; i < vectorBound; i += LANES) {
                acc0 = multiplyAdd(FloatVector.fromArray(SPECIES, a, i), FloatVector.fromArray(SPECIES, b, i), acc0);
            }
            sum = sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
        }
        for (; i < n; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @Override
    float dotRowUnchecked(float[] q, MemorySegment matrix, long rowByteOffset) {
        int n = q.length;
        int i = 0;
        float sum = 0;
        if (n >= LANES) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = FloatVector.zero(SPECIES);
            FloatVector acc2 = FloatVector.zero(SPECIES);
            FloatVector acc3 = FloatVector.zero(SPECIES);
            int unrolledBound = n - n % (4 * LANES);
            for (; i < unrolledBound; i += 4 * LANES) {
                long p = rowByteOffset + (long) i * Float.BYTES;
                acc0 = multiplyAdd(FloatVector.fromArray(SPECIES, q, i),
                        FloatVector.fromMemorySegment(SPECIES, matrix, p, LE), acc0);
                acc1 = multiplyAdd(FloatVector.fromArray(SPECIES, q, i + LANES),
                        FloatVector.fromMemorySegment(SPECIES, matrix, p + LANES * Float.BYTES, LE), acc1);
                acc2 = multiplyAdd(FloatVector.fromArray(SPECIES, q, i + 2 * LANES),
                        FloatVector.fromMemorySegment(SPECIES, matrix, p + 2 * LANES * Float.BYTES, LE), acc2);
                acc3 = multiplyAdd(FloatVector.fromArray(SPECIES, q, i + 3 * LANES),
                        FloatVector.fromMemorySegment(SPECIES, matrix, p + 3 * LANES * Float.BYTES, LE), acc3);
            }
            int vectorBound = SPECIES.loopBound(n);
            for (; i < vectorBound; i += LANES) {
                acc0 = multiplyAdd(FloatVector.fromArray(SPECIES, q, i),
                        FloatVector.fromMemorySegment(SPECIES, matrix, rowByteOffset + (long) i * Float.BYTES, LE), acc0);
            }
            sum = sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
        }
        for (long p = rowByteOffset + (long) i * Float.BYTES; i < n; i++, p += Float.BYTES) {
            sum += q[i] * matrix.get(FLOAT_LE, p);
        }
        return sum;
    }

    @Override
    float cosineUnchecked(float[] a, float[] b) {
        int n = a.length;
        int i = 0;
        float dot = 0, normA = 0, normB = 0;
        if (n >= LANES) {
            FloatVector dotAcc = FloatVector.zero(SPECIES);
            FloatVector normAAcc = FloatVector.zero(SPECIES);
            FloatVector normBAcc = FloatVector.zero(SPECIES);
            int vectorBound = SPECIES.loopBound(n);
            for (; i < vectorBound; i += LANES) {
                FloatVector va = FloatVector.fromArray(SPECIES, a, i);
                FloatVector vb = FloatVector.fromArray(SPECIES, b, i);
                dotAcc = multiplyAdd(va, vb, dotAcc);
                normAAcc = multiplyAdd(va, va, normAAcc);
                normBAcc = multiplyAdd(vb, vb, normBAcc);
            }
            dot = sumLanes(dotAcc);
            normA = sumLanes(normAAcc);
            normB = sumLanes(normBAcc);
        }
        for (; i < n; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return cosineFromSums(dot, normA, normB);
    }

    /** A boolean HotSpot flag, false when it cannot be read (another VM, no jdk.management). */
    private static boolean hotSpotFlag(String name) {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean != null && Boolean.parseBoolean(bean.getVMOption(name).getValue());
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
