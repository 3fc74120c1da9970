package reco.trainer.models.als;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import reco.model.als.AlsFoldIn;
import reco.model.als.AlsObjective;
import reco.model.vectors.ArrayFloatRows;
import reco.trainer.math.CsrMatrix;
import reco.trainer.progress.Progress;

/**
 * Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren &amp; Volinsky 2008), with the
 * conjugate-gradient row solver of Takacs, Pilaszy &amp; Tikk 2011 (as in benfred/implicit) or an exact
 * Cholesky reference solver. The loss is defined in {@link AlsObjective}.
 *
 * <p>Each iteration solves every user against the fixed item factors, then every item against the fixed user
 * factors. The Gram matrix of the fixed side (YtY) is computed once per half-step, so a row costs only its own
 * interactions: with the unobserved pairs folded into YtY, the row system is
 *
 * <pre>
 *   A_u x_u = b_u,   A_u = YtY + sum_{i in I_u} (c_ui - 1) y_i y_i^T + lambda_u I,   b_u = sum_{i in I_u} c_ui y_i
 * </pre>
 *
 * CG runs a few steps on it warm-started from the current x_u (one pass over I_u per step, never forming A_u).
 *
 * <p>Rows are updated in parallel; a row's update depends only on its own previous value and the fixed side,
 * and every reduction (Gram matrix, loss) is summed over fixed chunks in a fixed order, so results are
 * bit-identical for any thread count under the same seed.
 */
public final class ImplicitAls {
    /** Receives per-iteration statistics. */
    @FunctionalInterface
    public interface IterationListener {
        /**
         * @param iteration 1-based iteration number
         * @param seconds wall time of the iteration's two half-steps (excluding the loss computation)
         * @param loss {@link #loss} after the iteration, or NaN when the loss was not requested
         */
        void iterationDone(int iteration, double seconds, double loss);
    }

    /** Rows per work unit of the row solves; small enough to balance skewed rows across threads. */
    private static final int ROW_CHUNK = 256;
    /** Minimum rows per partial Gram matrix; the chunking depends only on the row count, never on threads. */
    private static final int GRAM_MIN_CHUNK = 4096;
    private static final int GRAM_MAX_CHUNKS = 64;
    /** Rows accumulated in float before flushing into the double partial (bounds the float rounding error). */
    private static final int GRAM_FLOAT_BLOCK = 64;
    /** CG stops when the squared residual norm falls below this (as implicit does). */
    private static final float CG_RESIDUAL_EPSILON = 1e-20f;
    /** Initial factors are N(0, (INIT_SCALE / sqrt(d))^2) (Rendle et al. 2021 suggest 0.1 / sqrt(d)). */
    private static final double INIT_SCALE = 0.1;

    private final AlsParameters parameters;
    private final AlsObjective objective;

