package reco.trainer.models.ease;

import java.util.Arrays;
import reco.model.Neighborhoods;
import reco.trainer.math.CsrMatrix;
import reco.trainer.models.knn.ItemKnn;
import reco.trainer.models.parallel.ParallelRange;
import reco.trainer.progress.Progress;

/**
 * EASE, the "embarrassingly shallow autoencoder" of Steck (2019): an item-item weight matrix B with a
 * zero diagonal that minimises ||X - X B||^2 + lambda ||B||^2, in closed form:
 *
 * <pre>
 *   P = (X^T X + lambda I)^-1,   B = I - P diagMat(1 / diag(P)),   i.e.  B_ij = -P_ij / P_jj (i != j),  B_jj = 0
 * </pre>
 *
 * A user's score for item j is {@code sum_i x_ui B_ij}, so row i of B says how much having item i
 * raises every other item: the neighbour list of a <em>source</em> item i is row i of B.
 *
 * <p>Cost: the Gram matrix is dense n x n doubles (8 n^2 bytes: 0.65 GB at n = 9,000, 3.2 GB at
 * 20,000) and the inverse takes about n^3 flops. Catalogues larger than {@code maxItems} are
 * <b>restricted</b> to the {@code maxItems} items with the most users (ties: lower index) rather than
 * rejected: the long tail carries little signal for EASE anyway, and the rest of the catalogue simply
 * gets no EASE neighbours (other models or fallbacks cover it). Items without any interaction are
 * always left out. Results do not depend on the thread count.
 */
public final class Ease {
    /**
     * Default L2 strength. The diagonal of X^T X is each item's summed squared strength (its user count
     * for binary input); lambda must be of that order to shrink the weights of rare items without
     * flattening popular ones. Steck reports best values of a few hundred on ML-20M / Netflix
     * (binary input, tens of thousands of users); smaller data sets (MovieLens small: 610 users, the most
     * popular items have about 300 users) favour the lower end, hence 200.
     */
    public static final double DEFAULT_LAMBDA = 200.0;
    /** Default catalogue cap: 20,000 items = 3.2 GB of heap and a few minutes on 2 cores. */
    public static final int DEFAULT_MAX_ITEMS = 20_000;
    /**
     * Default kept weights per source item. More than item-kNN's 100 because EASE rows have negative
     * and tiny weights that pruning drops, and the extra entries are cheap (8 bytes each).
     */
    public static final int DEFAULT_NEIGHBOURS = 200;
    public static final int MAX_NEIGHBOURS = 10_000;

    /**
     * @param lambda     L2 regularisation added to the Gram diagonal, finite and > 0
     * @param maxItems   largest number of items modelled, in [1, {@value SpdInverse#MAX_ORDER}]
     * @param neighbours weights kept per source item when pruning, in [1, {@value #MAX_NEIGHBOURS}]
     * @param threads    worker threads, >= 0 (0 = all available processors)
     */
    public record Parameters(double lambda, int maxItems, int neighbours, int threads) {
        public Parameters {
            if (!(lambda > 0) || Double.isInfinite(lambda)) {
                throw new IllegalArgumentException("lambda must be a finite number > 0, got " + lambda);
            }
            if (maxItems < 1 || maxItems > SpdInverse.MAX_ORDER) {
                throw new IllegalArgumentException("maxItems must be in [1, " + SpdInverse.MAX_ORDER + "], got " + maxItems);
            }
            if (neighbours < 1 || neighbours > MAX_NEIGHBOURS) {
                throw new IllegalArgumentException("neighbours must be in [1, " + MAX_NEIGHBOURS + "], got " + neighbours);
            }
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0 (0 = all processors), got " + threads);
            }
        }

        public static Parameters defaults() {
            return new Parameters(DEFAULT_LAMBDA, DEFAULT_MAX_ITEMS, DEFAULT_NEIGHBOURS, 0);
        }

