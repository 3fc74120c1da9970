package reco.trainer.math;

import java.util.Arrays;

/**
 * Compressed sparse row matrix of floats: row r holds columns {@code indices[indptr[r] .. indptr[r+1])}
 * (ascending) with {@code values} at the same positions. Immutable once built.
 */
public final class CsrMatrix {
    public final int rows;
    public final int cols;
    public final int[] indptr;
    public final int[] indices;
    public final float[] values;

    public CsrMatrix(int rows, int cols, int[] indptr, int[] indices, float[] values) {
        if (indptr.length != rows + 1) {
            throw new IllegalArgumentException("indptr length " + indptr.length + " != rows + 1 = " + (rows + 1));
        }
        if (indices.length != values.length || indptr[rows] != indices.length) {
            throw new IllegalArgumentException("indices/values/indptr disagree on nnz");
        }
        this.rows = rows;
        this.cols = cols;
        this.indptr = indptr;
        this.indices = indices;
        this.values = values;
    }

    public int nnz() { return indices.length; }
    public int rowStart(int r) { return indptr[r]; }
    public int rowEnd(int r) { return indptr[r + 1]; }
    public int rowLength(int r) { return indptr[r + 1] - indptr[r]; }

    /**
     * Builds a matrix from coordinates; entries with the same (row, col) are combined with
     * {@code combine} (sum when {@code sumDuplicates}, else the last one wins). Columns in each row
     * come out ascending.
     */
    public static CsrMatrix fromCoordinates(int rows, int cols, int[] r, int[] c, float[] v, int n, boolean sumDuplicates) {
        int[] counts = new int[rows + 1];
        for (int k = 0; k < n; k++) {
            counts[r[k] + 1]++;
        }
        for (int i = 0; i < rows; i++) {
            counts[i + 1] += counts[i];
        }
        int[] pos = Arrays.copyOf(counts, rows);
        int[] idx = new int[n];
        float[] val = new float[n];
        for (int k = 0; k < n; k++) {
            int p = pos[r[k]]++;
            idx[p] = c[k];
            val[p] = v[k];
        }
        // sort each row by column (then input order), then merge duplicates
        int[] outPtr = new int[rows + 1];
        int w = 0;
        for (int row = 0; row < rows; row++) {
            int s = counts[row], e = counts[row + 1];
            sortRow(idx, val, s, e);
            int rowStart = w;
            for (int k = s; k < e; k++) {
                if (w > rowStart && idx[w - 1] == idx[k]) {
                    val[w - 1] = sumDuplicates ? val[w - 1] + val[k] : val[k];
                } else {
                    idx[w] = idx[k];
                    val[w] = val[k];
                    w++;
                }
            }
            outPtr[row + 1] = w;
        }
        return new CsrMatrix(rows, cols, outPtr, Arrays.copyOf(idx, w), Arrays.copyOf(val, w));
    }

    /**
     * Sorts one row by column. Entries were placed in input order, so sorting (column, position)
     * keys keeps equal columns in input order and "last wins" stays well defined.
     */
    private static void sortRow(int[] idx, float[] val, int s, int e) {
        int len = e - s;
        boolean sorted = true;
        for (int k = s + 1; k < e && sorted; k++) {
            sorted = idx[k - 1] < idx[k];
        }
        if (sorted) {
            return;
        }
        long[] keys = new long[len];
        for (int k = 0; k < len; k++) {
            keys[k] = ((long) idx[s + k] << 32) | k;
        }
        Arrays.sort(keys);
        float[] vals = Arrays.copyOfRange(val, s, e);
        for (int k = 0; k < len; k++) {
            idx[s + k] = (int) (keys[k] >>> 32);
            val[s + k] = vals[(int) keys[k]];
        }
    }

    /** The transpose (columns become rows), columns ascending in each row. */
    public CsrMatrix transpose() {
        int[] counts = new int[cols + 1];
        for (int k = 0; k < indices.length; k++) {
            counts[indices[k] + 1]++;
        }
        for (int i = 0; i < cols; i++) {
            counts[i + 1] += counts[i];
        }
        int[] pos = Arrays.copyOf(counts, cols);
        int[] idx = new int[indices.length];
        float[] val = new float[indices.length];
        for (int r = 0; r < rows; r++) {
            for (int k = indptr[r]; k < indptr[r + 1]; k++) {
                int p = pos[indices[k]]++;
                idx[p] = r;
                val[p] = values[k];
            }
        }
        return new CsrMatrix(cols, rows, counts, idx, val);
    }

    /** A copy with every value replaced by {@code f(value)}. */
    public CsrMatrix mapValues(java.util.function.DoubleUnaryOperator f) {
        float[] v = new float[values.length];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) f.applyAsDouble(values[k]);
        }
        return new CsrMatrix(rows, cols, indptr, indices, v);
    }
}
