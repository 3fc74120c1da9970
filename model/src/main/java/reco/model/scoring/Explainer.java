package reco.model.scoring;

import reco.model.ModelKind;
import reco.model.als.AlsExplanation;
import reco.model.generation.EmbeddingMatrix;
import reco.model.generation.Generation;
import reco.model.generation.ItemCatalog;
import reco.model.generation.NeighborLists;
import reco.model.vector.VectorUtil;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decomposes a model's score of one item over the profile it was computed from (the same profile
 * {@link Recommender} builds):
 *
 * <ul>
 *   <li>neighbour models (item-kNN, EASE, content): item i adds {@code w_i * sim(i, j)}, its profile
 *       weight times j's score in i's neighbour list (0 when j is not listed); content also names the
 *       categories i and j share;</li>
 *   <li>ALS: the Hu-Koren-Volinsky decomposition {@code c_ui * y_j^T W_u y_i} of the folded-in user
 *       vector ({@link AlsExplanation}); a known user's stored vector equals it up to solver tolerance;</li>
 *   <li>hybrid: each component explained as above and scaled by {@code weight / best component score},
 *       as the hybrid scorer blends them.</li>
 * </ul>
 * Thread-safe.
 */
public final class Explainer {
    private final Recommender recommender;
    private final Generation generation;
    private final EmbeddingFoldIn foldIn;

    public Explainer(Recommender recommender) {
        this.recommender = recommender;
        this.generation = recommender.generation();
        this.foldIn = new EmbeddingFoldIn(generation);
    }

    /**
     * Explains {@code target} for {@code user} (-1: unknown) with {@code recentItems}; a list of items
     * (a session) is explained with {@code user = -1} and the items as {@code recentItems}.
     *
     * @throws UnsupportedModelException for popularity, a model the generation lacks, or an embedding
     *     model without a stored fold-in objective
     */
    public Explanation explain(int user, int[] recentItems, int target, ModelKind requested) {
        ModelKind model = recommender.resolve(requested);
        if (model == ModelKind.POPULARITY) {
            throw new UnsupportedModelException("the popularity model ranks by item counts alone: nothing to explain per item");
        }
        Recommender.WeightedItems profile = recommender.weightedProfile(user, recentItems, model);
        Map<ModelKind, Double> components = recommender.hybridComponents(model);
        if (components == null) {
            List<Explanation.Contribution> parts = explainSingle(model, profile, target, 1.0);
            return finish(model, parts, false);
        }
        List<Explanation.Contribution> all = new ArrayList<>();
        for (Map.Entry<ModelKind, Double> c : components.entrySet()) {
            ModelKind component = c.getKey();
            double best = bestScore(component, profile, user, recentItems.length > 0);
            if (best == Double.NEGATIVE_INFINITY) {
                continue; // this component scores nothing for the profile: the hybrid skips it too
            }
            all.addAll(explainSingle(component, profile, target, c.getValue() / (best > 0 ? best : 1.0)));
        }
        return finish(model, mergeByItem(all), true);
    }

    private Explanation finish(ModelKind model, List<Explanation.Contribution> parts, boolean scaled) {
        double score = 0;
        for (Explanation.Contribution c : parts) {
            score += c.contribution();
        }
        List<Explanation.Contribution> sorted = new ArrayList<>(parts);
        sorted.sort(Comparator.comparingDouble((Explanation.Contribution c) -> -Math.abs(c.contribution()))
                .thenComparingInt(Explanation.Contribution::item));
        return new Explanation(model, (float) score, List.copyOf(sorted), scaled);
    }

