package reco.model.als;

import java.util.Arrays;
import java.util.Objects;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealVector;
import reco.model.vectors.FloatRows;

/**
 * Builds a user vector from a list of (item, strength) pairs against fixed item factors, without retraining:
 * one exact ALS user step. Solves, with Y the item factors and only the user's items contributing to the
 * sums (all other items have c = 1, p = 0 and are covered by the Gram matrix YtY):
 *
 * <pre>
 *   (YtY + Yt (C_u - I) Y + lambda_u I) x_u = Yt C_u p_u
 *   i.e. (YtY + sum_i (c_ui - 1) y_i y_i^T + lambda_u I) x_u = sum_i c_ui y_i
 * </pre>
 *
 * by Cholesky decomposition, in double precision. This is the same equation as the trainer's user step (see
 * {@link AlsObjective}), so folding in a training user's own items reproduces their trained vector up to the
 * trainer's solver tolerance. Cost: O(n d^2 + d^3) for n items and d dimensions; about 0.1 ms for d = 64.
 *
 * <p>Thread-safe: instances hold only immutable state and allocate their scratch per call.
 */
public final class AlsFoldIn {
    private final FloatRows itemFactors;
    private final double[] itemGram;
    private final AlsObjective objective;

    /**
     * @param itemFactors the trained item factors Y (items x d)
     * @param itemGram YtY, d x d row-major, as computed by {@link #gram(FloatRows)} (not copied)
     * @param objective the loss the factors were trained with (lambda, alpha, confidence function, nu)
     */
    public AlsFoldIn(FloatRows itemFactors, double[] itemGram, AlsObjective objective) {
        this.itemFactors = Objects.requireNonNull(itemFactors, "itemFactors");
        this.itemGram = Objects.requireNonNull(itemGram, "itemGram");
        this.objective = Objects.requireNonNull(objective, "objective");
        int d = itemFactors.dimensions();
        if (itemGram.length != d * d) {
            throw new IllegalArgumentException(
                    "itemGram has " + itemGram.length + " entries, expected dimensions^2 = " + d * d);
        }
    }

    public int dimensions() {
        return itemFactors.dimensions();
    }

    /**
     * The user vector for the given interactions. Repeated items are merged by summing their strengths (the
     * trainer's input is aggregated the same way). An empty list gives the zero vector.
     *
     * @param items item indexes in {@code [0, itemFactors.rows())}
     * @param strengths raw strengths r &gt; 0 (before confidence weighting), parallel to {@code items}
     * @throws IllegalArgumentException for mismatched lengths, unknown items or non-positive/non-finite strengths
     */
    public float[] foldIn(int[] items, float[] strengths) {
        if (items.length != strengths.length) {
            throw new IllegalArgumentException(
                    "items (" + items.length + ") and strengths (" + strengths.length + ") differ in length");
        }
        int itemCount = itemFactors.rows();
        for (int k = 0; k < items.length; k++) {
            if (items[k] < 0 || items[k] >= itemCount) {
                throw new IllegalArgumentException(
                        "item index " + items[k] + " at position " + k + " is not in [0, " + itemCount + ")");
            }
            if (!(strengths[k] > 0) || !Float.isFinite(strengths[k])) {
                throw new IllegalArgumentException(
                        "strength " + strengths[k] + " at position " + k + " must be finite and > 0");
            }
        }
        int[] mergedItems = items.clone();
        float[] mergedStrengths = strengths.clone();
        int n = mergeDuplicates(mergedItems, mergedStrengths);
        float[] out = new float[dimensions()];
        solveExactly(itemFactors, itemGram, objective, mergedItems, mergedStrengths, 0, n, out, 0);
        return out;
    }

    /** Sorts by item and sums strengths of equal items in place; returns the number of distinct items. */
    private static int mergeDuplicates(int[] items, float[] strengths) {
        long[] keyed = new long[items.length];
        for (int k = 0; k < items.length; k++) {
            keyed[k] = ((long) items[k] << 32) | k;
        }
        Arrays.sort(keyed);
        float[] original = strengths.clone();
        int w = 0;
        for (long key : keyed) {
            int item = (int) (key >>> 32);
            float strength = original[(int) key];
            if (w > 0 && items[w - 1] == item) {
                strengths[w - 1] += strength;
            } else {
                items[w] = item;
                strengths[w] = strength;
                w++;
            }
        }
        return w;
    }

    /**
     * One exact ALS row solve against fixed factors (the trainer's Cholesky reference uses this for both sides):
     * solves {@code (G + sum_k (c_k - 1) y_k y_k^T + lambda_n I) x = sum_k c_k y_k} over
     * {@code k in [from, to)}, where {@code y_k = fixedFactors.row(indices[k])}, {@code c_k - 1 =
     * objective.confidenceWeight(strengths[k])} and {@code n = to - from}; writes x to
     * {@code out[outOffset .. outOffset + d)}. Indices must be distinct and strengths valid (not checked here).
     *
     * @throws IllegalStateException if the system is not numerically positive definite (non-finite inputs)
     */
    public static void solveExactly(FloatRows fixedFactors, double[] gram, AlsObjective objective,
            int[] indices, float[] strengths, int from, int to, float[] out, int outOffset) {
        int d = fixedFactors.dimensions();
        double lambda = objective.regularizationFor(to - from);
        double[][] a = new double[d][d];
        for (int j = 0; j < d; j++) {
            System.arraycopy(gram, j * d, a[j], 0, d);
            a[j][j] += lambda;
        }
        double[] b = new double[d];
        float[] y = new float[d];
        for (int k = from; k < to; k++) {
            fixedFactors.copyRow(indices[k], y);
            // the trainer stores c - 1 as a float; round the same way so both solve the very same system
            double weight = (float) objective.confidenceWeight(strengths[k]);
            double confidence = 1 + weight;
            for (int j = 0; j < d; j++) {
                double wyj = weight * y[j];
                double[] aj = a[j];
                for (int l = j; l < d; l++) {
                    aj[l] += wyj * y[l];
                }
                b[j] += confidence * y[j];
            }
        }
        for (int j = 0; j < d; j++) {
            for (int l = j + 1; l < d; l++) {
                a[l][j] = a[j][l]; // exact symmetry: Commons Math checks it
            }
        }
        RealVector x;
        try {
            x = new CholeskyDecomposition(new Array2DRowRealMatrix(a, false))
                    .getSolver()
                    .solve(new ArrayRealVector(b, false));
        } catch (NonPositiveDefiniteMatrixException e) {
            throw new IllegalStateException(
                    "ALS system is not positive definite (non-finite or extreme factors or confidences?)", e);
        }
        for (int j = 0; j < d; j++) {
            out[outOffset + j] = (float) x.getEntry(j);
        }
    }

    /**
     * The Gram matrix {@code YtY} of {@code rows} (d x d, row-major, symmetric), accumulated in double. The
     * trainer stores it with the item factors so fold-in needs no pass over all items.
     */
    public static double[] gram(FloatRows rows) {
        int d = rows.dimensions();
        double[] g = new double[d * d];
        float[] y = new float[d];
        for (int r = 0; r < rows.rows(); r++) {
            rows.copyRow(r, y);
            for (int j = 0; j < d; j++) {
                double yj = y[j];
                int base = j * d;
                for (int l = j; l < d; l++) {
                    g[base + l] += yj * y[l];
                }
            }
        }
        for (int j = 0; j < d; j++) {
            for (int l = j + 1; l < d; l++) {
                g[l * d + j] = g[j * d + l];
            }
        }
        return g;
    }
}
