package reco.model.scoring;

/**
 * Maximal marginal relevance (Carbonell &amp; Goldstein 1998): picks, one at a time, the candidate
 * maximising {@code (1 - diversity) * relevance - diversity * max similarity to the items already
 * picked}. Ties go to the earlier candidate, so a pool sorted by relevance keeps its order when
 * {@code diversity} is 0. O(k * pool) similarity evaluations; {@link Cancellation#check} runs before
 * each pick, so a caller that gives up (a deadline) stops the loop within one pass over the pool.
 */
public final class Mmr {
    private Mmr() {}

    /**
     * @param candidates item indexes of the pool
     * @param relevance their relevance, parallel, typically in [0, 1]
     * @param k how many to pick (fewer when the pool is smaller)
     * @param diversity in [0, 1]
     * @return positions in {@code candidates}, in pick order
     */
    public static int[] select(int[] candidates, double[] relevance, int k, double diversity, ItemSimilarity similarity) {
        if (!(diversity >= 0 && diversity <= 1)) {
            throw new IllegalArgumentException("diversity must be in [0, 1], got " + diversity);
        }
        if (candidates.length != relevance.length) {
            throw new IllegalArgumentException("candidates (" + candidates.length + ") and relevance ("
                    + relevance.length + ") differ in length");
        }
        int n = candidates.length;
        int picks = Math.min(k, n);
        int[] out = new int[picks];
        boolean[] taken = new boolean[n];
        double[] maxSimilarity = new double[n];
        java.util.Arrays.fill(maxSimilarity, Double.NEGATIVE_INFINITY);
        for (int p = 0; p < picks; p++) {
            Cancellation.check();
            int best = -1;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                if (taken[c]) {
                    continue;
                }
                double penalty = p == 0 || diversity == 0 ? 0 : maxSimilarity[c];
                double value = (1 - diversity) * relevance[c] - diversity * penalty;
                if (value > bestValue) {
                    bestValue = value;
                    best = c;
                }
            }
            out[p] = best;
            taken[best] = true;
            if (diversity > 0) {
                for (int c = 0; c < n; c++) {
                    if (!taken[c]) {
                        maxSimilarity[c] = Math.max(maxSimilarity[c], similarity.similarity(candidates[best], candidates[c]));
                    }
                }
            }
        }
        return out;
    }
}
