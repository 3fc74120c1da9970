package reco.trainer.models.knn;

import java.util.Arrays;
import reco.model.Neighborhoods;
import reco.trainer.math.CsrMatrix;
import reco.trainer.models.parallel.ParallelRange;
import reco.model.topk.TopK;
import reco.trainer.progress.Progress;

/**
 * Item-item collaborative filtering: shrunk cosine similarity between the item columns of a user x
 * item strength matrix X, kept as the top-K neighbours of every item.
 *
 * <pre>
 *   sim(i, j) = (x_i . x_j) / (||x_i|| ||x_j|| + shrink)
 * </pre>
 *
 * The shrink term pulls similarities built on few co-occurrences towards 0 (Koren 2008), so two
 * niche items seen together once do not outrank well-supported pairs.
 *
 * <p>Sparse computation: for item i, walk its users (row i of X^T) and each user's items (rows of X),
 * accumulating x_ui * x_uj into a dense per-thread accumulator with a list of touched columns; the
 * work is sum over users of (items per user)^2, independent of the catalogue size. Each item's
 * dot products are summed in the same (user-ascending) order whatever thread computes them, and every
 * item's list goes to its own slot, so the output is identical for any thread count.
 *
 * <p>Lists hold only strictly positive scores (stored as float), best first; equal float scores are
 * ordered by lower item index. Self-similarity is excluded.
 */
public final class ItemKnn {
    public static final int DEFAULT_NEIGHBOURS = 100;
    public static final double DEFAULT_SHRINK = 10.0;
    public static final int MAX_NEIGHBOURS = 10_000;

    /** Items handed to a worker at a time: small enough to balance Zipf-skewed costs, big enough to amortise claiming. */
    private static final int ITEMS_PER_CHUNK = 64;

    /** How two items' similarity is measured. */
    public enum Similarity {
        /** Shrunk cosine between the item columns. */
        COSINE,
        /**
         * RP3beta (Paudel et al. 2017; Dacrema et al. 2019): the probability of a two-step random walk
         * item -> user -> item, each step's transition probability raised to alpha, divided by the target
         * item's popularity (its user count) to the power beta. The penalty lets long-tail items reach
         * lists that popular items would otherwise fill.
         */
        RP3BETA
    }

    /** RP3beta's defaults: alpha 1 (plain transition probabilities), beta 0.5 (a square-root popularity penalty). */
    public static final double DEFAULT_ALPHA = 1.0;
    public static final double DEFAULT_BETA = 0.5;

    /**
     * @param neighbours K, the maximum list length per item, in [1, {@value #MAX_NEIGHBOURS}]
     * @param shrink     shrinkage added to the norm product, finite and >= 0 (0 = plain cosine; cosine only)
     * @param threads    worker threads, >= 0 (0 = all available processors)
     * @param similarity the similarity measure
     * @param alpha      RP3beta: exponent of the transition probabilities, in (0, 10]
     * @param beta       RP3beta: exponent of the popularity penalty, in [0, 2]
     */
    public record Parameters(int neighbours, double shrink, int threads, Similarity similarity, double alpha, double beta) {
        public Parameters {
            if (neighbours < 1 || neighbours > MAX_NEIGHBOURS) {
                throw new IllegalArgumentException("neighbours must be in [1, " + MAX_NEIGHBOURS + "], got " + neighbours);
            }
            if (!(shrink >= 0) || Double.isInfinite(shrink)) {
                throw new IllegalArgumentException("shrink must be a finite number >= 0, got " + shrink);
            }
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0 (0 = all processors), got " + threads);
            }
            java.util.Objects.requireNonNull(similarity, "similarity");
            if (!(alpha > 0 && alpha <= 10)) {
                throw new IllegalArgumentException("alpha must be in (0, 10], got " + alpha);
            }
            if (!(beta >= 0 && beta <= 2)) {
                throw new IllegalArgumentException("beta must be in [0, 2], got " + beta);
            }
        }

        /** Cosine similarity with these settings. */
        public Parameters(int neighbours, double shrink, int threads) {
            this(neighbours, shrink, threads, Similarity.COSINE, DEFAULT_ALPHA, DEFAULT_BETA);
        }

