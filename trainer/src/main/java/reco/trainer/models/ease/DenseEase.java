package reco.trainer.models.ease;

import java.util.Arrays;
import reco.model.Neighborhoods;
import reco.trainer.math.CsrMatrix;
import reco.trainer.models.knn.ItemKnn;
import reco.trainer.models.parallel.ParallelRange;
import reco.model.topk.TopK;

/**
 * A fitted EASE model with its dense weights B over the modelled items (see {@link Ease}). Holds
 * 8 n^2 bytes: prune it and drop it. Item arguments and results use the caller's (global) item
 * indices; items outside the model have no weights.
 */
public final class DenseEase {
    private final int catalogueSize;
    private final int[] modelItems;
    private final int[] localOf;
    private final double[] weights;
    private final int threads;

    DenseEase(int catalogueSize, int[] modelItems, int[] localOf, double[] weights, int threads) {
        this.catalogueSize = catalogueSize;
        this.modelItems = modelItems;
        this.localOf = localOf;
        this.weights = weights;
        this.threads = threads;
    }

    /** Number of items in the caller's catalogue (columns of the training matrix). */
    public int catalogueSize() { return catalogueSize; }

    /** Modelled items (global indices), ascending. */
    public int[] modelItems() { return modelItems.clone(); }

    public boolean isModelled(int item) { return localOf[item] >= 0; }

    /** B[source][target]: how much having {@code source} raises {@code target}'s score; 0 outside the model. */
    public double weight(int source, int target) {
        int i = localOf[source];
        int j = localOf[target];
        return i < 0 || j < 0 ? 0.0 : weights[i * modelItems.length + j];
    }

    /** Which weights of a row of B survive pruning. */
    public enum Pruning {
        /** The k largest strictly positive weights: a list of items that raise the target's score. */
        LARGEST_POSITIVE,
        /**
         * The k weights of largest magnitude, negative ones included: EASE relies on negative weights
         * to push down items that "explain away" (e.g. near-duplicates), so this keeps dense rankings
         * better at the same k; lists are still stored by value, best first.
         */
        LARGEST_MAGNITUDE
    }

    /** {@link #prune(int, Pruning)} with {@link Pruning#LARGEST_POSITIVE}. */
    public Neighborhoods prune(int k) {
        return prune(k, Pruning.LARGEST_POSITIVE);
    }

