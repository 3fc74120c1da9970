package reco.model.vector;

import java.lang.foreign.MemorySegment;

/**
 * Plain Java loops: the reference the SIMD kernels are tested against, and the fallback when the
 * incubator module is absent or forced off. Four independent accumulators let the CPU overlap the
 * additions (one accumulator would serialise on the add latency); C2 does not vectorise float
 * reductions itself because that would change the rounding.
 */
final class ScalarVectorKernels extends VectorKernels {
    static final ScalarVectorKernels INSTANCE = new ScalarVectorKernels();

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int lanes() {
        return 1;
    }

    @Override
    float dotUnchecked(float[] a, float[] b) {
        int n = a.length;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    float dotRowUnchecked(float[] q, MemorySegment matrix, long rowByteOffset) {
        int n = q.length;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        long p = rowByteOffset;
        int i = 0;
        for (; i + 3 < n; i += 4, p += 4 * Float.BYTES) {
            s0 += q[i] * matrix.get(FLOAT_LE, p);
            s1 += q[i + 1] * matrix.get(FLOAT_LE, p + Float.BYTES);
            s2 += q[i + 2] * matrix.get(FLOAT_LE, p + 2 * Float.BYTES);
            s3 += q[i + 3] * matrix.get(FLOAT_LE, p + 3 * Float.BYTES);
        }
        for (; i < n; i++, p += Float.BYTES) {
            s0 += q[i] * matrix.get(FLOAT_LE, p);
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    float cosineUnchecked(float[] a, float[] b) {
        float dot = 0, normA = 0, normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return cosineFromSums(dot, normA, normB);
    }
}
