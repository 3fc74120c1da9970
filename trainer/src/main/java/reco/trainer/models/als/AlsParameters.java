package reco.trainer.models.als;

import java.util.Objects;
import reco.model.als.AlsObjective;
import reco.model.als.ConfidenceFunction;

/**
 * Hyper-parameters of {@link ImplicitAls}. Every value is range-checked on construction; start from
 * {@link #defaults()} and change fields with the {@code with*} methods.
 *
 * @param factors latent dimensions d, in [1, {@value #MAX_FACTORS}]
 * @param iterations full sweeps (users then items), in [1, {@value #MAX_ITERATIONS}]
 * @param regularization lambda, in (0, 1e6]
 * @param alpha confidence scale: c = 1 + alpha * f(r), in (0, 1e6]
 * @param confidence the confidence function f
 * @param logEpsilon epsilon of {@link ConfidenceFunction#LOG}: f(r) = log(1 + r / epsilon), in (0, 1e9]
 * @param regularizationExponent nu of the frequency-scaled regularisation lambda * max(1, n)^nu, in [0, 1]
 *     (0 = plain lambda)
 * @param solver the row solver
 * @param cgSteps conjugate-gradient steps per row and sweep, in [1, {@value #MAX_CG_STEPS}] (CG solver only)
 * @param seed seed of the factor initialisation; equal seeds give bit-identical factors for any thread count
 * @param threads worker threads, in [1, {@value #MAX_THREADS}]
 */
