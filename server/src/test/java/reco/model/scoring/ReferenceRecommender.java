package reco.model.scoring;

import reco.model.ModelKind;
import reco.model.generation.EmbeddingMatrix;
import reco.model.generation.Generation;
import reco.model.generation.Manifest;
import reco.model.generation.NeighborLists;
import reco.model.generation.PopularityRanking;
import reco.model.generation.UserHistories;
import reco.model.topk.TopK;
import reco.model.vector.VectorUtil;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The scoring of {@link Recommender} as it was before scorers were built per model: every request
 * blended through whole-catalogue arrays. Kept as the oracle that the optimised scoring must match
 * bit for bit ({@code ScoringEquivalenceTest}).
 *
 * <p>Original description: the scoring and filtering every recommendation goes through: the gRPC server and the offline
 * evaluation both call this class, so offline numbers measure exactly what is served.
 *
 * <p>Strategies: neighbour models (content, item-kNN, EASE) score an item by summing, over the
 * profile's items, profile weight x neighbour score; embedding models (ALS) score by dot product
 * with the user's vector; hybrid blends its components after scaling each to [0, 1] by its best
 * score; popularity serves users the model knows nothing about. Thread-safe; per-thread scratch.
 */
final class ReferenceRecommender {
    /** Default half-life of a user's past interactions when building content profiles. */
    public static final double DEFAULT_PROFILE_HALF_LIFE_DAYS = 180;

    private final Generation generation;
    private final int itemCount;
    private final double profileHalfLifeSeconds;
    private final Map<ModelKind, Map<ModelKind, Double>> hybridComponents = new EnumMap<>(ModelKind.class);
    private final Recommender.FoldIn foldIn;
    private final ThreadLocal<Scratch> scratch;


    ReferenceRecommender(Generation generation) {
        this(generation, null);
    }