    /**
     * Keeps, for each source item i, {@code k} weights B[i][j] (j != i, non-zero) chosen by {@code rule},
     * listed by value best first, ties by lower item index. Items outside the model get empty lists.
     */
    public Neighborhoods prune(int k, Pruning rule) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        int n = modelItems.length;
        int slot = Math.max(1, Math.min(k, n - 1));
        int[] sizes = new int[catalogueSize];
        int[] slotItems = new int[Math.multiplyExact(catalogueSize, slot)];
        float[] slotScores = new float[slotItems.length];
        boolean byMagnitude = rule == Pruning.LARGEST_MAGNITUDE;
        int chunk = 64;
        ParallelRange.run((n + chunk - 1) / chunk, threads, "ease-prune", w -> {
            TopK heap = new TopK(slot);
            long[] order = new long[slot];
            return c -> {
                for (int i = c * chunk, end = Math.min(n, i + chunk); i < end; i++) {
                    heap.clear();
                    int row = i * n;
                    for (int j = 0; j < n; j++) {
                        float score = (float) weights[row + j];
                        float key = byMagnitude ? Math.abs(score) : score;
                        if (key > 0 && j != i && !heap.wouldReject(key)) {
                            heap.offer(j, key);
                        }
                    }
                    int source = modelItems[i];
                    int base = source * slot;
                    int size = heap.drainInto(slotItems, slotScores, base);
                    for (int t = 0; t < size; t++) {
                        int local = slotItems[base + t];
                        float score = (float) weights[row + local];
                        // value descending, then lower index: sort ascending on (~value bits, index)
                        order[t] = ((long) ~TopK.sortableBits(score) << 32) | local;
                    }
                    if (byMagnitude) {
                        Arrays.sort(order, 0, size);
                    }
                    for (int t = 0; t < size; t++) {
                        int local = (int) order[t];
                        slotItems[base + t] = modelItems[local];
                        slotScores[base + t] = (float) weights[row + local];
                    }
                    sizes[source] = size;
                }
            };
        });
        return ItemKnn.compact(sizes, slot, slotItems, slotScores);
    }

    /**
     * What pruning costs in recommendations: how much of each user's top-N from the dense B the pruned
     * lists reproduce.
     *
     * @param overlap        mean over users of |dense top-N ∩ pruned top-N| / |dense top-N|
     * @param exactLists     fraction of users whose two top-N lists are equal, order included
     * @param usersEvaluated users with at least one modelled item (the others are skipped)
     */
    public record PruningReport(int topN, int usersEvaluated, double overlap, double exactLists) {}

    /**
     * Compares top-N lists for the given users (rows of {@code userItem}): dense scores
     * {@code s_j = sum_i x_ui B_ij} over all modelled items vs. the same sum over {@code pruned}'s
     * lists only. Items the user already has are excluded from both lists; ranking is by score, ties
     * by lower index.
     */
    public PruningReport comparePruned(CsrMatrix userItem, int[] users, int topN, Neighborhoods pruned) {
        if (topN < 1) {
            throw new IllegalArgumentException("topN must be >= 1, got " + topN);
        }
        if (userItem.cols != catalogueSize || pruned.itemCount() != catalogueSize) {
            throw new IllegalArgumentException("catalogue sizes disagree: model " + catalogueSize + ", matrix "
                    + userItem.cols + ", neighbourhoods " + pruned.itemCount());
        }
        int n = modelItems.length;
        double[] denseScores = new double[n];
        double[] prunedScores = new double[catalogueSize];
        boolean[] touched = new boolean[catalogueSize];
        boolean[] seen = new boolean[catalogueSize];
        TopK denseTop = new TopK(topN);
        TopK prunedTop = new TopK(topN);
        int[] denseIds = new int[topN];
        int[] prunedIds = new int[topN];
        float[] scratch = new float[topN];
        int evaluated = 0;
        int exact = 0;
        double overlapSum = 0;
        for (int user : users) {
            int start = userItem.indptr[user];
            int end = userItem.indptr[user + 1];
            boolean any = false;
            Arrays.fill(denseScores, 0);
            int[] candidates = new int[0];
            int candidateCount = 0;
            for (int p = start; p < end; p++) {
                seen[userItem.indices[p]] = true;
                int i = localOf[userItem.indices[p]];
                if (i < 0) {
                    continue;
                }
                any = true;
                double x = userItem.values[p];
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    denseScores[j] += x * weights[row + j];
                }
                int source = userItem.indices[p];
                for (int q = pruned.start(source); q < pruned.end(source); q++) {
                    int target = pruned.items()[q];
                    if (!touched[target]) {
                        touched[target] = true;
                        if (candidateCount == candidates.length) {
                            candidates = Arrays.copyOf(candidates, Math.max(16, candidateCount * 2));
                        }
                        candidates[candidateCount++] = target;
                    }
                    prunedScores[target] += x * pruned.scores()[q];
                }
            }
            if (any) {
                denseTop.clear();
                for (int j = 0; j < n; j++) {
                    if (!seen[modelItems[j]]) {
                        denseTop.offer(modelItems[j], (float) denseScores[j]);
                    }
                }
                prunedTop.clear();
                for (int c = 0; c < candidateCount; c++) {
                    int target = candidates[c];
                    if (!seen[target]) {
                        prunedTop.offer(target, (float) prunedScores[target]);
                    }
                }
                int denseCount = denseTop.drainInto(denseIds, scratch, 0);
                int prunedCount = prunedTop.drainInto(prunedIds, scratch, 0);
                int common = 0;
                for (int a = 0; a < denseCount; a++) {
                    for (int b = 0; b < prunedCount; b++) {
                        if (denseIds[a] == prunedIds[b]) {
                            common++;
                            break;
                        }
                    }
                }
                evaluated++;
                overlapSum += denseCount == 0 ? 1.0 : (double) common / denseCount;
                if (denseCount == prunedCount && Arrays.equals(denseIds, 0, denseCount, prunedIds, 0, prunedCount)) {
                    exact++;
                }
            }
            for (int p = start; p < end; p++) {
                seen[userItem.indices[p]] = false;
            }
            for (int c = 0; c < candidateCount; c++) {
                touched[candidates[c]] = false;
                prunedScores[candidates[c]] = 0;
            }
        }
        return new PruningReport(topN, evaluated,
                evaluated == 0 ? 0 : overlapSum / evaluated, evaluated == 0 ? 0 : (double) exact / evaluated);
    }
}
