package reco.model.als;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealVector;
import reco.model.vectors.FloatRows;

import java.util.Arrays;

/**
 * Why implicit ALS scores an item for a user (Hu, Koren &amp; Volinsky 2008, section 5): the user
 * vector of a fold-in is {@code x_u = W_u sum_i c_ui y_i} with the user-specific weight matrix
 *
 * <pre>
 *   W_u = (Y^T C_u Y + lambda_u I)^-1 = (YtY + sum_i (c_ui - 1) y_i y_i^T + lambda_u I)^-1
 * </pre>
 *
 * so the score of item j is a sum over the user's items, {@code y_j^T x_u = sum_i c_ui s_ij} with
 * {@code s_ij = y_j^T W_u y_i}: item i contributes {@code c_ui s_ij}. The system is the one
 * {@link AlsFoldIn} solves (same confidence rounding), so the contributions sum to the folded-in
 * score. One Cholesky factorisation per user, one solve per explained item.
 */
public final class AlsExplanation {
    private final FloatRows itemFactors;
    private final int[] items;
    private final double[] confidences;
    private final DecompositionSolver weightMatrix;

    private AlsExplanation(FloatRows itemFactors, int[] items, double[] confidences, DecompositionSolver weightMatrix) {
        this.itemFactors = itemFactors;
        this.items = items;
        this.confidences = confidences;
        this.weightMatrix = weightMatrix;
    }

    /**
     * Factorises {@code W_u^-1} for a user with the given interactions. Repeated items are merged by
     * summing their strengths, as {@link AlsFoldIn#foldIn} does.
     *
     * @param strengths raw strengths &gt; 0, parallel to {@code items}
     * @throws IllegalArgumentException for an empty list, mismatched lengths, unknown items or bad strengths
     */
    public static AlsExplanation prepare(FloatRows itemFactors, double[] gram, AlsObjective objective,
                                         int[] items, float[] strengths) {
        if (items.length == 0 || items.length != strengths.length) {
            throw new IllegalArgumentException("items (" + items.length + ") and strengths (" + strengths.length
                    + ") must be non-empty and of equal length");
        }
        java.util.TreeMap<Integer, Float> merged = new java.util.TreeMap<>();
        for (int k = 0; k < items.length; k++) {
            if (items[k] < 0 || items[k] >= itemFactors.rows()) {
                throw new IllegalArgumentException("item index " + items[k] + " is not in [0, " + itemFactors.rows() + ")");
            }
            if (!(strengths[k] > 0) || !Float.isFinite(strengths[k])) {
                throw new IllegalArgumentException("strength " + strengths[k] + " at position " + k + " must be finite and > 0");
            }
            merged.merge(items[k], strengths[k], Float::sum);
        }
        int n = merged.size();
        int[] distinct = new int[n];
        double[] confidences = new double[n];
        int d = itemFactors.dimensions();
        double[][] a = new double[d][d];
        for (int j = 0; j < d; j++) {
            System.arraycopy(gram, j * d, a[j], 0, d);
            a[j][j] += objective.regularizationFor(n);
        }
        float[] y = new float[d];
        int k = 0;
        for (var e : merged.entrySet()) {
            distinct[k] = e.getKey();
            // the trainer stores c - 1 as a float: round the same way as AlsFoldIn.solveExactly
            double weight = (float) objective.confidenceWeight(e.getValue());
            confidences[k] = 1 + weight;
            itemFactors.copyRow(distinct[k], y);
            for (int j = 0; j < d; j++) {
                for (int l = 0; l < d; l++) {
                    a[j][l] += weight * y[j] * y[l];
                }
            }
            k++;
        }
        for (int j = 0; j < d; j++) {
            for (int l = j + 1; l < d; l++) {
                a[l][j] = a[j][l]; // exact symmetry: Commons Math checks it
            }
        }
        try {
            DecompositionSolver solver = new CholeskyDecomposition(new Array2DRowRealMatrix(a, false)).getSolver();
            return new AlsExplanation(itemFactors, distinct, confidences, solver);
        } catch (NonPositiveDefiniteMatrixException e) {
            throw new IllegalStateException("ALS system is not positive definite (non-finite factors or confidences?)", e);
        }
    }

    /** The user's distinct items, ascending. */
    public int[] items() {
        return items.clone();
    }

    /** {@code c_ui} of the k-th item of {@link #items()}. */
    public double confidence(int k) {
        return confidences[k];
    }

    /** {@code s_ij = y_j^T W_u y_i} for every item i of {@link #items()}, with j = {@code target}. */
    public double[] similarities(int target) {
        int d = itemFactors.dimensions();
        float[] y = new float[d];
        itemFactors.copyRow(target, y);
        double[] yj = new double[d];
        for (int j = 0; j < d; j++) {
            yj[j] = y[j];
        }
        RealVector v = weightMatrix.solve(new ArrayRealVector(yj, false)); // W_u y_j (W_u is symmetric)
        double[] s = new double[items.length];
        for (int k = 0; k < items.length; k++) {
            itemFactors.copyRow(items[k], y);
            double dot = 0;
            for (int j = 0; j < d; j++) {
                dot += v.getEntry(j) * y[j];
            }
            s[k] = dot;
        }
        return s;
    }

    /** Contributions {@code c_ui s_ij} of every item of {@link #items()}; they sum to the score of {@code target}. */
    public double[] contributions(int target) {
        double[] s = similarities(target);
        for (int k = 0; k < s.length; k++) {
            s[k] *= confidences[k];
        }
        return s;
    }

    @Override
    public String toString() {
        return "AlsExplanation" + Arrays.toString(items);
    }
}
