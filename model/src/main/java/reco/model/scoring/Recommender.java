package reco.model.scoring;

import reco.model.ModelKind;
import reco.model.generation.EmbeddingMatrix;
import reco.model.generation.Generation;
import reco.model.generation.Manifest;
import reco.model.generation.NeighborLists;
import reco.model.generation.PopularityRanking;
import reco.model.generation.UserHistories;
import reco.model.topk.TopK;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The scoring and filtering every recommendation goes through: the gRPC server and the offline
 * evaluation both call this class, so offline numbers measure exactly what is served.
 *
 * <p>Strategies: neighbour models (content, item-kNN, EASE) score an item by summing, over the
 * profile's items, profile weight x neighbour score; embedding models (ALS) score by dot product
 * with the user's vector; hybrid blends its components after scaling each to [0, 1] by its best
 * score; popularity serves users the model knows nothing about. Each model of the generation gets its
 * {@link Scorer} once, here; a request is resolved once into a {@link ScoringRequest} that the scorer
 * ranks without per-request work or allocation proportional to the catalogue. Thread-safe; per-thread
 * scratch.
 */
public final class Recommender {
    /** Default half-life of a user's past interactions when building content profiles. */
    public static final double DEFAULT_PROFILE_HALF_LIFE_DAYS = 180;

    private final Generation generation;
    private final int itemCount;
    private final double profileHalfLifeSeconds;
    private final Map<ModelKind, Map<ModelKind, Double>> hybridComponents = new EnumMap<>(ModelKind.class);
    private final FoldIn foldIn;
    private final Map<ModelKind, Scorer> scorers = new EnumMap<>(ModelKind.class);
    private final ThreadLocal<ScoringScratch> scratch;

    /** Solves a user vector from a weighted item list for an embedding model (null: not supported). */
    public interface FoldIn {
        float[] userVector(Generation generation, ModelKind model, int[] items, float[] weights, int count);
    }

    public Recommender(Generation generation) {
        this(generation, null);
    }

    public Recommender(Generation generation, FoldIn foldIn) {
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
        for (ModelKind kind : ModelKind.values()) {
            if (kind != ModelKind.POPULARITY && generation.hasModel(kind)) {
                scorers.put(kind, scorerFor(kind));
            }
        }
        this.scratch = ThreadLocal.withInitial(() -> new ScoringScratch(itemCount));
    }

    private Scorer scorerFor(ModelKind kind) {
        Map<ModelKind, Double> components = hybridComponents.get(kind);
        if (components == null) {
            return (Scorer) componentFor(kind);
        }
        Scorer.Component[] parts = new Scorer.Component[components.size()];
        float[] weights = new float[components.size()];
        int c = 0;
        for (Map.Entry<ModelKind, Double> e : components.entrySet()) { // EnumMap: component order is fixed
            parts[c] = componentFor(e.getKey());
            weights[c] = (float) (double) e.getValue();
            c++;
        }
        return new BlendScorer(kind, parts, weights);
    }

