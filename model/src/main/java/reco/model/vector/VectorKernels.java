package reco.model.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One implementation of the dense float kernels scoring runs on. The public methods check their
 * arguments (array lengths, row ranges against the segment size) once per call and then run an
 * unchecked loop: with {@code -Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0} in the JVM flags a
 * bad index would otherwise read past an array instead of throwing.
 *
 * <p>Matrices are float32 row-major little-endian {@link MemorySegment}s of {@code q.length}
 * columns, as {@code reco.model.generation.EmbeddingMatrix#vectors()} maps them. Obtain instances
 * from {@link VectorUtil#active()}, {@link VectorUtil#scalar()} or {@link VectorUtil#panama()};
 * everyday code calls the static methods of {@link VectorUtil} instead.
 */
public abstract class VectorKernels {
    /** Little-endian float without an alignment requirement (heap segments over byte[] qualify too). */
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    VectorKernels() {} // only this package's implementations

    /** Short name for logs and model info: {@code scalar} or {@code panama(<bits>-bit, <lanes> lanes)}. */
    public abstract String name();

    /** Floats processed per instruction: 1 for scalar, the species length for the vector kernels. */
    public abstract int lanes();

    /** Sum of {@code a[i] * b[i]}; both arrays must have the same length. */
    public final float dot(float[] a, float[] b) {
        checkSameLength(a, b);
        return dotUnchecked(a, b);
    }

    /** Dot product of {@code q} with row {@code row} of {@code matrix} ({@code q.length} columns). */
    public final float dot(float[] q, MemorySegment matrix, long row) {
        int d = q.length;
        if (row < 0 || (row + 1) * d * (long) Float.BYTES > matrix.byteSize()) {
            throw new IllegalArgumentException("row must be in [0, " + matrix.byteSize() / Float.BYTES / Math.max(1, d)
                    + ") for a matrix of " + matrix.byteSize() + " bytes and " + d + " columns, got " + row);
        }
        return dotRowUnchecked(q, matrix, row * d * (long) Float.BYTES);
    }

    /**
     * Writes the dot product of {@code q} with rows {@code fromRow .. fromRow + count - 1} into
     * {@code out[outOffset ..]}.
     */
    public final void scoreRange(float[] q, MemorySegment matrix, int fromRow, int count, float[] out, int outOffset) {
        checkRows(q, matrix, fromRow, count);
        if (outOffset < 0 || (long) outOffset + count > out.length) {
            throw new IllegalArgumentException("out has length " + out.length + ", needs room for " + count
                    + " scores at offset " + outOffset);
        }
        scoreRangeUnchecked(q, matrix, fromRow, count, out, outOffset);
    }

    /** Writes {@code matrix · q} for rows {@code 0 .. rows-1} into {@code out[0 .. rows-1]}. */
    public final void scoreAll(float[] q, MemorySegment matrix, int rows, float[] out) {
        scoreRange(q, matrix, 0, rows, out, 0);
    }

    /**
     * Cosine similarity {@code a·b / (|a| |b|)}, computed in one pass; 0 when either vector is zero
     * (no direction, so no similarity) rather than NaN.
     */
    public final float cosine(float[] a, float[] b) {
        checkSameLength(a, b);
        return cosineUnchecked(a, b);
    }

    abstract float dotUnchecked(float[] a, float[] b);

    /** {@code rowByteOffset} is the byte offset of the row's first float. */
    abstract float dotRowUnchecked(float[] q, MemorySegment matrix, long rowByteOffset);

    void scoreRangeUnchecked(float[] q, MemorySegment matrix, int fromRow, int count, float[] out, int outOffset) {
        long rowBytes = (long) q.length * Float.BYTES;
        long offset = fromRow * rowBytes;
        for (int r = 0; r < count; r++, offset += rowBytes) {
            out[outOffset + r] = dotRowUnchecked(q, matrix, offset);
        }
    }

    abstract float cosineUnchecked(float[] a, float[] b);

    static float cosineFromSums(double dot, double normA, double normB) {
        double denominator = Math.sqrt(normA * normB);
        return denominator == 0 ? 0f : (float) (dot / denominator);
    }

    private static void checkSameLength(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vector dimensions differ: " + a.length + " != " + b.length);
        }
    }

    private static void checkRows(float[] q, MemorySegment matrix, int fromRow, int count) {
        long rowBytes = (long) q.length * Float.BYTES;
        if (fromRow < 0 || count < 0 || (fromRow + (long) count) * rowBytes > matrix.byteSize()) {
            throw new IllegalArgumentException("rows [" + fromRow + ", " + (fromRow + (long) count)
                    + ") must lie in [0, " + (rowBytes == 0 ? 0 : matrix.byteSize() / rowBytes) + ") for a matrix of "
                    + matrix.byteSize() + " bytes and " + q.length + " columns");
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
