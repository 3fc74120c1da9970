package reco.model.scoring;

import reco.model.format.ModelFile;

import java.lang.foreign.MemorySegment;

/** Dense float kernels used by scoring; dimensions are checked by callers once per request. */
public final class VectorMath {
    private VectorMath() {}

    /** Dot product of {@code q} with row {@code row} of a row-major matrix of {@code q.length} columns. */
    public static float dot(float[] q, MemorySegment matrix, long row) {
        int d = q.length;
        long base = row * d;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < d; i += 4) {
            s0 += q[i] * matrix.getAtIndex(ModelFile.FLOAT, base + i);
            s1 += q[i + 1] * matrix.getAtIndex(ModelFile.FLOAT, base + i + 1);
            s2 += q[i + 2] * matrix.getAtIndex(ModelFile.FLOAT, base + i + 2);
            s3 += q[i + 3] * matrix.getAtIndex(ModelFile.FLOAT, base + i + 3);
        }
        for (; i < d; i++) {
            s0 += q[i] * matrix.getAtIndex(ModelFile.FLOAT, base + i);
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Writes {@code matrix · q} for every row into {@code out} (length >= rows). */
    public static void scoreAll(float[] q, MemorySegment matrix, int rows, float[] out) {
        for (int r = 0; r < rows; r++) {
            out[r] = dot(q, matrix, r);
        }
    }
}
