package reco.model.scoring;

import java.util.Map;

/**
 * Per-request re-ranking knobs; every one is off by default ({@link #NONE}).
 *
 * @param diversity MMR trade-off in [0, 1]: 0 = pure relevance (off), 1 = pure dissimilarity
 * @param explorationShare share of the k slots in [0, 1] for items from categories the user rarely touched
 * @param seed chooses among exploration candidates (same seed, same list)
 * @param contextWeight weight in [0, 1] of the time-of-day relative popularity (0 = off)
 * @param contextEpochSeconds the moment the recommendation is for (unix seconds)
 * @param categoryBoosts catalogue category id -> relevance multiplier in [0, {@value #MAX_BOOST}]
 * @param explain attach a short reason to every item
 */
public record RerankOptions(double diversity, double explorationShare, long seed, double contextWeight,
                            long contextEpochSeconds, Map<Integer, Float> categoryBoosts, boolean explain) {
    public static final RerankOptions NONE = new RerankOptions(0, 0, 0, 0, 0, Map.of(), false);
    /** Largest category boost multiplier. */
    public static final float MAX_BOOST = 100f;
    /** Candidate pool re-ranked: max(POOL_FACTOR * k, MIN_POOL). */
    public static final int POOL_FACTOR = 5;
    public static final int MIN_POOL = 200;

    public RerankOptions {
        unit("diversity", diversity);
        unit("explorationShare", explorationShare);
        unit("contextWeight", contextWeight);
        categoryBoosts = Map.copyOf(categoryBoosts);
        for (Map.Entry<Integer, Float> e : categoryBoosts.entrySet()) {
            float b = e.getValue();
            if (!(b >= 0 && b <= MAX_BOOST)) {
                throw new IllegalArgumentException("category boost for category " + e.getKey() + " must be in [0, "
                        + MAX_BOOST + "], got " + b);
            }
        }
    }

    private static void unit(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
        }
    }

    /** True when the list must be re-ranked (and not only explained). */
    public boolean reranks() {
        return diversity > 0 || explorationShare > 0 || contextWeight > 0 || !categoryBoosts.isEmpty();
    }

    /** How many candidates to score for a list of {@code k}. */
    public int poolSize(int k) {
        return reranks() ? Math.max(POOL_FACTOR * k, MIN_POOL) : k;
    }

    public RerankOptions withDiversity(double v) {
        return new RerankOptions(v, explorationShare, seed, contextWeight, contextEpochSeconds, categoryBoosts, explain);
    }

    public RerankOptions withExploration(double share, long newSeed) {
        return new RerankOptions(diversity, share, newSeed, contextWeight, contextEpochSeconds, categoryBoosts, explain);
    }

    public RerankOptions withContext(double weight, long epochSeconds) {
        return new RerankOptions(diversity, explorationShare, seed, weight, epochSeconds, categoryBoosts, explain);
    }

    public RerankOptions withCategoryBoosts(Map<Integer, Float> boosts) {
        return new RerankOptions(diversity, explorationShare, seed, contextWeight, contextEpochSeconds, boosts, explain);
    }

    public RerankOptions withExplain(boolean v) {
        return new RerankOptions(diversity, explorationShare, seed, contextWeight, contextEpochSeconds, categoryBoosts, v);
    }
}