        public static Parameters defaults() {
            return new Parameters(DEFAULT_NEIGHBOURS, DEFAULT_SHRINK, 0);
        }

        public Parameters withNeighbours(int k) { return new Parameters(k, shrink, threads, similarity, alpha, beta); }
        public Parameters withShrink(double s) { return new Parameters(neighbours, s, threads, similarity, alpha, beta); }
        public Parameters withThreads(int t) { return new Parameters(neighbours, shrink, t, similarity, alpha, beta); }
        public Parameters withSimilarity(Similarity v) { return new Parameters(neighbours, shrink, threads, v, alpha, beta); }
        public Parameters withAlpha(double v) { return new Parameters(neighbours, shrink, threads, similarity, v, beta); }
        public Parameters withBeta(double v) { return new Parameters(neighbours, shrink, threads, similarity, alpha, v); }
    }

    private ItemKnn() {}

    /**
     * Computes the top-K neighbour lists of every item (column) of {@code userItem}.
     *
     * @param userItem user x item strengths, duplicates already combined, values > 0
     * @param progress receives one phase, "item-knn", counted in items
     */
    public static Neighborhoods compute(CsrMatrix userItem, Parameters params, Progress.Factory progress) {
        requirePositiveFinite(userItem);
        int itemCount = userItem.cols;
        CsrMatrix itemUser = userItem.transpose();
        double[] norms;
        float shrink;
        if (params.similarity() == Similarity.RP3BETA) {
            // walk probabilities: item -> user over the item's users, user -> item over the user's items
            itemUser = rowStochastic(itemUser, params.alpha());
            userItem = rowStochastic(userItem, params.alpha());
            norms = new double[itemCount];
            for (int i = 0; i < itemCount; i++) {
                int users = itemUser.indptr[i + 1] - itemUser.indptr[i];
                // sim = dot / (norms[i] * norms[j] + 0): the source's factor is 1, the target's its popularity^beta
                norms[i] = users == 0 ? 0 : Math.pow(users, params.beta());
            }
            shrink = 0f;
        } else {
            norms = columnNorms(itemUser);
            shrink = (float) params.shrink();
        }
        boolean rp3 = params.similarity() == Similarity.RP3BETA;
        CsrMatrix ui = userItem;
        CsrMatrix iu = itemUser;
        int k = Math.min(params.neighbours(), Math.max(1, itemCount - 1));

        // Lists land in fixed slots of K per item, then get compacted; avoids per-item allocation.
        int[] slotItems = new int[Math.multiplyExact(itemCount, k)];
        float[] slotScores = new float[slotItems.length];
        int[] listSizes = new int[itemCount];

        int chunks = (itemCount + ITEMS_PER_CHUNK - 1) / ITEMS_PER_CHUNK;
        int threads = ParallelRange.resolveThreads(params.threads());
        try (Progress bar = progress.start("item-knn", itemCount)) {
            ParallelRange.run(chunks, threads, "item-knn", worker -> {
                double[] dots = new double[itemCount];
                int[] touched = new int[itemCount];
                TopK heap = new TopK(k);
                return chunk -> {
                    int first = chunk * ITEMS_PER_CHUNK;
                    int last = Math.min(itemCount, first + ITEMS_PER_CHUNK);
                    for (int item = first; item < last; item++) {
                        listSizes[item] = neighboursOf(item, ui, iu, norms, shrink, rp3, dots, touched, heap,
                                slotItems, slotScores, item * k);
                    }
                    bar.step(last - first);
                };
            });
        }
        return compact(listSizes, k, slotItems, slotScores);
    }

    private static int neighboursOf(int item, CsrMatrix userItem, CsrMatrix itemUser, double[] norms, double shrink,
                                    boolean rp3, double[] dots, int[] touched, TopK heap,
                                    int[] outItems, float[] outScores, int outOffset) {
        double itemNorm = rp3 ? 1.0 : norms[item];
        if (norms[item] == 0) {
            return 0;
        }
        int[] rowPtr = userItem.indptr;
        int[] cols = userItem.indices;
        float[] vals = userItem.values;
        int touchedCount = 0;
        for (int p = itemUser.indptr[item], end = itemUser.indptr[item + 1]; p < end; p++) {
            int user = itemUser.indices[p];
            double weight = itemUser.values[p];
            for (int q = rowPtr[user], qEnd = rowPtr[user + 1]; q < qEnd; q++) {
                int other = cols[q];
                double before = dots[other];
                if (before == 0) {
                    touched[touchedCount++] = other;
                }
                dots[other] = before + weight * vals[q];
            }
        }
        heap.clear();
        for (int t = 0; t < touchedCount; t++) {
            int other = touched[t];
            double dot = dots[other];
            dots[other] = 0;
            if (other == item) {
                continue;
            }
            float sim = (float) (dot / (itemNorm * norms[other] + shrink));
            if (sim > 0 && !heap.wouldReject(sim)) {
                heap.offer(other, sim);
            }
        }
        return heap.drainInto(outItems, outScores, outOffset);
    }

    /** Each row divided by its sum, then every entry raised to {@code alpha} (RP3beta's transition probabilities). */
    static CsrMatrix rowStochastic(CsrMatrix m, double alpha) {
        float[] values = new float[m.values.length];
        for (int r = 0; r < m.rows; r++) {
            double sum = 0;
            for (int p = m.indptr[r]; p < m.indptr[r + 1]; p++) {
                sum += m.values[p];
            }
            for (int p = m.indptr[r]; p < m.indptr[r + 1]; p++) {
                double prob = m.values[p] / sum;
                values[p] = (float) (alpha == 1.0 ? prob : Math.pow(prob, alpha));
            }
        }
        return new CsrMatrix(m.rows, m.cols, m.indptr, m.indices, values);
    }

    /**
     * Euclidean norm of each row of X^T (each item column of X), summed in double.
     */
    static double[] columnNorms(CsrMatrix itemUser) {
        double[] norms = new double[itemUser.rows];
        for (int i = 0; i < itemUser.rows; i++) {
            double sum = 0;
            for (int p = itemUser.indptr[i]; p < itemUser.indptr[i + 1]; p++) {
                double v = itemUser.values[p];
                sum += v * v;
            }
            norms[i] = Math.sqrt(sum);
        }
        return norms;
    }

    /** Packs per-item fixed-size slots into contiguous lists. */
    public static Neighborhoods compact(int[] listSizes, int slotSize, int[] slotItems, float[] slotScores) {
        int n = listSizes.length;
        int[] offsets = new int[n + 1];
        for (int i = 0; i < n; i++) {
            offsets[i + 1] = offsets[i] + listSizes[i];
        }
        if (offsets[n] == slotItems.length) {
            return new Neighborhoods(offsets, slotItems, slotScores);
        }
        int[] items = new int[offsets[n]];
        float[] scores = new float[offsets[n]];
        for (int i = 0; i < n; i++) {
            System.arraycopy(slotItems, i * slotSize, items, offsets[i], listSizes[i]);
            System.arraycopy(slotScores, i * slotSize, scores, offsets[i], listSizes[i]);
        }
        return new Neighborhoods(offsets, items, scores);
    }

    /**
     * Rejects values that are not finite and > 0: the accumulator uses 0 to mean "not touched yet",
     * and a weighting bug upstream should fail here rather than yield silently wrong neighbours.
     */
    public static void requirePositiveFinite(CsrMatrix userItem) {
        float[] values = userItem.values;
        for (int p = 0; p < values.length; p++) {
            float v = values[p];
            if (!(v > 0) || Float.isInfinite(v)) {
                int row = Arrays.binarySearch(userItem.indptr, p);
                row = row >= 0 ? row : -row - 2;
                while (row + 1 < userItem.indptr.length && userItem.indptr[row + 1] <= p) {
                    row++;
                }
                throw new IllegalArgumentException("interaction strengths must be finite and > 0, got " + v
                        + " at (user row " + row + ", item column " + userItem.indices[p] + ")");
            }
        }
    }
}