    ReferenceRecommender(Generation generation, Recommender.FoldIn foldIn) {
        this.generation = generation;
        this.itemCount = generation.itemCount();
        this.foldIn = foldIn != null ? foldIn : new EmbeddingFoldIn(generation);
        Object halfLife = generation.manifest().parameters() == null ? null
                : generation.manifest().parameters().get("profileHalfLifeDays");
        double days = halfLife instanceof Number num ? num.doubleValue() : DEFAULT_PROFILE_HALF_LIFE_DAYS;
        this.profileHalfLifeSeconds = days * 86400.0;
        for (Manifest.ModelEntry m : generation.manifest().models()) {
            if (m.parameters() != null && m.parameters().get("components") instanceof Map<?, ?> comps) {
                Map<ModelKind, Double> weights = new EnumMap<>(ModelKind.class);
                for (Map.Entry<?, ?> e : comps.entrySet()) {
                    weights.put(ModelKind.fromId(String.valueOf(e.getKey())), ((Number) e.getValue()).doubleValue());
                }
                hybridComponents.put(ModelKind.fromId(m.name()), weights);
            }
        }
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(itemCount));
    }

    public Generation generation() {
        return generation;
    }

    /** The model a request gets: {@code requested}, or the generation default when null. */
    public ModelKind resolve(ModelKind requested) {
        ModelKind model = requested == null ? generation.defaultModel() : requested;
        if (model != ModelKind.POPULARITY && !generation.hasModel(model)) {
            throw new UnsupportedModelException("this generation has no " + model + " model (it has: " + modelNames() + ")");
        }
        return model;
    }

    private String modelNames() {
        List<String> names = new ArrayList<>();
        for (Manifest.ModelEntry m : generation.manifest().models()) {
            names.add(m.name());
        }
        return String.join(", ", names);
    }

    // ---------------------------------------------------------------- similar items

    public Recommendations similarItems(int item, int k, ModelKind requested, ItemFilter filter) {
        ModelKind model = resolve(requested);
        Scratch s = scratch.get();
        s.begin(k);
        IntSet exclude = new IntSet(1);
        exclude.add(item);
        if (model == ModelKind.POPULARITY) {
            return popular(k, filter, exclude, null);
        }
        ModelKind served = model;
        if (generation.neighbors(model) == null && generation.approximateIndex(model) != null
                && !hybridComponents.containsKey(model)) {
            // large catalogues keep no all-pairs neighbour lists: ask the approximate index for the
            // items with the largest inner product with this item's vector
            EmbeddingMatrix vectors = generation.itemEmbeddings(model);
            float[] q = new float[vectors.dimensions()];
            vectors.copyRow(item, q);
            generation.approximateIndex(model).search(q, k, s.top, j -> j != item && filter.accepts(j));
            int[] items = new int[k];
            float[] scores = new float[k];
            int n = s.top.drainInto(items, scores);
            return new Recommendations(java.util.Arrays.copyOf(items, n), java.util.Arrays.copyOf(scores, n), model, null);
        }
        if (!accumulateNeighbors(s, model, item, 1f)) {
            ModelKind fallback = generation.hasModel(ModelKind.CONTENT) && model != ModelKind.CONTENT
                    && generation.neighbors(ModelKind.CONTENT) != null ? ModelKind.CONTENT : null;
            String reason = "item has no " + model + " neighbours";
            if (fallback != null) {
                s.begin(k);
                if (accumulateNeighbors(s, fallback, item, 1f)) {
                    return select(s, k, filter, exclude, fallback, reason + ": content neighbours", false);
                }
            }
            return popular(k, filter, exclude, reason + ": popular items");
        }
        return select(s, k, filter, exclude, served, null, false);
    }

    /** Adds weight x neighbour score of {@code item}'s list (or lists, for hybrid); false when empty. */
    private boolean accumulateNeighbors(Scratch s, ModelKind model, int item, float weight) {
        Map<ModelKind, Double> components = hybridComponents.get(model);
        if (components != null) {
            boolean any = false;
            for (Map.Entry<ModelKind, Double> c : components.entrySet()) {
                NeighborLists lists = generation.neighbors(c.getKey());
                if (lists == null) {
                    continue;
                }
                long start = lists.start(item), end = lists.end(item);
                if (start == end) {
                    continue;
                }
                float best = Math.abs(lists.score(start));
                float scale = (float) (weight * c.getValue() / (best > 0 ? best : 1f));
                for (long p = start; p < end; p++) {
                    s.add(lists.neighbor(p), scale * lists.score(p));
                }
                any = true;
            }
            return any;
        }
        NeighborLists lists = generation.neighbors(model);
        if (lists == null) {
            throw new UnsupportedModelException("the " + model + " model of this generation has no neighbour lists");
        }
        long start = lists.start(item), end = lists.end(item);
        for (long p = start; p < end; p++) {
            s.add(lists.neighbor(p), weight * lists.score(p));
        }
        return start != end;
    }

    // ---------------------------------------------------------------- users and item lists

    /**
     * Recommendations for a user. {@code user} is a dense index or -1 for a user the generation does
     * not know; {@code recentItems} (may be empty) are extra recent interactions, most recent last.
     */
    public Recommendations recommendForUser(int user, int[] recentItems, int k, ModelKind requested,
                                            ItemFilter filter, boolean includeSeen) {
        ModelKind model = resolve(requested);
        UserHistories h = generation.histories();
        int historyLength = user >= 0 ? h.length(user) : 0;
        IntSet seen = new IntSet(historyLength + recentItems.length + 1);
        if (!includeSeen) {
            if (user >= 0) {
                for (long p = h.start(user), e = h.end(user); p < e; p++) {
                    seen.add(h.item(p));
                }
            }
            for (int r : recentItems) {
                seen.add(r);
            }
        }
        Profile profile = profile(user, recentItems, model);
        if (model == ModelKind.POPULARITY) {
            return popular(k, filter, seen, null);
        }
        if (profile.count == 0) {
            String reason = user < 0 ? "unknown user: popular items" : "user has no positive interactions: popular items";
            return popular(k, filter, seen, reason);
        }
        String reason = user < 0 ? "unknown user: recommendations from the recent items given" : null;
        return scoreProfile(profile, user, recentItems.length > 0, k, model, filter, seen, reason);
    }

    /** Recommendations for an anonymous session or basket; unknown items must be dropped by the caller. */
    public Recommendations recommendForItems(int[] items, int k, ModelKind requested, ItemFilter filter,
                                             boolean includeInputs) {
        ModelKind model = resolve(requested);
        IntSet exclude = new IntSet(items.length + 1);
        if (!includeInputs) {
            for (int i : items) {
                exclude.add(i);
            }
        }
        if (model == ModelKind.POPULARITY) {
            return popular(k, filter, exclude, null);
        }
        Profile profile = profile(-1, items, model);
        return scoreProfile(profile, -1, true, k, model, filter, exclude, null);
    }

    private Recommendations scoreProfile(Profile profile, int user, boolean hasExtraItems, int k, ModelKind model,
                                         ItemFilter filter, IntSet exclude, String reason) {
        Scratch s = scratch.get();
        s.begin(k);
        Map<ModelKind, Double> components = hybridComponents.get(model);
        boolean scored = false;
        if (components != null) {
            for (Map.Entry<ModelKind, Double> c : components.entrySet()) {
                Scratch part = s.part();
                part.begin(k);
                if (scoreSingle(part, profile, user, hasExtraItems, c.getKey())) {
                    s.addScaled(part, (float) (double) c.getValue());
                    scored = true;
                }
            }
        } else {
            scored = scoreSingle(s, profile, user, hasExtraItems, model);
        }
        if (!scored) {
            // Nothing to rank by (items without neighbours, no fold-in for an embedding model): say so
            // instead of returning the popularity backfill labelled as the requested model.
            return popular(k, filter, exclude, "the " + model + " model has no scores for these items: popular items");
        }
        return select(s, k, filter, exclude, model, reason, true);
    }

    /** Scores one non-hybrid model into {@code s}; false when it produced nothing. */
    private boolean scoreSingle(Scratch s, Profile profile, int user, boolean hasExtraItems, ModelKind model) {
        EmbeddingMatrix itemVectors = generation.itemEmbeddings(model);
        if (itemVectors != null && generation.neighbors(model) == null || model == ModelKind.ALS && itemVectors != null) {
            float[] u = null;
            EmbeddingMatrix userVectors = generation.userEmbeddings(model);
            if (user >= 0 && !hasExtraItems && userVectors != null) {
                u = new float[userVectors.dimensions()];
                userVectors.copyRow(user, u);
            } else if (foldIn != null) {
                u = foldIn.userVector(generation, model, profile.items, profile.weights, profile.count);
            }
            if (u != null) {
                s.denseFrom(u, itemVectors);
                return true;
            }
            if (generation.neighbors(model) == null) {
                return false;
            }
        }
        boolean any = false;
        for (int p = 0; p < profile.count; p++) {
            any |= accumulateNeighbors(s, model, profile.items[p], profile.weights[p]);
        }
        return any;
    }

    /** A profile as the scorers see it: items (repeats possible) and their weights, parallel. */
    public record WeightedItems(int[] items, float[] weights) {}

    /**
     * The weighted items {@code model} scores {@code user} (-1: unknown) plus {@code recentItems} from,
     * exactly as the recommend methods build them (explanations decompose scores over these).
     */
    public WeightedItems weightedProfile(int user, int[] recentItems, ModelKind model) {
        Profile p = profile(user, recentItems, model);
        return new WeightedItems(java.util.Arrays.copyOf(p.items, p.count), java.util.Arrays.copyOf(p.weights, p.count));
    }

    /** Hybrid blend weights of {@code model}, or null when it is not a blend. */
    public Map<ModelKind, Double> hybridComponents(ModelKind model) {
        Map<ModelKind, Double> c = hybridComponents.get(model);
        return c == null ? null : java.util.Collections.unmodifiableMap(c);
    }

    /**
     * The weighted items a score is built from: the user's positive history (strength as trained;
     * content profiles also decay with age) plus the recent items given.
     */
    private Profile profile(int user, int[] recentItems, ModelKind model) {
        UserHistories h = generation.histories();
        int n = (user >= 0 ? h.length(user) : 0) + recentItems.length;
        Profile p = new Profile(n);
        boolean decay = model == ModelKind.CONTENT;
        if (user >= 0) {
            long start = h.start(user), end = h.end(user);
            long newest = end > start ? h.timestamp(end - 1) : 0;
            for (long q = start; q < end; q++) {
                float strength = h.strength(q);
                if (strength <= 0) {
                    continue;
                }
                float w = strength;
                if (decay && newest > 0 && h.timestamp(q) > 0) {
                    w *= (float) Math.pow(2, -(newest - h.timestamp(q)) / profileHalfLifeSeconds);
                }
                p.add(h.item(q), w);
            }
        }
        for (int r : recentItems) {
            p.add(r, 1f);
        }
        return p;
    }

    // ---------------------------------------------------------------- popularity and selection

    /** The most popular items passing the filter, recency-weighted when the generation has timestamps. */
    public Recommendations popular(int k, ItemFilter filter, IntSet exclude, String reason) {
        PopularityRanking pop = generation.popularity();
        boolean recent = pop.size(true) > 0;
        int[] items = new int[k];
        float[] scores = new float[k];
        int n = 0;
        for (int r = 0, size = pop.size(recent); r < size && n < k; r++) {
            int item = pop.item(recent, r);
            if ((exclude == null || !exclude.contains(item)) && filter.accepts(item)) {
                items[n] = item;
                scores[n] = pop.score(recent, r);
                n++;
            }
        }
        return new Recommendations(java.util.Arrays.copyOf(items, n), java.util.Arrays.copyOf(scores, n),
                ModelKind.POPULARITY, reason);
    }

    private Recommendations select(Scratch s, int k, ItemFilter filter, IntSet exclude, ModelKind served,
                                   String reason, boolean backfill) {
        TopK top = s.top;
        s.forEachTouched((item, score) -> {
            if (!top.wouldReject(score) && !exclude.contains(item) && filter.accepts(item)) {
                top.offer(item, score);
            }
        });
        int[] items = new int[k];
        float[] scores = new float[k];
        int n = top.drainInto(items, scores);
        if (backfill && n < k) {
            // Too few candidates (a short history, strict filters): complete with popular items,
            // scored below every model score so the model's ranking stays on top.
            float floor = n > 0 ? Math.min(0f, scores[n - 1]) : 0f;
            IntSet chosen = new IntSet(n + 1);
            for (int i = 0; i < n; i++) {
                chosen.add(items[i]);
            }
            PopularityRanking pop = generation.popularity();
            boolean recent = pop.size(true) > 0;
            for (int r = 0, size = pop.size(recent); r < size && n < k; r++) {
                int item = pop.item(recent, r);
                if (!chosen.contains(item) && !exclude.contains(item) && filter.accepts(item)) {
                    items[n] = item;
                    scores[n] = floor - 1e-3f * (r + 1) / size;
                    n++;
                }
            }
        }
        return new Recommendations(java.util.Arrays.copyOf(items, n), java.util.Arrays.copyOf(scores, n), served, reason);
    }

    private static final class Profile {
        int[] items;
        float[] weights;
        int count;

        Profile(int capacity) {
            items = new int[Math.max(1, capacity)];
            weights = new float[Math.max(1, capacity)];
        }

        void add(int item, float w) {
            items[count] = item;
            weights[count] = w;
            count++;
        }
    }

    interface ScoreConsumer {
        void accept(int item, float score);
    }

    /**
     * Per-thread accumulator over the catalogue. Entries are valid only where {@code stamp} equals
     * the current call's stamp, so nothing is cleared between calls.
     */
    static final class Scratch {
        final float[] acc;
        final int[] stamp;
        final int[] touched;
        int touchedCount;
        int current;
        boolean dense;
        final TopK top = new TopK(16);
        private Scratch part;
        private final int n;

        Scratch(int n) {
            this.n = n;
            acc = new float[n];
            stamp = new int[n];
            touched = new int[n];
        }

        Scratch part() {
            if (part == null) {
                part = new Scratch(n);
            }
            return part;
        }

        void begin(int k) {
            current++;
            if (current == 0) { // wrapped: clear stamps once every 2^32 calls
                java.util.Arrays.fill(stamp, 0);
                current = 1;
            }
            touchedCount = 0;
            dense = false;
            top.reset(k);
        }

        void add(int item, float v) {
            if (stamp[item] != current) {
                stamp[item] = current;
                acc[item] = v;
                touched[touchedCount++] = item;
            } else {
                acc[item] += v;
            }
        }

        void denseFrom(float[] u, EmbeddingMatrix items) {
            if (u.length != items.dimensions()) {
                throw new IllegalStateException("user vector has " + u.length + " dimensions, items " + items.dimensions());
            }
            VectorUtil.scoreAll(u, items.vectors(), n, acc);
            java.util.Arrays.fill(stamp, current);
            dense = true;
        }

        float max() {
            float m = 0;
            if (dense) {
                for (int i = 0; i < n; i++) {
                    m = Math.max(m, acc[i]);
                }
            } else {
                for (int t = 0; t < touchedCount; t++) {
                    m = Math.max(m, acc[touched[t]]);
                }
            }
            return m;
        }

        /** Adds {@code weight * other / max(other)} (scaling the other model to [.., 1]). */
        void addScaled(Scratch other, float weight) {
            float max = other.max();
            float scale = max > 0 ? weight / max : weight;
            if (other.dense) {
                if (!dense) {
                    // keep sparse entries, then make everything dense
                    for (int i = 0; i < n; i++) {
                        if (stamp[i] != current) {
                            acc[i] = 0;
                            stamp[i] = current;
                        }
                    }
                    dense = true;
                }
                for (int i = 0; i < n; i++) {
                    acc[i] += scale * other.acc[i];
                }
            } else {
                for (int t = 0; t < other.touchedCount; t++) {
                    int item = other.touched[t];
                    if (dense) {
                        acc[item] += scale * other.acc[item];
                    } else {
                        add(item, scale * other.acc[item]);
                    }
                }
            }
        }

        void forEachTouched(ScoreConsumer c) {
            if (dense) {
                for (int i = 0; i < n; i++) {
                    c.accept(i, acc[i]);
                }
            } else {
                for (int t = 0; t < touchedCount; t++) {
                    int item = touched[t];
                    c.accept(item, acc[item]);
                }
            }
        }
    }
}