    /** Embedding models score by dot product (ALS even when it also has neighbour lists), others by neighbours. */
    private Scorer.Component componentFor(ModelKind kind) {
        NeighborScorer neighbors = generation.neighbors(kind) == null ? null
                : new NeighborScorer(kind, generation.neighbors(kind));
        if (generation.itemEmbeddings(kind) != null && (neighbors == null || kind == ModelKind.ALS)) {
            return new EmbeddingScorer(kind, generation, foldIn, neighbors);
        }
        return neighbors != null ? neighbors : new NeighborScorer(kind, null);
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
        IntSet exclude = new IntSet(1);
        exclude.add(item);
        if (model == ModelKind.POPULARITY) {
            return popular(k, filter, exclude, null);
        }
        ScoringScratch s = scratch.get();
        TopK top = s.top.reset(k);
        if (generation.neighbors(model) == null && generation.approximateIndex(model) != null
                && !hybridComponents.containsKey(model)) {
            // large catalogues keep no all-pairs neighbour lists: ask the approximate index for the
            // items with the largest inner product with this item's vector
            EmbeddingMatrix vectors = generation.itemEmbeddings(model);
            float[] q = s.slot(0).userBuffer(vectors.dimensions());
            vectors.copyRow(item, q);
            generation.approximateIndex(model).search(q, k, top, j -> j != item && filter.accepts(j));
            return drain(top, k, model, null, null, false);
        }
        ScoringRequest request = new ScoringRequest(model, -1, null, false, exclude, filter, k);
        SparseScores acc = s.slot(0).beginSparse();
        if (!accumulateNeighbors(acc, model, item, 1f)) {
            ModelKind fallback = generation.hasModel(ModelKind.CONTENT) && model != ModelKind.CONTENT
                    && generation.neighbors(ModelKind.CONTENT) != null ? ModelKind.CONTENT : null;
            String reason = "item has no " + model + " neighbours";
            if (fallback != null) {
                acc = s.slot(0).beginSparse();
                if (accumulateNeighbors(acc, fallback, item, 1f)) {
                    NeighborScorer.offerTouched(acc, request, top);
                    return drain(top, k, fallback, reason + ": content neighbours", null, false);
                }
            }
            return popular(k, filter, exclude, reason + ": popular items");
        }
        NeighborScorer.offerTouched(acc, request, top);
        return drain(top, k, model, null, null, false);
    }

    /** Adds weight x neighbour score of {@code item}'s list (or lists, for hybrid); false when empty. */
    private boolean accumulateNeighbors(SparseScores acc, ModelKind model, int item, float weight) {
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
                    acc.add(lists.neighbor(p), scale * lists.score(p));
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
            acc.add(lists.neighbor(p), weight * lists.score(p));
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
        if (model == ModelKind.POPULARITY) {
            return popular(k, filter, seen, null);
        }
        Profile profile = profile(user, recentItems, model);
        if (profile.count == 0) {
            String reason = user < 0 ? "unknown user: popular items" : "user has no positive interactions: popular items";
            return popular(k, filter, seen, reason);
        }
        String reason = user < 0 ? "unknown user: recommendations from the recent items given" : null;
        return rank(new ScoringRequest(model, user, profile, recentItems.length > 0, seen, filter, k), reason);
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
        return rank(new ScoringRequest(model, -1, profile, true, exclude, filter, k), null);
    }

    private Recommendations rank(ScoringRequest request, String reason) {
        ScoringScratch s = scratch.get();
        s.top.reset(request.k());
        if (!scorers.get(request.kind()).rank(request, s)) {
            // Nothing to rank by (items without neighbours, no fold-in for an embedding model): say so
            // instead of returning the popularity backfill labelled as the requested model.
            return popular(request.k(), request.filter(), request.exclude(),
                    "the " + request.kind() + " model has no scores for these items: popular items");
        }
        return drain(s.top, request.k(), request.kind(), reason, request, true);
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

    /**
     * The top's items, best first. With {@code backfill} (a request), too few candidates (a short
     * history, strict filters) are completed with popular items, scored below every model score so the
     * model's ranking stays on top.
     */
    private Recommendations drain(TopK top, int k, ModelKind served, String reason, ScoringRequest request,
                                  boolean backfill) {
        int n = top.size();
        int length = backfill ? k : n;
        int[] items = new int[length];
        float[] scores = new float[length];
        top.drainInto(items, scores);
        if (backfill && n < k) {
            float floor = n > 0 ? Math.min(0f, scores[n - 1]) : 0f;
            IntSet chosen = new IntSet(n + 1);
            for (int i = 0; i < n; i++) {
                chosen.add(items[i]);
            }
            PopularityRanking pop = generation.popularity();
            boolean recent = pop.size(true) > 0;
            for (int r = 0, size = pop.size(recent); r < size && n < k; r++) {
                int item = pop.item(recent, r);
                if (!chosen.contains(item) && request.test(item)) {
                    items[n] = item;
                    scores[n] = floor - 1e-3f * (r + 1) / size;
                    n++;
                }
            }
        }
        return n == length ? new Recommendations(items, scores, served, reason)
                : new Recommendations(Arrays.copyOf(items, n), Arrays.copyOf(scores, n), served, reason);
    }
}