    private List<Explanation.Contribution> explainSingle(ModelKind model, Recommender.WeightedItems profile, int target,
                                                        double scale) {
        EmbeddingMatrix items = generation.itemEmbeddings(model);
        if (items != null && (model == ModelKind.ALS || generation.neighbors(model) == null)) {
            AlsExplanation als = foldIn.explanation(model, profile.items(), profile.weights(), profile.items().length);
            if (als == null) {
                if (profile.items().length == 0) {
                    return List.of();
                }
                throw new UnsupportedModelException("the " + model + " model of this generation stores no fold-in objective: "
                        + "its scores cannot be decomposed (retrain with this trainer)");
            }
            int[] distinct = als.items();
            double[] similarity = als.similarities(target);
            List<Explanation.Contribution> out = new ArrayList<>(distinct.length);
            for (int k = 0; k < distinct.length; k++) {
                double c = als.confidence(k);
                out.add(new Explanation.Contribution(distinct[k], (float) (scale * c * similarity[k]), (float) c,
                        (float) similarity[k], new int[0]));
            }
            return out;
        }
        NeighborLists lists = generation.neighbors(model);
        if (lists == null) {
            throw new UnsupportedModelException("the " + model + " model of this generation has no neighbour lists");
        }
        ItemCatalog catalog = model == ModelKind.CONTENT ? generation.catalog() : null;
        Map<Integer, float[]> byItem = new HashMap<>(); // item -> {weight, similarity}
        List<Integer> order = new ArrayList<>();
        for (int p = 0; p < profile.items().length; p++) {
            int i = profile.items()[p];
            float[] acc = byItem.get(i);
            if (acc == null) {
                acc = new float[] {0, neighbourScore(lists, i, target)};
                byItem.put(i, acc);
                order.add(i);
            }
            acc[0] += profile.weights()[p];
        }
        List<Explanation.Contribution> out = new ArrayList<>(order.size());
        for (int i : order) {
            float[] acc = byItem.get(i);
            out.add(new Explanation.Contribution(i, (float) (scale * acc[0] * acc[1]), acc[0], acc[1],
                    catalog == null ? new int[0] : sharedCategories(catalog, i, target)));
        }
        return out;
    }

    /** j's score in i's neighbour list, 0 when j is not listed. */
    static float neighbourScore(NeighborLists lists, int i, int j) {
        for (long p = lists.start(i), end = lists.end(i); p < end; p++) {
            if (lists.neighbor(p) == j) {
                return lists.score(p);
            }
        }
        return 0f;
    }

    static int[] sharedCategories(ItemCatalog catalog, int a, int b) {
        int n = catalog.categoryCount(a);
        int[] out = new int[n];
        int k = 0;
        for (int c = 0; c < n; c++) {
            int category = catalog.category(a, c);
            if (catalog.hasCategory(b, category)) {
                out[k++] = category;
            }
        }
        return java.util.Arrays.copyOf(out, k);
    }

    /**
     * The component's best score over every item it touches for this profile, floored at 0 as the
     * hybrid's scaling does; NEGATIVE_INFINITY when it scores nothing.
     */
    private double bestScore(ModelKind component, Recommender.WeightedItems profile, int user, boolean hasExtraItems) {
        EmbeddingMatrix items = generation.itemEmbeddings(component);
        if (items != null && (component == ModelKind.ALS || generation.neighbors(component) == null)) {
            float[] u = null;
            EmbeddingMatrix users = generation.userEmbeddings(component);
            if (user >= 0 && !hasExtraItems && users != null) {
                u = new float[users.dimensions()];
                users.copyRow(user, u);
            } else if (profile.items().length > 0) {
                u = foldIn.userVector(generation, component, profile.items(), profile.weights(), profile.items().length);
            }
            if (u == null) {
                return Double.NEGATIVE_INFINITY;
            }
            float[] scores = new float[generation.itemCount()];
            VectorUtil.scoreAll(u, items.vectors(), scores.length, scores);
            double best = 0;
            for (float s : scores) {
                best = Math.max(best, s);
            }
            return best;
        }
        NeighborLists lists = generation.neighbors(component);
        if (lists == null) {
            return Double.NEGATIVE_INFINITY;
        }
        Map<Integer, Double> acc = new HashMap<>();
        for (int p = 0; p < profile.items().length; p++) {
            int i = profile.items()[p];
            for (long q = lists.start(i), end = lists.end(i); q < end; q++) {
                acc.merge(lists.neighbor(q), (double) (profile.weights()[p] * lists.score(q)), Double::sum);
            }
        }
        if (acc.isEmpty()) {
            return Double.NEGATIVE_INFINITY;
        }
        double best = 0;
        for (double v : acc.values()) {
            best = Math.max(best, v);
        }
        return best;
    }

    private static List<Explanation.Contribution> mergeByItem(List<Explanation.Contribution> parts) {
        Map<Integer, Explanation.Contribution> merged = new java.util.LinkedHashMap<>();
        for (Explanation.Contribution c : parts) {
            merged.merge(c.item(), c, (a, b) -> new Explanation.Contribution(a.item(), a.contribution() + b.contribution(),
                    Math.max(a.weight(), b.weight()), a.similarity() + b.similarity(),
                    a.sharedCategories().length >= b.sharedCategories().length ? a.sharedCategories() : b.sharedCategories()));
        }
        return new ArrayList<>(merged.values());
    }
}