public record AlsParameters(
        int factors,
        int iterations,
        double regularization,
        double alpha,
        ConfidenceFunction confidence,
        double logEpsilon,
        double regularizationExponent,
        AlsSolver solver,
        int cgSteps,
        long seed,
        int threads) {

    /** 64 dimensions: a common sweet spot for quality vs. memory (256 bytes per vector) and speed. */
    public static final int DEFAULT_FACTORS = 64;
    /** ALS converges in few sweeps; 15 is where ranking metrics stop improving on typical data. */
    public static final int DEFAULT_ITERATIONS = 15;
    /**
     * The loss is not normalised by the number of interactions, so lambda competes with sums of confidences
     * and scales with data density; implicit's 0.01 barely regularises. On MovieLens latest-small (holdout-v1
     * validation split of the training part, every row strength 1, 64 factors, alpha 1) NDCG@20 was flat from
     * 0.01 (0.135) to 10 (0.139) and fell off a cliff above 30 (0.127, then 0.084 at 100); 1.0 sits in the
     * flat region, well away from the cliff, for data sets denser or sparser than that one.
     */
    public static final double DEFAULT_REGULARIZATION = 1.0;
    /**
     * Hu et al. chose alpha = 40 for raw watch counts; on MovieLens latest-small (as above) alpha 1 beat 5, 10
     * and 40 at every lambda (NDCG@20 0.136 vs 0.127, 0.119, 0.107 at lambda 1), and it is implicit's default.
     * Raise it for raw counts, or use {@link ConfidenceFunction#LOG}.
     */
    public static final double DEFAULT_ALPHA = 1.0;
    /** Linear: strengths arrive already weighted by the caller; LOG is the option for raw, heavy-tailed counts. */
    public static final ConfidenceFunction DEFAULT_CONFIDENCE = ConfidenceFunction.LINEAR;
    /** f(r) = log(1 + r) for LOG: strength 1 gives weight alpha * log 2. */
    public static final double DEFAULT_LOG_EPSILON = 1.0;
    /** Plain (unscaled) regularisation, as in Hu et al. */
    public static final double DEFAULT_REGULARIZATION_EXPONENT = 0.0;
    public static final AlsSolver DEFAULT_SOLVER = AlsSolver.CONJUGATE_GRADIENT;
    /** Takacs et al. and implicit: 3 warm-started steps per sweep match exact ALS per iteration at a fraction of the cost. */
    public static final int DEFAULT_CG_STEPS = 3;
    public static final long DEFAULT_SEED = 42L;

    public static final int MAX_FACTORS = 1024;
    public static final int MAX_ITERATIONS = 10_000;
    public static final int MAX_CG_STEPS = 1_000;
    public static final int MAX_THREADS = 1_024;

    public AlsParameters {
        checkRange("factors", factors, 1, MAX_FACTORS);
        checkRange("iterations", iterations, 1, MAX_ITERATIONS);
        checkRange("cgSteps", cgSteps, 1, MAX_CG_STEPS);
        checkRange("threads", threads, 1, MAX_THREADS);
        Objects.requireNonNull(solver, "solver");
        // validates regularization, alpha, confidence, logEpsilon and regularizationExponent
        new AlsObjective(regularization, alpha, confidence, logEpsilon, regularizationExponent);
    }

    private static void checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /** The defaults above, with one thread per available core. */
    public static AlsParameters defaults() {
        return new AlsParameters(DEFAULT_FACTORS, DEFAULT_ITERATIONS, DEFAULT_REGULARIZATION, DEFAULT_ALPHA,
                DEFAULT_CONFIDENCE, DEFAULT_LOG_EPSILON, DEFAULT_REGULARIZATION_EXPONENT, DEFAULT_SOLVER,
                DEFAULT_CG_STEPS, DEFAULT_SEED, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
    }

    /** The loss these parameters define; fold-in must use the same. */
    public AlsObjective objective() {
        return new AlsObjective(regularization, alpha, confidence, logEpsilon, regularizationExponent);
    }

    public AlsParameters withFactors(int v) {
        return new AlsParameters(v, iterations, regularization, alpha, confidence, logEpsilon,
                regularizationExponent, solver, cgSteps, seed, threads);
    }

    public AlsParameters withIterations(int v) {
        return new AlsParameters(factors, v, regularization, alpha, confidence, logEpsilon,
                regularizationExponent, solver, cgSteps, seed, threads);
    }

    public AlsParameters withRegularization(double v) {
        return new AlsParameters(factors, iterations, v, alpha, confidence, logEpsilon,
                regularizationExponent, solver, cgSteps, seed, threads);
    }

    public AlsParameters withAlpha(double v) {
        return new AlsParameters(factors, iterations, regularization, v, confidence, logEpsilon,
                regularizationExponent, solver, cgSteps, seed, threads);
    }

    public AlsParameters withConfidence(ConfidenceFunction v) {
        return new AlsParameters(factors, iterations, regularization, alpha, v, logEpsilon,
                regularizationExponent, solver, cgSteps, seed, threads);
    }

    public AlsParameters withLogEpsilon(double v) {
        return new AlsParameters(factors, iterations, regularization, alpha, confidence, v,
                regularizationExponent, solver, cgSteps, seed, threads);
    }

    public AlsParameters withRegularizationExponent(double v) {
        return new AlsParameters(factors, iterations, regularization, alpha, confidence, logEpsilon,
                v, solver, cgSteps, seed, threads);
    }

    public AlsParameters withSolver(AlsSolver v) {
        return new AlsParameters(factors, iterations, regularization, alpha, confidence, logEpsilon,
                regularizationExponent, v, cgSteps, seed, threads);
    }

    public AlsParameters withCgSteps(int v) {
        return new AlsParameters(factors, iterations, regularization, alpha, confidence, logEpsilon,
                regularizationExponent, solver, v, seed, threads);
    }

    public AlsParameters withSeed(long v) {
        return new AlsParameters(factors, iterations, regularization, alpha, confidence, logEpsilon,
                regularizationExponent, solver, cgSteps, v, threads);
    }

    public AlsParameters withThreads(int v) {
        return new AlsParameters(factors, iterations, regularization, alpha, confidence, logEpsilon,
                regularizationExponent, solver, cgSteps, seed, v);
    }
}