        public Parameters withLambda(double l) { return new Parameters(l, maxItems, neighbours, threads); }
        public Parameters withMaxItems(int m) { return new Parameters(lambda, m, neighbours, threads); }
        public Parameters withNeighbours(int k) { return new Parameters(lambda, maxItems, k, threads); }
        public Parameters withThreads(int t) { return new Parameters(lambda, maxItems, neighbours, t); }
    }

    private Ease() {}

    /**
     * Fits EASE and prunes it to {@code params.neighbours()} weights per source item (the usual path),
     * keeping the weights of largest magnitude, negative ones included: on MovieLens latest-small
     * (holdout-v1 test split, --min-weight 4, lambda 200, 200 weights per item, `reco eval`) the served
     * NDCG@20 was 0.1507 with them against 0.1435 keeping the largest positive weights, the dense model
     * scoring 0.1513 (docs/quality.md).
     */
    public static Neighborhoods fit(CsrMatrix userItem, Parameters params, Progress.Factory progress) {
        return fit(userItem, null, params, progress);
    }

    /**
     * As {@link #fit(CsrMatrix, Parameters, Progress.Factory)}, modelling only the items with
     * {@code candidates[item]} (null: every item with an interaction). The trainer passes the items with
     * at least one positive: weak below-threshold evidence still shapes their weights (it is in the Gram
     * matrix) without making items nobody liked part of the n x n inverse.
     */
    public static Neighborhoods fit(CsrMatrix userItem, boolean[] candidates, Parameters params, Progress.Factory progress) {
        return fitDense(userItem, candidates, params, progress).prune(params.neighbours(), DenseEase.Pruning.LARGEST_MAGNITUDE);
    }

    /**
     * Fits EASE and keeps the dense weights, for pruning experiments ({@link DenseEase#comparePruned}).
     *
     * @param userItem user x item strengths, duplicates already combined, values > 0
     * @throws IllegalStateException if the heap cannot hold the n x n matrix (message says how much is needed)
     */
    public static DenseEase fitDense(CsrMatrix userItem, Parameters params, Progress.Factory progress) {
        return fitDense(userItem, null, params, progress);
    }

    /** @param candidates items that may be modelled (null: all); see {@link #fit(CsrMatrix, boolean[], Parameters, Progress.Factory)} */
    public static DenseEase fitDense(CsrMatrix userItem, boolean[] candidates, Parameters params, Progress.Factory progress) {
        ItemKnn.requirePositiveFinite(userItem);
        if (candidates != null && candidates.length != userItem.cols) {
            throw new IllegalArgumentException("candidates has " + candidates.length + " entries for " + userItem.cols + " items");
        }
        int[] modelItems = selectItems(userItem, candidates, params.maxItems());
        int n = modelItems.length;
        int[] localOf = new int[userItem.cols];
        Arrays.fill(localOf, -1);
        for (int local = 0; local < n; local++) {
            localOf[modelItems[local]] = local;
        }
        int threads = ParallelRange.resolveThreads(params.threads());
        double[] matrix = allocate(n);
        CsrMatrix restricted = restrictColumns(userItem, localOf, n);
        try (Progress bar = progress.start("ease gram", n)) {
            gramLowerTriangle(restricted, matrix, n, threads, bar);
        }
        for (int i = 0; i < n; i++) {
            matrix[i * n + i] += params.lambda();
        }
        SpdInverse.invertInPlace(matrix, n, threads, progress);
        weightsFromInverse(matrix, n, threads);
        return new DenseEase(userItem.cols, modelItems, localOf, matrix, threads);
    }

    static int[] selectItems(CsrMatrix userItem, int maxItems) {
        return selectItems(userItem, null, maxItems);
    }

    /** Candidate items with at least one user, capped to the {@code maxItems} with the most users; ascending ids. */
    static int[] selectItems(CsrMatrix userItem, boolean[] candidates, int maxItems) {
        int[] users = new int[userItem.cols];
        for (int p = 0; p < userItem.nnz(); p++) {
            int item = userItem.indices[p];
            if (candidates == null || candidates[item]) {
                users[item]++;
            }
        }
        int present = 0;
        for (int count : users) {
            present += count > 0 ? 1 : 0;
        }
        int[] selected;
        if (present <= maxItems) {
            selected = new int[present];
            for (int item = 0, w = 0; item < users.length; item++) {
                if (users[item] > 0) {
                    selected[w++] = item;
                }
            }
        } else {
            // (count desc, id asc) as one sortable long: ~count in the high half, id in the low half.
            long[] keys = new long[present];
            for (int item = 0, w = 0; item < users.length; item++) {
                if (users[item] > 0) {
                    keys[w++] = ((long) (Integer.MAX_VALUE - users[item]) << 32) | item;
                }
            }
            Arrays.sort(keys);
            selected = new int[maxItems];
            for (int r = 0; r < maxItems; r++) {
                selected[r] = (int) keys[r];
            }
            Arrays.sort(selected);
        }
        return selected;
    }

    private static double[] allocate(int n) {
        long bytes = 8L * n * n;
        try {
            return new double[n * n];
        } catch (OutOfMemoryError e) {
            throw new IllegalStateException("EASE on " + n + " items needs " + (bytes >> 20)
                    + " MiB of heap for the dense " + n + " x " + n + " matrix (max heap " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB): lower maxItems or raise -Xmx", e);
        }
    }

    /** X restricted to the model's items, columns renumbered to local ids (monotone, so rows stay sorted). */
    static CsrMatrix restrictColumns(CsrMatrix userItem, int[] localOf, int n) {
        int[] indptr = new int[userItem.rows + 1];
        int kept = 0;
        for (int p = 0; p < userItem.nnz(); p++) {
            kept += localOf[userItem.indices[p]] >= 0 ? 1 : 0;
        }
        int[] indices = new int[kept];
        float[] values = new float[kept];
        int w = 0;
        for (int u = 0; u < userItem.rows; u++) {
            for (int p = userItem.indptr[u]; p < userItem.indptr[u + 1]; p++) {
                int local = localOf[userItem.indices[p]];
                if (local >= 0) {
                    indices[w] = local;
                    values[w++] = userItem.values[p];
                }
            }
            indptr[u + 1] = w;
        }
        return new CsrMatrix(userItem.rows, n, indptr, indices, values);
    }

    /** Lower triangle (diagonal included) of X^T X, row by row, each row summed in user order. */
    static void gramLowerTriangle(CsrMatrix x, double[] g, int n, int threads, Progress bar) {
        CsrMatrix xt = x.transpose();
        int chunk = 32;
        ParallelRange.run((n + chunk - 1) / chunk, threads, "ease-gram", w -> c -> {
            int first = c * chunk;
            int last = Math.min(n, first + chunk);
            for (int a = first; a < last; a++) {
                int row = a * n;
                for (int p = xt.indptr[a]; p < xt.indptr[a + 1]; p++) {
                    int user = xt.indices[p];
                    double weight = xt.values[p];
                    for (int q = x.indptr[user], end = x.indptr[user + 1]; q < end; q++) {
                        int b = x.indices[q];
                        if (b > a) {
                            break;
                        }
                        g[row + b] += weight * x.values[q];
                    }
                }
            }
            bar.step(last - first);
        });
    }

    /** In place: P becomes B with B_ij = -P_ij / P_jj and a zero diagonal. */
    static void weightsFromInverse(double[] p, int n, int threads) {
        double[] reciprocalDiagonal = new double[n];
        for (int j = 0; j < n; j++) {
            reciprocalDiagonal[j] = 1.0 / p[j * n + j];
        }
        int chunk = 64;
        ParallelRange.run((n + chunk - 1) / chunk, threads, "ease-weights", w -> c -> {
            for (int i = c * chunk, end = Math.min(n, i + chunk); i < end; i++) {
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    p[row + j] = -p[row + j] * reciprocalDiagonal[j];
                }
                p[row + i] = 0.0;
            }
        });
    }
}
