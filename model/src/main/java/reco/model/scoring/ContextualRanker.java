package reco.model.scoring;

import reco.model.ModelKind;
import reco.model.generation.Generation;
import reco.model.generation.ItemCatalog;
import reco.model.generation.PopularityRanking;
import reco.model.generation.TimeOfDayProfile;
import reco.model.generation.UserHistories;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The request-time layer over {@link Recommender}: scores a candidate pool larger than k with the
 * requested model (or popularity, for fallbacks), then, per {@link RerankOptions},
 *
 * <ol>
 *   <li>scales relevance to [0, 1] by the pool's best score;</li>
 *   <li>multiplies it by {@code (1 - w) + w * relative popularity of the item at the request's hour}
 *       (time-of-day context, when the generation has a {@link TimeOfDayProfile});</li>
 *   <li>multiplies it by the request's category boosts (0 removes the item);</li>
 *   <li>reserves {@code round(share * k)} slots for {@link Explorer} picks, spread evenly down the list;</li>
 *   <li>fills the other slots by {@link Mmr} with the requested diversity;</li>
 *   <li>when asked, writes a short reason per item ({@link Explainer} for model scores).</li>
 * </ol>
 * With {@link RerankOptions#NONE} the answer is exactly the {@link Recommender}'s. Thread-safe.
 */
public final class ContextualRanker {
    /** Relative popularity at or above which a reason mentions the time of day. */
    static final float NOTABLE_CONTEXT = 1.2f;

    private final Recommender recommender;
    private final Generation generation;
    private final Explainer explainer;
    private final ItemSimilarity similarity;

    public ContextualRanker(Recommender recommender) {
        this.recommender = recommender;
        this.generation = recommender.generation();
        this.explainer = new Explainer(recommender);
        this.similarity = ItemSimilarity.forGeneration(generation);
    }

    public Recommender recommender() {
        return recommender;
    }

    /** The explainer the reasons come from (shares this ranker's fold-in state). */
    public Explainer explainer() {
        return explainer;
    }

    /** {@link Recommender#recommendForUser}, re-ranked and explained per {@code options}. */
    public RankedList recommendForUser(int user, int[] recentItems, int k, ModelKind requested, ItemFilter filter,
                                       boolean includeSeen, RerankOptions options) {
        ModelKind model = recommender.resolve(requested);
        checkSupported(options);
        Recommendations pool = recommender.recommendForUser(user, recentItems, options.poolSize(k), model, filter, includeSeen);
        IntSet exclude = new IntSet(16);
        if (!includeSeen) {
            UserHistories h = generation.histories();
            if (user >= 0) {
                for (long p = h.start(user), e = h.end(user); p < e; p++) {
                    exclude.add(h.item(p));
                }
            }
            for (int r : recentItems) {
                exclude.add(r);
            }
        }
        ModelKind profileModel = model == ModelKind.POPULARITY ? generation.defaultModel() : model;
        Recommender.WeightedItems profile = recommender.weightedProfile(user, recentItems, profileModel);
        return rerank(pool, k, filter, exclude, profile, user, recentItems, model, options, user >= 0);
    }

    /** {@link Recommender#recommendForItems}, re-ranked and explained per {@code options}. */
    public RankedList recommendForItems(int[] items, int k, ModelKind requested, ItemFilter filter, boolean includeInputs,
                                        RerankOptions options) {
        ModelKind model = recommender.resolve(requested);
        checkSupported(options);
        Recommendations pool = recommender.recommendForItems(items, options.poolSize(k), model, filter, includeInputs);
        IntSet exclude = new IntSet(items.length + 1);
        if (!includeInputs) {
            for (int i : items) {
                exclude.add(i);
            }
        }
        ModelKind profileModel = model == ModelKind.POPULARITY ? generation.defaultModel() : model;
        Recommender.WeightedItems profile = recommender.weightedProfile(-1, items, profileModel);
        return rerank(pool, k, filter, exclude, profile, -1, items, model, options, false);
    }

    private void checkSupported(RerankOptions options) {
        if (options.diversity() > 0 && similarity == null) {
            throw new UnsupportedModelException("diversity needs item embeddings (ALS) or item categories; "
                    + "this generation has neither");
        }
    }

    private RankedList rerank(Recommendations pool, int k, ItemFilter filter, IntSet exclude,
                              Recommender.WeightedItems profile, int user, int[] recentItems, ModelKind model,
                              RerankOptions options, boolean knownUser) {
        TimeOfDayProfile tod = options.contextWeight() > 0 || options.explain() ? generation.timeOfDay() : null;
        int bin = tod == null ? -1 : tod.bin(options.contextEpochSeconds());
        if (!options.reranks()) {
            return new RankedList(pool, options.explain() ? reasons(pool, profile, user, recentItems, model,
                    knownUser, bin, options) : null);
        }
        int n = pool.size();
        double[] relevance = relevance(pool.scores());
        ItemCatalog catalog = generation.catalog();
        double w = tod == null ? 0 : options.contextWeight();
        for (int p = 0; p < n; p++) {
            int item = pool.items()[p];
            if (w > 0) {
                relevance[p] *= (1 - w) + w * tod.itemRelative(item, bin);
            }
            if (!options.categoryBoosts().isEmpty() && catalog != null) {
                relevance[p] *= boost(catalog, item, options.categoryBoosts());
            }
        }
        // keep the candidates still in play, best relevance first (stable: ties keep the model's order)
        Integer[] order = new Integer[n];
        for (int p = 0; p < n; p++) {
            order[p] = p;
        }
        Arrays.sort(order, (a, b) -> Double.compare(relevance[b], relevance[a]));
        int live = 0;
        int[] candidates = new int[n];
        double[] candidateRelevance = new double[n];
        for (int p : order) {
            if (relevance[p] > 0) {
                candidates[live] = pool.items()[p];
                candidateRelevance[live] = relevance[p];
                live++;
            }
        }
        candidates = Arrays.copyOf(candidates, live);
        candidateRelevance = Arrays.copyOf(candidateRelevance, live);

        int explorationSlots = (int) Math.round(options.explorationShare() * k);
        List<Explorer.Pick> explored = List.of();
        if (explorationSlots > 0) {
            IntSet none = new IntSet(1);
            java.util.function.IntPredicate explorationFilter = options.categoryBoosts().isEmpty() || catalog == null
                    ? filter::accepts
                    : item -> filter.accepts(item) && boost(catalog, item, options.categoryBoosts()) > 0;
            explored = Explorer.explore(generation, profile, exclude, explorationFilter, none, explorationSlots, options.seed());
        }
        IntSet exploredItems = new IntSet(explored.size() + 1);
        for (Explorer.Pick p : explored) {
            exploredItems.add(p.item());
        }
        // MMR fills the remaining slots from candidates not already taken by exploration
        int[] mmrCandidates = new int[live];
        double[] mmrRelevance = new double[live];
        int m = 0;
        for (int c = 0; c < live; c++) {
            if (!exploredItems.contains(candidates[c])) {
                mmrCandidates[m] = candidates[c];
                mmrRelevance[m] = candidateRelevance[c];
                m++;
            }
        }
        mmrCandidates = Arrays.copyOf(mmrCandidates, m);
        mmrRelevance = Arrays.copyOf(mmrRelevance, m);
        int mainSlots = Math.min(k - explored.size(), m);
        int[] picked = options.diversity() > 0
                ? Mmr.select(mmrCandidates, mmrRelevance, mainSlots, options.diversity(), similarity)
                : firstPositions(mainSlots);

        int total = mainSlots + explored.size();
        int[] items = new int[total];
        float[] scores = new float[total];
        boolean[] isExploration = new boolean[total];
        int[] explorationCategory = new int[total];
        boolean[] explorationCollaborative = new boolean[total];
        boolean[] slotTaken = new boolean[total];
        // exploration items at evenly spaced slots (e.g. 4th and 8th of 10), not all at the bottom
        double lowest = mainSlots == 0 ? 1 : Double.MAX_VALUE;
        for (int p = 0; p < mainSlots; p++) {
            lowest = Math.min(lowest, mmrRelevance[picked[p]]);
        }
        for (int e = 0; e < explored.size(); e++) {
            int slot = Math.min(total - 1, (int) Math.round((e + 1) * (double) total / (explored.size() + 1)) - 1);
            while (slotTaken[slot]) {
                slot = (slot + 1) % total;
            }
            slotTaken[slot] = true;
            Explorer.Pick pick = explored.get(e);
            items[slot] = pick.item();
            scores[slot] = (float) lowest;
            isExploration[slot] = true;
            explorationCategory[slot] = pick.category();
            explorationCollaborative[slot] = pick.collaborative();
        }
        int next = 0;
        for (int slot = 0; slot < total; slot++) {
            if (!slotTaken[slot]) {
                items[slot] = mmrCandidates[picked[next]];
                scores[slot] = (float) mmrRelevance[picked[next]];
                next++;
            }
        }
        Recommendations out = new Recommendations(items, scores, pool.servedBy(), pool.fallbackReason());
        String[] reasons = null;
        if (options.explain()) {
            reasons = reasons(out, profile, user, recentItems, model, knownUser, bin, options);
            for (int slot = 0; slot < total; slot++) {
                if (isExploration[slot]) {
                    reasons[slot] = "exploring " + catalog.categoryName(explorationCategory[slot])
                            + (explorationCollaborative[slot] ? ": liked by people with similar taste" : ": popular there");
                }
            }
        }
        return new RankedList(out, reasons);
    }

    private static int[] firstPositions(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    /**
     * Scores scaled to [0, 1] by the best one. Non-positive scores (the popularity backfill below every
     * model score) map to small positive values that keep their order, so they stay re-rankable.
     */
    static double[] relevance(float[] scores) {
        int n = scores.length;
        double[] out = new double[n];
        double best = 0;
        for (float s : scores) {
            best = Math.max(best, s);
        }
        for (int p = 0; p < n; p++) {
            out[p] = scores[p] > 0 && best > 0 ? scores[p] / best : 1e-3 * (n - p) / (n + 1.0);
        }
        return out;
    }

    static double boost(ItemCatalog catalog, int item, Map<Integer, Float> boosts) {
        double b = 1;
        int n = catalog.categoryCount(item);
        for (int c = 0; c < n; c++) {
            Float m = boosts.get(catalog.category(item, c));
            if (m != null) {
                b *= m;
            }
        }
        return b;
    }

    // ---------------------------------------------------------------- reasons

    private String[] reasons(Recommendations list, Recommender.WeightedItems profile, int user,
                             int[] recentItems, ModelKind model, boolean knownUser, int bin, RerankOptions options) {
        String[] out = new String[list.size()];
        ItemCatalog catalog = generation.catalog();
        boolean modelScored = list.servedBy() != ModelKind.POPULARITY;
        for (int p = 0; p < list.size(); p++) {
            int item = list.items()[p];
            String reason = null;
            if (modelScored) {
                try {
                    Explanation e = explainer.explain(user, recentItems, item, list.servedBy());
                    Explanation.Contribution top = e.top();
                    if (top != null) {
                        String title = catalog == null || catalog.title(top.item()).isEmpty()
                                ? generation.itemIds().id(top.item()) : catalog.title(top.item());
                        reason = (knownUser ? "because you watched " : "because of ") + title;
                    }
                } catch (UnsupportedModelException | IllegalStateException e) {
                    reason = "recommended by the " + list.servedBy().id + " model";
                }
            }
            out[p] = reason != null ? reason : popularReason(item, catalog, bin, options);
        }
        return out;
    }

    private String popularReason(int item, ItemCatalog catalog, int bin, RerankOptions options) {
        TimeOfDayProfile tod = generation.timeOfDay();
        String category = catalog != null && catalog.categoryCount(item) > 0 ? catalog.categoryName(catalog.category(item, 0)) : null;
        if (tod != null && bin >= 0 && options.contextWeight() > 0 && tod.itemRelative(item, bin) >= NOTABLE_CONTEXT) {
            return "popular" + (category == null ? "" : " in " + category) + " " + TimeOfDayProfile.describe(bin);
        }
        PopularityRanking pop = generation.popularity();
        return pop.size(true) > 0 ? "popular now" + (category == null ? "" : " in " + category)
                : "popular" + (category == null ? "" : " in " + category);
    }
}
