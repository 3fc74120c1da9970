package reco.model.als;

import java.util.Objects;

/**
 * The implicit-feedback ALS loss (Hu, Koren &amp; Volinsky 2008) shared by the trainer and by fold-in, so both
 * solve exactly the same equation:
 *
 * <pre>
 *   L = sum over all (u, i) of c_ui (p_ui - x_u . y_i)^2  +  sum_u lambda_u |x_u|^2  +  sum_i lambda_i |y_i|^2
 *   p_ui = 1 if r_ui &gt; 0 else 0
 *   c_ui = 1 + alpha * f(r_ui)          (c_ui = 1 for unobserved pairs)
 *   lambda_u = lambda * max(1, n_u)^nu  (n_u = number of observed items of u; same for items)
 * </pre>
 *
 * With {@code nu = 0} the regularisation is the paper's plain lambda; {@code nu > 0} is the frequency-scaled
 * regularisation of Rendle et al. 2021 ("Revisiting the performance of iALS on item recommendation
 * benchmarks"), which scales lambda with the row's support so heavy users are not under-regularised. The
 * {@code max(1, .)} keeps rows without interactions regularised (else their system could be singular).
 *
 * @param regularization lambda, in {@code (0, 1e6]}; strictly positive so every row's system is positive definite
 * @param alpha confidence scale, in {@code (0, 1e6]}
 * @param confidence the confidence function f
 * @param logEpsilon epsilon of {@link ConfidenceFunction#LOG}, in {@code (0, 1e9]} (ignored by LINEAR)
 * @param regularizationExponent nu, in {@code [0, 1]}
 */
public record AlsObjective(
        double regularization,
        double alpha,
        ConfidenceFunction confidence,
        double logEpsilon,
        double regularizationExponent) {

    public static final double MAX_REGULARIZATION = 1e6;
    public static final double MAX_ALPHA = 1e6;
    public static final double MAX_LOG_EPSILON = 1e9;

    public AlsObjective {
        Objects.requireNonNull(confidence, "confidence");
        checkRange("regularization", regularization, false, MAX_REGULARIZATION);
        checkRange("alpha", alpha, false, MAX_ALPHA);
        checkRange("logEpsilon", logEpsilon, false, MAX_LOG_EPSILON);
        if (!(regularizationExponent >= 0 && regularizationExponent <= 1)) {
            throw new IllegalArgumentException(
                    "regularizationExponent must be in [0, 1], got " + regularizationExponent);
        }
    }

    private static void checkRange(String name, double value, boolean zeroAllowed, double max) {
        boolean ok = (zeroAllowed ? value >= 0 : value > 0) && value <= max;
        if (!ok) {
            throw new IllegalArgumentException(
                    name + " must be in " + (zeroAllowed ? "[0, " : "(0, ") + max + "], got " + value);
        }
    }

    /**
     * {@code c - 1 = alpha * f(r)}: the extra weight an observed pair carries over an unobserved one. Callers
     * must pass a strength validated to be finite and &gt; 0.
     */
    public double confidenceWeight(double strength) {
        return alpha * confidence.apply(strength, logEpsilon);
    }

    /** {@code lambda * max(1, n)^nu} for a row with {@code interactionCount} observed entries. */
    public double regularizationFor(int interactionCount) {
        if (regularizationExponent == 0) {
            return regularization;
        }
        return regularization * Math.pow(Math.max(1, interactionCount), regularizationExponent);
    }
}