    public ImplicitAls(AlsParameters parameters) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.objective = parameters.objective();
    }

    public AlsParameters parameters() {
        return parameters;
    }

    /** {@link #fit(CsrMatrix, Progress.Factory, IterationListener, boolean)} silently, without loss. */
    public AlsFactors fit(CsrMatrix userItems) {
        return fit(userItems, Progress.Factory.NONE, null, false);
    }

    /**
     * Trains from scratch.
     *
     * @param userItems users x items, raw strengths r_ui &gt; 0 (duplicates already aggregated)
     * @param progress receives one phase "als" counting solved rows over all iterations
     * @param listener called after each iteration, or null
     * @param computeLoss whether to compute {@link #loss} after each iteration (one extra pass over the data)
     * @throws IllegalArgumentException if a strength is not finite and &gt; 0 or its confidence overflows
     * @throws IllegalStateException if a factor becomes NaN or infinite (names the iteration and side)
     */
    public AlsFactors fit(CsrMatrix userItems, Progress.Factory progress, IterationListener listener,
            boolean computeLoss) {
        return fit(userItems, progress, listener, computeLoss, null);
    }

    /**
     * Sees the factors after an iteration, e.g. to score a validation split and pick the iteration count.
     * The factors are live: read them inside the call, do not keep them.
     */
    @FunctionalInterface
    public interface Checkpoint {
        /** @return false to stop training after this iteration */
        boolean iterationDone(int iteration, AlsFactors factors);
    }

    /** As {@link #fit(CsrMatrix, Progress.Factory, IterationListener, boolean)}, calling {@code checkpoint} after each iteration. */
    public AlsFactors fit(CsrMatrix userItems, Progress.Factory progress, IterationListener listener,
            boolean computeLoss, Checkpoint checkpoint) {
        Side users = new Side("user", userItems, confidenceWeights(userItems));
        CsrMatrix itemUsers = userItems.transpose();
        Side items = new Side("item", itemUsers, confidenceWeights(itemUsers));
        int d = parameters.factors();
        AlsFactors factors = new AlsFactors(userItems.rows, userItems.cols, d,
                initialFactors(userItems.rows, 0), initialFactors(userItems.cols, 1), parameters);
        long rowsPerIteration = (long) userItems.rows + userItems.cols;
        try (ExecutorService pool = newPool();
                Progress bar = progress.start("als", rowsPerIteration * parameters.iterations())) {
            for (int iteration = 1; iteration <= parameters.iterations(); iteration++) {
                long start = System.nanoTime();
                halfStep(pool, users, factors.userFactors(), factors.itemFactors(), parameters.solver(),
                        parameters.cgSteps(), iteration, bar);
                halfStep(pool, items, factors.itemFactors(), factors.userFactors(), parameters.solver(),
                        parameters.cgSteps(), iteration, bar);
                double seconds = (System.nanoTime() - start) / 1e9;
                double loss = computeLoss ? loss(pool, users, items, factors) : Double.NaN;
                bar.message("iteration " + iteration + "/" + parameters.iterations()
                        + (computeLoss ? String.format(" loss %.6g", loss) : ""));
                if (listener != null) {
                    listener.iterationDone(iteration, seconds, loss);
                }
                if (checkpoint != null && !checkpoint.iterationDone(iteration, factors)) {
                    break;
                }
            }
        }
        return factors;
    }

    /**
     * One user half-step on existing factors, in place, with this instance's solver, CG steps and threads:
     * e.g. an exact (Cholesky) user step after training, or many CG steps to check convergence.
     */
    public void solveUsers(CsrMatrix userItems, AlsFactors factors) {
        checkShape(userItems, factors);
        Side users = new Side("user", userItems, confidenceWeights(userItems));
        try (ExecutorService pool = newPool()) {
            halfStep(pool, users, factors.userFactors(), factors.itemFactors(), parameters.solver(),
                    parameters.cgSteps(), 0, Progress.NONE);
        }
    }

    /**
     * The weighted loss of {@link AlsObjective} (squared errors over all user-item pairs plus regularisation),
     * divided by the total confidence {@code sum c_ui} over all pairs (as implicit's {@code calculate_loss}), so
     * values are comparable across data sizes. Costs one pass over the interactions, O(nnz d + users d^2).
     */
    public double loss(CsrMatrix userItems, AlsFactors factors) {
        checkShape(userItems, factors);
        Side users = new Side("user", userItems, confidenceWeights(userItems));
        CsrMatrix itemUsers = userItems.transpose();
        Side items = new Side("item", itemUsers, confidenceWeights(itemUsers));
        try (ExecutorService pool = newPool()) {
            return loss(pool, users, items, factors);
        }
    }

    private static void checkShape(CsrMatrix userItems, AlsFactors factors) {
        if (userItems.rows != factors.users() || userItems.cols != factors.items()) {
            throw new IllegalArgumentException("matrix is " + userItems.rows + " x " + userItems.cols
                    + " but factors are for " + factors.users() + " users x " + factors.items() + " items");
        }
    }

    /** One side of the alternation: the rows being solved, with c - 1 for each stored entry. */
    private record Side(String name, CsrMatrix matrix, float[] weights) {}

    /** {@code c - 1 = alpha f(r)} per stored entry, as floats; rejects invalid strengths and overflowing weights. */
    private float[] confidenceWeights(CsrMatrix m) {
        float[] weights = new float[m.nnz()];
        for (int row = 0; row < m.rows; row++) {
            for (int k = m.rowStart(row); k < m.rowEnd(row); k++) {
                float strength = m.values[k];
                if (!(strength > 0) || !Float.isFinite(strength)) {
                    throw new IllegalArgumentException("strength at row " + row + ", column " + m.indices[k]
                            + " is " + strength + "; implicit ALS needs finite strengths > 0");
                }
                float weight = (float) objective.confidenceWeight(strength);
                if (!Float.isFinite(weight)) {
                    throw new IllegalArgumentException("confidence weight alpha * f(r) = "
                            + objective.confidenceWeight(strength) + " overflows float at row " + row
                            + ", column " + m.indices[k] + " (alpha=" + parameters.alpha() + ", r=" + strength
                            + ", confidence=" + parameters.confidence() + ")");
                }
                weights[k] = weight;
            }
        }
        return weights;
    }

    /** Seeded N(0, (0.1/sqrt(d))^2) factors; each row has its own stream so the result is order-independent. */
    private float[] initialFactors(int rows, int sideTag) {
        int d = parameters.factors();
        float[] f = new float[Math.multiplyExact(rows, d)];
        double scale = INIT_SCALE / Math.sqrt(d);
        SplittableRandom root = new SplittableRandom(parameters.seed() * 2 + sideTag);
        for (int row = 0; row < rows; row++) {
            SplittableRandom random = root.split(); // split() is deterministic given the root's sequence
            for (int j = 0; j < d; j++) {
                f[row * d + j] = (float) (random.nextGaussian() * scale);
            }
        }
        return f;
    }

    // ---------------------------------------------------------------------------------------------- half-step

    private void halfStep(ExecutorService pool, Side side, float[] target, float[] fixed, AlsSolver solver,
            int cgSteps, int iteration, Progress bar) {
        int d = parameters.factors();
        double[] gram = gram(pool, fixed, fixed.length / d, d);
        CsrMatrix m = side.matrix();
        int chunks = (m.rows + ROW_CHUNK - 1) / ROW_CHUNK;
        AtomicInteger firstBadRow = new AtomicInteger(Integer.MAX_VALUE);
        if (solver == AlsSolver.CONJUGATE_GRADIENT) {
            float[] gramFloat = new float[d * d];
            for (int k = 0; k < gramFloat.length; k++) {
                gramFloat[k] = (float) gram[k];
            }
            forEachChunk(pool, chunks, () -> {
                float[] x = new float[d];
                float[] r = new float[d];
                float[] p = new float[d];
                float[] ap = new float[d];
                float[] coefficients = new float[maxRowLength(m)];
                return chunk -> {
                    int end = Math.min(m.rows, (chunk + 1) * ROW_CHUNK);
                    for (int row = chunk * ROW_CHUNK; row < end; row++) {
                        conjugateGradientRow(m, side.weights(), row, target, fixed, gramFloat, d, cgSteps,
                                x, r, p, ap, coefficients);
                        checkFinite(target, row, d, firstBadRow);
                    }
                    bar.step(end - chunk * ROW_CHUNK);
                };
            });
        } else {
            ArrayFloatRows fixedRows = new ArrayFloatRows(fixed, d);
            forEachChunk(pool, chunks, () -> chunk -> {
                int end = Math.min(m.rows, (chunk + 1) * ROW_CHUNK);
                for (int row = chunk * ROW_CHUNK; row < end; row++) {
                    try {
                        // (YtY + Yt (C_u - I) Y + lambda_u I) x_u = Yt C_u p_u, exactly; the same code as fold-in
                        AlsFoldIn.solveExactly(fixedRows, gram, objective, m.indices, m.values,
                                m.rowStart(row), m.rowEnd(row), target, row * d);
                    } catch (IllegalStateException notPositiveDefinite) {
                        firstBadRow.accumulateAndGet(row, Math::min);
                        continue;
                    }
                    checkFinite(target, row, d, firstBadRow);
                }
                bar.step(end - chunk * ROW_CHUNK);
            });
        }
        int bad = firstBadRow.get();
        if (bad != Integer.MAX_VALUE) {
            throw new IllegalStateException("ALS diverged at iteration " + iteration + ", " + side.name()
                    + " step: " + side.name() + " row " + bad + " has a NaN or infinite factor (alpha="
                    + parameters.alpha() + ", regularization=" + parameters.regularization()
                    + "; extreme strengths or confidences overflow float)");
        }
    }

    private static int maxRowLength(CsrMatrix m) {
        int max = 0;
        for (int row = 0; row < m.rows; row++) {
            max = Math.max(max, m.rowLength(row));
        }
        return max;
    }

    private static void checkFinite(float[] target, int row, int d, AtomicInteger firstBadRow) {
        for (int j = row * d, end = j + d; j < end; j++) {
            if (!Float.isFinite(target[j])) {
                firstBadRow.accumulateAndGet(row, Math::min);
                return;
            }
        }
    }

    /**
     * A few CG steps on {@code A x = b} (see the class comment), warm-started from the row's current vector,
     * following implicit's {@code _least_squares_cg}. {@code x, r, p, ap} are per-thread scratch of length d,
     * {@code coefficients} of the longest row's length.
     *
     * <p>Each pass over the row's interactions first computes all dot products, then all updates: the dot
     * products are independent of each other, so the CPU overlaps the cache misses of the gathered factor rows
     * (a 5-10% gain measured when the fixed side exceeds the cache; noisy machine).
     */
    private void conjugateGradientRow(CsrMatrix m, float[] weights, int row, float[] target, float[] fixed,
            float[] gram, int d, int cgSteps, float[] x, float[] r, float[] p, float[] ap, float[] coefficients) {
        int start = m.rowStart(row);
        int end = m.rowEnd(row);
        int[] indices = m.indices;
        float lambda = (float) objective.regularizationFor(end - start);
        int xo = row * d;
        System.arraycopy(target, xo, x, 0, d);

        // r = b - A x = sum_i (c_i - (c_i - 1) y_i.x) y_i - (YtY + lambda I) x
        AlsKernels.symmetricShiftedMatVec(gram, lambda, x, r, d);
        for (int j = 0; j < d; j++) {
            r[j] = -r[j];
        }
        for (int k = start; k < end; k++) {
            float w = weights[k];
            coefficients[k - start] = 1 + w - w * AlsKernels.dot(fixed, indices[k] * d, x, 0, d);
        }
        for (int k = start; k < end; k++) {
            AlsKernels.axpy(coefficients[k - start], fixed, indices[k] * d, r, 0, d);
        }
        float rsOld = AlsKernels.dot(r, 0, r, 0, d);
        if (rsOld < CG_RESIDUAL_EPSILON) {
            return;
        }
        System.arraycopy(r, 0, p, 0, d);
        for (int step = 0; step < cgSteps; step++) {
            // ap = A p = (YtY + lambda I) p + sum_i (c_i - 1) (y_i.p) y_i
            AlsKernels.symmetricShiftedMatVec(gram, lambda, p, ap, d);
            for (int k = start; k < end; k++) {
                coefficients[k - start] = weights[k] * AlsKernels.dot(fixed, indices[k] * d, p, 0, d);
            }
            for (int k = start; k < end; k++) {
                AlsKernels.axpy(coefficients[k - start], fixed, indices[k] * d, ap, 0, d);
            }
            float pAp = AlsKernels.dot(p, 0, ap, 0, d);
            if (!(pAp > 0)) {
                break; // converged to float precision (or non-finite input: caught by checkFinite)
            }
            float stepSize = rsOld / pAp;
            AlsKernels.axpy(stepSize, p, 0, x, 0, d);
            AlsKernels.axpy(-stepSize, ap, 0, r, 0, d);
            float rsNew = AlsKernels.dot(r, 0, r, 0, d);
            if (rsNew < CG_RESIDUAL_EPSILON) {
                break;
            }
            AlsKernels.xpby(r, rsNew / rsOld, p, d);
            rsOld = rsNew;
        }
        System.arraycopy(x, 0, target, xo, d);
    }

    // ---------------------------------------------------------------------------------------------- reductions

    /**
     * YtY of the rows of {@code y} (d x d, symmetric, row-major). Rows are accumulated in float over blocks of
     * {@value #GRAM_FLOAT_BLOCK} with the vector kernels, blocks into double partials per chunk, and the chunks'
     * partials summed in chunk order: fast, accurate to float precision, and independent of thread count.
     */
    private double[] gram(ExecutorService pool, float[] y, int rows, int d) {
        int chunkRows = Math.max(GRAM_MIN_CHUNK, (rows + GRAM_MAX_CHUNKS - 1) / GRAM_MAX_CHUNKS);
        int chunks = (rows + chunkRows - 1) / chunkRows;
        double[][] partials = new double[chunks][];
        forEachChunk(pool, chunks, () -> {
            float[] block = new float[d * d];
            return chunk -> {
                double[] partial = new double[d * d];
                int end = Math.min(rows, (chunk + 1) * chunkRows);
                for (int blockStart = chunk * chunkRows; blockStart < end; blockStart += GRAM_FLOAT_BLOCK) {
                    java.util.Arrays.fill(block, 0f);
                    int blockEnd = Math.min(end, blockStart + GRAM_FLOAT_BLOCK);
                    for (int row = blockStart; row < blockEnd; row++) {
                        int yo = row * d;
                        for (int j = 0; j < d; j++) {
                            AlsKernels.axpy(y[yo + j], y, yo, block, j * d, d);
                        }
                    }
                    for (int k = 0; k < partial.length; k++) {
                        partial[k] += block[k];
                    }
                }
                partials[chunk] = partial;
            };
        });
        double[] g = new double[d * d];
        for (double[] partial : partials) {
            for (int k = 0; k < g.length; k++) {
                g[k] += partial[k];
            }
        }
        for (int j = 0; j < d; j++) { // the float blocks are symmetric up to rounding; make g exactly symmetric
            for (int l = j + 1; l < d; l++) {
                double mean = 0.5 * (g[j * d + l] + g[l * d + j]);
                g[j * d + l] = mean;
                g[l * d + j] = mean;
            }
        }
        return g;
    }

    /**
     * Sum over users of {@code x^T YtY x + sum_{i in I_u} [(c-1)(x.y)^2 - 2c (x.y) + c] + lambda_u |x|^2} (the
     * first two terms expand {@code sum_i c_ui (p_ui - x.y_i)^2} over all items), plus {@code sum_i lambda_i
     * |y_i|^2}, over the total weight {@code sum_nnz c + (users * items - nnz)}.
     */
    private double loss(ExecutorService pool, Side users, Side items, AlsFactors factors) {
        int d = parameters.factors();
        float[] x = factors.userFactors();
        float[] y = factors.itemFactors();
        double[] gram = gram(pool, y, factors.items(), d);
        CsrMatrix m = users.matrix();
        float[] weights = users.weights();
        int chunks = (m.rows + ROW_CHUNK - 1) / ROW_CHUNK;
        double[] lossPartials = new double[chunks];
        double[] confidencePartials = new double[chunks];
        forEachChunk(pool, chunks, () -> chunk -> {
            double loss = 0;
            double confidence = 0;
            int end = Math.min(m.rows, (chunk + 1) * ROW_CHUNK);
            for (int u = chunk * ROW_CHUNK; u < end; u++) {
                int xo = u * d;
                double quadratic = 0;
                for (int j = 0; j < d; j++) {
                    double gx = 0;
                    for (int l = 0; l < d; l++) {
                        gx += gram[j * d + l] * x[xo + l];
                    }
                    quadratic += gx * x[xo + j];
                }
                loss += quadratic;
                for (int k = m.rowStart(u); k < m.rowEnd(u); k++) {
                    double w = weights[k];
                    double c = 1 + w;
                    double xy = AlsKernels.dot(x, xo, y, m.indices[k] * d, d);
                    loss += w * xy * xy - 2 * c * xy + c;
                    confidence += c;
                }
                double norm = AlsKernels.dot(x, xo, x, xo, d);
                loss += objective.regularizationFor(m.rowLength(u)) * norm;
            }
            lossPartials[chunk] = loss;
            confidencePartials[chunk] = confidence;
        });
        double loss = 0;
        double totalConfidence = 0;
        for (int c = 0; c < chunks; c++) {
            loss += lossPartials[c];
            totalConfidence += confidencePartials[c];
        }
        CsrMatrix itemUsers = items.matrix();
        for (int i = 0; i < factors.items(); i++) {
            loss += objective.regularizationFor(itemUsers.rowLength(i))
                    * (double) AlsKernels.dot(y, i * d, y, i * d, d);
        }
        double unobserved = (double) factors.users() * factors.items() - m.nnz();
        return loss / (totalConfidence + unobserved);
    }

    // ---------------------------------------------------------------------------------------------- threads

    private interface ChunkTask {
        void run(int chunk);
    }

    private ExecutorService newPool() {
        if (parameters.threads() == 1) {
            return null;
        }
        AtomicInteger counter = new AtomicInteger();
        return Executors.newFixedThreadPool(parameters.threads(), runnable -> {
            Thread t = new Thread(runnable, "als-worker-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code chunks} work units over the pool's threads (inline when {@code pool} is null). Each thread gets
     * its own task from {@code perThread} (so scratch arrays are per thread) and pulls chunk numbers from a shared
     * counter.
     */
    private void forEachChunk(ExecutorService pool, int chunks, Supplier<ChunkTask> perThread) {
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            ChunkTask task = perThread.get();
            for (int chunk = next.getAndIncrement(); chunk < chunks; chunk = next.getAndIncrement()) {
                task.run(chunk);
            }
        };
        if (pool == null || chunks <= 1) {
            worker.run();
            return;
        }
        int workers = Math.min(parameters.threads(), chunks);
        List<Future<?>> futures = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            futures.add(pool.submit(worker));
        }
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(f -> f.cancel(true));
            throw new IllegalStateException("ALS interrupted", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
