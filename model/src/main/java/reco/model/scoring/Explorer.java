package reco.model.scoring;

import reco.model.ModelKind;
import reco.model.generation.Generation;
import reco.model.generation.ItemCatalog;
import reco.model.generation.NeighborLists;
import reco.model.generation.PopularityRanking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Exploration candidates: items from categories the user has rarely or never touched (below
 * {@link #RARE_SHARE} of the category mentions of their profile), chosen from what users with
 * overlapping histories liked there: collaborative neighbours (item-kNN, else EASE, else ALS
 * neighbour lists) of the profile's items, scored {@code sum_i w_i sim(i, j)}. When those run short,
 * the most popular items of such categories fill in. The pick is a seeded draw without replacement
 * proportional to score (Gumbel top-k, noise derived from seed and item id only), one item per
 * category first: deterministic for a seed, different seeds explore differently.
 */
public final class Explorer {
    /** A category below this share of the user's category mentions counts as unexplored. */
    public static final double RARE_SHARE = 0.05;
    private static final ModelKind[] COLLABORATIVE = {ModelKind.ITEM_KNN, ModelKind.EASE, ModelKind.ALS};

    /**
     * One exploration item.
     *
     * @param category the unexplored catalogue category it stands for
     * @param collaborative true when similar users' choices found it, false for the popularity fill-in
     */
    public record Pick(int item, int category, boolean collaborative, double score) {}

    private Explorer() {}

    /** Catalogue categories whose share of the profile's category mentions is below {@link #RARE_SHARE}. */
    public static boolean[] unexploredCategories(ItemCatalog catalog, Recommender.WeightedItems profile) {
        int categories = catalog.categoryNameCount();
        double[] mass = new double[categories];
        double total = 0;
        for (int p = 0; p < profile.items().length; p++) {
            int i = profile.items()[p];
            int n = catalog.categoryCount(i);
            for (int c = 0; c < n; c++) {
                double w = Math.abs(profile.weights()[p]) / n;
                mass[catalog.category(i, c)] += w;
                total += w;
            }
        }
        boolean[] rare = new boolean[categories];
        for (int c = 0; c < categories; c++) {
            rare[c] = total == 0 || mass[c] / total < RARE_SHARE;
        }
        return rare;
    }

    /**
     * Up to {@code count} exploration items that pass {@code accepts} and are neither in {@code exclude}
     * nor in {@code chosen}. Empty without a catalogue.
     */
    public static List<Pick> explore(Generation generation, Recommender.WeightedItems profile, IntSet exclude,
                                     java.util.function.IntPredicate accepts, IntSet chosen, int count, long seed) {
        ItemCatalog catalog = generation.catalog();
        if (catalog == null || count <= 0 || catalog.categoryNameCount() == 0) {
            return List.of();
        }
        boolean[] rare = unexploredCategories(catalog, profile);
        Map<Integer, Double> collaborative = new HashMap<>();
        NeighborLists lists = null;
        for (ModelKind m : COLLABORATIVE) {
            if ((lists = generation.neighbors(m)) != null) {
                break;
            }
        }
        if (lists != null) {
            for (int p = 0; p < profile.items().length; p++) {
                int i = profile.items()[p];
                float w = profile.weights()[p];
                for (long q = lists.start(i), end = lists.end(i); q < end; q++) {
                    int j = lists.neighbor(q);
                    float s = lists.score(q);
                    if (s > 0 && rareCategory(catalog, j, rare, profile) >= 0 && eligible(j, exclude, accepts, chosen)) {
                        collaborative.merge(j, (double) w * s, Double::sum);
                    }
                }
            }
        }
        List<Pick> picks = draw(collaborative, catalog, rare, profile, count, seed, true);
        if (picks.size() < count) {
            Set<Integer> taken = new HashSet<>();
            for (Pick p : picks) {
                taken.add(p.item());
            }
            Map<Integer, Double> popular = new HashMap<>();
            PopularityRanking pop = generation.popularity();
            int wanted = 20 * count;
            for (int r = 0, size = pop.size(false); r < size && popular.size() < wanted; r++) {
                int item = pop.item(false, r);
                if (!taken.contains(item) && rareCategory(catalog, item, rare, profile) >= 0
                        && eligible(item, exclude, accepts, chosen)) {
                    popular.put(item, Math.max(1e-9, pop.score(false, r)));
                }
            }
            for (Pick p : draw(popular, catalog, rare, profile, count - picks.size(), seed, false)) {
                picks.add(p);
            }
        }
        return picks;
    }

    private static boolean eligible(int item, IntSet exclude, java.util.function.IntPredicate accepts, IntSet chosen) {
        return !exclude.contains(item) && !chosen.contains(item) && accepts.test(item);
    }

    /** The item's unexplored category the profile touched least (ties: lowest id), or -1. */
    private static int rareCategory(ItemCatalog catalog, int item, boolean[] rare, Recommender.WeightedItems profile) {
        int best = -1;
        int n = catalog.categoryCount(item);
        for (int k = 0; k < n; k++) {
            int c = catalog.category(item, k);
            if (rare[c] && (best < 0 || c < best)) {
                best = c;
            }
        }
        return best;
    }

    private static List<Pick> draw(Map<Integer, Double> scores, ItemCatalog catalog, boolean[] rare,
                                   Recommender.WeightedItems profile, int count, long seed, boolean collaborative) {
        record Keyed(int item, double score, double key) {}
        List<Keyed> keyed = new ArrayList<>(scores.size());
        for (Map.Entry<Integer, Double> e : scores.entrySet()) {
            if (e.getValue() > 0) {
                keyed.add(new Keyed(e.getKey(), e.getValue(), Math.log(e.getValue()) + gumbel(seed, e.getKey())));
            }
        }
        keyed.sort(Comparator.comparingDouble((Keyed k) -> -k.key()).thenComparingInt(Keyed::item));
        List<Pick> out = new ArrayList<>(count);
        Set<Integer> usedCategories = new HashSet<>();
        boolean[] picked = new boolean[keyed.size()];
        for (int pass = 0; pass < 2 && out.size() < count; pass++) {
            for (int k = 0; k < keyed.size() && out.size() < count; k++) {
                if (picked[k]) {
                    continue;
                }
                int category = rareCategory(catalog, keyed.get(k).item(), rare, profile);
                if (pass == 0 && !usedCategories.add(category)) {
                    continue; // one item per category first: explore breadth before depth
                }
                picked[k] = true;
                out.add(new Pick(keyed.get(k).item(), category, collaborative, keyed.get(k).score()));
            }
        }
        return out;
    }

    /** Standard Gumbel noise from (seed, item) alone, so the draw ignores map iteration order. */
    static double gumbel(long seed, int item) {
        double u = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + item).nextDouble();
        return -Math.log(-Math.log(Math.max(u, 1e-300)));
    }
}
