package reco.trainer.tuning;

import reco.model.ModelKind;
import reco.model.Neighborhoods;
import reco.trainer.data.DataProfile;
import reco.trainer.data.ItemMetadata;
import reco.trainer.data.TrainingData;
import reco.trainer.io.Dataset;
import reco.trainer.models.als.AlsFactors;
import reco.trainer.models.als.AlsParameters;
import reco.trainer.models.als.ImplicitAls;
import reco.trainer.models.content.ContentNeighbors;
import reco.trainer.models.content.ContentVectorizer;
import reco.trainer.models.ease.Ease;
import reco.trainer.models.knn.ItemKnn;
import reco.trainer.pipeline.TrainSettings;
import reco.trainer.pipeline.Trainer;
import reco.trainer.progress.Progress;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Built-in tuning at train time: carves a {@link ValidationSplit} from the training rows, searches the input
 * transform, each model's hyper-parameters and the hybrid blend by NDCG@20 on it within a time budget, and
 * returns the winning {@link TrainSettings} for a retrain on all the rows. Deterministic for a seed (the
 * budget can only cut the search short; every candidate list and sample is seeded).
 *
 * <p>Stages, each given a share of the budget and stopped before a fit that its measured cost says would
 * overrun: (1) input transforms suited to the data's kind of weights, each with EASE, RP3beta and ALS at
 * their defaults; (2) per model, with the best transform: EASE's lambda by a doubling line search, RP3beta's
 * alpha and beta, item-kNN cosine, ALS by successive halving over (dimensions, frequency-scaled
 * regularisation, confidence scale) with the iteration count read off checkpoints; (3) the hybrid blend
 * by coordinate search over each component's weight, 0 dropping it. The content model joins the blend
 * when there is item metadata: it is how items without interactions reach a user's list.
 */
public final class Tuner {
    /**
     * @param budgetSeconds wall-clock budget of the search (the retrain after it is not included)
     * @param seed          seeds the validation split (without timestamps), the user sample and the search
     * @param maxUsers      at most this many validation users are scored
     */
    public record Options(double budgetSeconds, long seed, int maxUsers) {
        public static final int DEFAULT_MAX_USERS = 3000;

        public Options {
            if (!(budgetSeconds > 0)) {
                throw new IllegalArgumentException("tuning budget must be > 0 seconds, got " + budgetSeconds);
            }
            if (maxUsers < 1) {
                throw new IllegalArgumentException("maxUsers must be >= 1, got " + maxUsers);
            }
        }
    }

    /** One evaluated candidate. */
    public record Trial(String stage, String model, Map<String, Object> parameters, double ndcg20, double seconds) {}

    /**
     * What the search did, as recorded in the manifest ({@code tuning}) and shown by {@code reco inspect}.
     *
     * @param chosen the values the retrain uses (parameter key -> value, as {@code --params} files spell them)
     */
    public record Report(String selection, String split, int validationUsers, int evaluatedUsers, long seed,
                         double budgetSeconds, double seconds, boolean budgetReached, List<Trial> trials,
                         double bestNdcg20, Map<String, String> chosen) {}

    /** The settings to retrain with, and the report. */
    public record Result(TrainSettings settings, Report report) {}

    /** Fewer validation users than this make the choice noise: tuning is skipped. */
    public static final int MIN_VALIDATION_USERS = 50;

    private final TrainSettings base;
    private final DataProfile profile;
    private final Options options;
    private final PrintStream log;
    private final long start = System.nanoTime();
    private final List<Trial> trials = new ArrayList<>();
    private boolean budgetReached;
    /** Slowest fit seen per model, seconds: what the next fit of that model is assumed to cost. */
    private final Map<String, Double> cost = new LinkedHashMap<>();

    private Tuner(TrainSettings base, DataProfile profile, Options options, PrintStream log) {
        this.base = base;
        this.profile = profile;
        this.options = options;
        this.log = log;
    }

    /**
     * Tunes {@code base} (its fixed values: min weight, duplicates, models, seed...) on {@code dataset}.
     * Only parameters the caller did not fix are searched: {@code fixed} names the keys given explicitly
     * (e.g. {@code strength}, {@code ease-lambda}, {@code hybrid-weights}), which keep their value.
     */
    public static Result tune(Dataset dataset, TrainSettings base, Set<String> fixed, DataProfile profile, Options options,
                              PrintStream log) {
        return new Tuner(base, profile, options, log).run(dataset, fixed);
    }

    private double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Whether a fit of {@code model} still fits before {@code share} of the budget is used. */
    private boolean affordable(String model, double share) {
        double next = cost.getOrDefault(model, 0.0);
        boolean ok = elapsed() + next <= share * options.budgetSeconds();
        if (!ok) {
            budgetReached = true;
        }
        return ok;
    }

    private <T> T timed(String model, Supplier<T> fit) {
        long t0 = System.nanoTime();
        T out = fit.get();
        cost.merge(model, (System.nanoTime() - t0) / 1e9, Math::max);
        return out;
    }

    private double record(String stage, String model, Map<String, Object> params, double ndcg, long t0) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        trials.add(new Trial(stage, model, params, round(ndcg), round(seconds)));
        log.printf(Locale.ROOT, "tune: %-9s %-8s ndcg@20 %.4f  %5.1f s  %s%n", stage, model, ndcg, seconds, params);
        return ndcg;
    }

    /** A fitted candidate of one model. */
    private record Fitted(ModelKind slot, String name, ValidationScorer.Component component, double ndcg,
                          Map<String, String> values) {}

    private boolean fixedModels;
    private boolean fixedDefault;

    private Result run(Dataset dataset, Set<String> fixed) {
        fixedModels = fixed.contains("models");
        fixedDefault = fixed.contains("default-model");
        ValidationSplit split = ValidationSplit.carve(dataset.interactions(), base.minWeight(), options.seed(),
                options.maxUsers());
        log.printf(Locale.ROOT, "tune: validation split carved from the training rows (%s hold-out): %,d users hold out "
                        + "items, %,d scored; budget %.0f s%n", split.temporal() ? "latest" : "seeded random",
                split.evaluated(), split.users().length, options.budgetSeconds());
        if (split.evaluated() < MIN_VALIDATION_USERS) {
            log.printf("tune: skipped: %d users have %d positives, fewer than the %d a choice needs; the settings stay as given%n",
                    split.evaluated(), ValidationSplit.MIN_POSITIVES, MIN_VALIDATION_USERS);
            return new Result(base, report(split, 0, Map.of()));
        }
        Set<ModelKind> models = base.models();

        // ---- stage 1: input transform
        List<TrainingData.Strength> transforms = fixed.contains("strength")
                ? List.of(Trainer.resolveStrength(base.strength(), profile)) : transformsFor(profile);
        TrainingData.Strength bestStrength = transforms.getFirst();
        double bestTransformScore = -1;
        Map<ModelKind, Fitted> best = new EnumMap<>(ModelKind.class);
        TrainingData bestData = null;
        for (TrainingData.Strength strength : transforms) {
            if (bestData != null && !affordable("transform", 0.4)) {
                break;
            }
            long t0 = System.nanoTime();
            TrainingData data = build(split, strength);
            ValidationScorer scorer = new ValidationScorer(split, data);
            Map<ModelKind, Fitted> fits = new EnumMap<>(ModelKind.class);
            // the first fit always runs (there is nothing to choose from without it); every later one only
            // while the budget lasts, so the search overruns its budget by at most the fit in flight
            if (models.contains(ModelKind.EASE)) {
                fits.put(ModelKind.EASE, ease(data, scorer, base.ease(), "transform", strength));
            }
            if (models.contains(ModelKind.ITEM_KNN) && (fits.isEmpty() || affordable("item-knn", 1.0))) {
                ItemKnn.Parameters knn = fixed.stream().anyMatch(k -> k.startsWith("knn-")) ? base.itemKnn() : rp3(base.itemKnn());
                fits.put(ModelKind.ITEM_KNN, knn(data, scorer, knn, "transform", strength));
            }
            if (models.contains(ModelKind.ALS) && (fits.isEmpty() || affordable("als", 1.0))) {
                fits.put(ModelKind.ALS, als(data, scorer, base.als(), base.als().iterations(), "transform", strength));
            }
            double score = fits.values().stream().mapToDouble(Fitted::ndcg).max().orElse(0);
            cost.merge("transform", (System.nanoTime() - t0) / 1e9, Math::max);
            if (score > bestTransformScore) {
                bestTransformScore = score;
                bestStrength = strength;
                best = fits;
                bestData = data;
            }
        }
        TrainingData data = bestData;
        ValidationScorer scorer = new ValidationScorer(split, data);
        TrainingData.Strength strength = bestStrength;

        // ---- stage 2: each model's parameters
        if (models.contains(ModelKind.EASE) && !fixed.contains("ease-lambda") && best.containsKey(ModelKind.EASE)) {
            double lambda = base.ease().lambda();
            Fitted current = best.get(ModelKind.EASE);
            for (double factor : new double[] {2, 0.5}) {
                double l = lambda;
                while (affordable("ease", 0.75)) {
                    l *= factor;
                    Fitted f = ease(data, scorer, base.ease().withLambda(l), "model", strength);
                    if (f.ndcg() <= current.ndcg()) {
                        break;
                    }
                    current = f;
                }
                if (current.ndcg() > best.get(ModelKind.EASE).ndcg()) {
                    break; // improved going up: no need to look down
                }
            }
            best.put(ModelKind.EASE, current);
        }
        if (models.contains(ModelKind.ITEM_KNN) && best.containsKey(ModelKind.ITEM_KNN)
                && fixed.stream().noneMatch(k -> k.startsWith("knn-"))) {
            Fitted current = best.get(ModelKind.ITEM_KNN);
            ItemKnn.Parameters p = rp3(base.itemKnn());
            for (double beta : new double[] {0.3, 0.7}) {
                if (!affordable("item-knn", 0.75)) {
                    break;
                }
                Fitted f = knn(data, scorer, p.withBeta(beta), "model", strength);
                if (f.ndcg() > current.ndcg()) {
                    current = f;
                }
            }
            if (affordable("item-knn", 0.75)) {
                ItemKnn.Parameters q = knnParameters(current.values());
                Fitted f = knn(data, scorer, q.withAlpha(0.6), "model", strength);
                if (f.ndcg() > current.ndcg()) {
                    current = f;
                }
            }
            if (affordable("item-knn", 0.75)) {
                Fitted f = knn(data, scorer, base.itemKnn().withSimilarity(ItemKnn.Similarity.COSINE), "model", strength);
                if (f.ndcg() > current.ndcg()) {
                    current = f;
                }
            }
            best.put(ModelKind.ITEM_KNN, current);
        }
        if (models.contains(ModelKind.ALS) && best.containsKey(ModelKind.ALS)
                && fixed.stream().noneMatch(k -> k.startsWith("als-"))) {
            best.put(ModelKind.ALS, halving(data, scorer, best.get(ModelKind.ALS), strength));
        }
        if (models.contains(ModelKind.CONTENT) && models.contains(ModelKind.HYBRID)) {
            Fitted content = content(dataset.metadata(), data, scorer);
            if (content != null) {
                best.put(ModelKind.CONTENT, content);
            }
        }

        // ---- stage 3: the blend
        Map<String, String> chosen = new LinkedHashMap<>();
        chosen.put("strength", strength.name().toLowerCase(Locale.ROOT));
        for (Fitted f : best.values()) {
            chosen.putAll(f.values());
        }
        Map<ModelKind, Double> weights = blend(best, scorer, fixed);
        double bestScore = lastBlendScore;
        TrainSettings chosenSettings = apply(base, strength, best, weights);
        if (weights.size() == 1 && !fixedDefault) {
            chosen.put("default-model", weights.keySet().iterator().next().id);
        } else if (weights.size() >= 2) {
            StringBuilder sb = new StringBuilder();
            new EnumMap<>(weights).forEach((m, w) -> sb.append(sb.isEmpty() ? "" : ",").append(m.id).append('=').append(w));
            chosen.put("hybrid-weights", sb.toString());
        }
        chosen.put("models", modelList(chosenSettings.models()));
        Report report = report(split, bestScore, chosen);
        log.printf(Locale.ROOT, "tune: chose %s (validation ndcg@20 %.4f) after %d trials in %.1f s%s%n", chosen, bestScore,
                trials.size(), elapsed(), budgetReached ? " (budget reached)" : "");
        return new Result(chosenSettings, report);
    }

    private double lastBlendScore;

    private Report report(ValidationSplit split, double best, Map<String, String> chosen) {
        return new Report("ndcg@20", split.temporal() ? "latest positives per user" : "seeded random positives per user",
                split.users().length, split.evaluated(), options.seed(), options.budgetSeconds(), round(elapsed()),
                budgetReached, List.copyOf(trials), round(best), chosen);
    }

    /** Input transforms worth trying for this kind of weights, the suggested one first. */
    static List<TrainingData.Strength> transformsFor(DataProfile profile) {
        return switch (profile.weightKind()) {
            case BINARY -> List.of(TrainingData.Strength.BINARY);
            case RATING_SCALE -> List.of(TrainingData.Strength.LINEAR, TrainingData.Strength.BINARY);
            case COUNTS -> List.of(TrainingData.Strength.LOG, TrainingData.Strength.BINARY, TrainingData.Strength.USER);
        };
    }

    private TrainingData build(ValidationSplit split, TrainingData.Strength strength) {
        return TrainingData.build(split.train(), base.minWeight(), base.duplicates(), strength,
                base.belowThresholdWeight(), base.recencyFloor());
    }

    private static ItemKnn.Parameters rp3(ItemKnn.Parameters p) {
        return p.similarity() == ItemKnn.Similarity.RP3BETA ? p : p.withSimilarity(ItemKnn.Similarity.RP3BETA);
    }

    private static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private Fitted ease(TrainingData data, ValidationScorer scorer, Ease.Parameters p, String stage,
                        TrainingData.Strength strength) {
        long t0 = System.nanoTime();
        Neighborhoods nb = timed("ease", () -> Ease.fit(data.input, Trainer.itemsWithPositives(data), p, Progress.Factory.NONE));
        var c = ValidationScorer.neighbours(nb, data);
        double s = record(stage, "ease", params("strength", id(strength), "lambda", p.lambda()), scorer.ndcg(c), t0);
        return new Fitted(ModelKind.EASE, "ease", c, s, Map.of("ease-lambda", number(p.lambda())));
    }

    private Fitted knn(TrainingData data, ValidationScorer scorer, ItemKnn.Parameters p, String stage,
                       TrainingData.Strength strength) {
        long t0 = System.nanoTime();
        Neighborhoods nb = timed("item-knn", () -> ItemKnn.compute(data.input, p, Progress.Factory.NONE));
        var c = ValidationScorer.neighbours(nb, data);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("knn-similarity", id(p.similarity()));
        Map<String, Object> shown = params("strength", id(strength), "similarity", id(p.similarity()));
        if (p.similarity() == ItemKnn.Similarity.RP3BETA) {
            values.put("knn-alpha", number(p.alpha()));
            values.put("knn-beta", number(p.beta()));
            shown.put("alpha", p.alpha());
            shown.put("beta", p.beta());
        } else {
            shown.put("shrink", p.shrink());
        }
        double s = record(stage, "item-knn", shown, scorer.ndcg(c), t0);
        return new Fitted(ModelKind.ITEM_KNN, "item-knn", c, s, values);
    }

    private static ItemKnn.Parameters knnParameters(Map<String, String> values) {
        ItemKnn.Parameters p = ItemKnn.Parameters.defaults().withSimilarity(
                ItemKnn.Similarity.valueOf(values.get("knn-similarity").toUpperCase(Locale.ROOT).replace('-', '_')));
        if (values.containsKey("knn-alpha")) {
            p = p.withAlpha(Double.parseDouble(values.get("knn-alpha"))).withBeta(Double.parseDouble(values.get("knn-beta")));
        }
        return p;
    }

    /**
     * Fits ALS for up to {@code iterations} sweeps, scoring checkpoints (every 5 sweeps and the last) and
     * keeping the best: the iteration count is chosen by validation.
     */
    private Fitted als(TrainingData data, ValidationScorer scorer, AlsParameters p, int iterations, String stage,
                       TrainingData.Strength strength) {
        long t0 = System.nanoTime();
        AlsParameters run = p.withIterations(iterations);
        double[] bestScore = {-1};
        int[] bestIteration = {0};
        float[][] snapshot = new float[2][];
        new ImplicitAls(run).fit(data.input, Progress.Factory.NONE, null, false, (it, f) -> {
            if (it % 5 == 0 || it == iterations) {
                double s = scorer.ndcg(ValidationScorer.als(f));
                if (s > bestScore[0]) {
                    bestScore[0] = s;
                    bestIteration[0] = it;
                    snapshot[0] = f.userFactors().clone();
                    snapshot[1] = f.itemFactors().clone();
                }
            }
            return true;
        });
        // cost of one sweep (with its share of checkpoint scoring), per 64 dimensions
        cost.merge("als-sweep", (System.nanoTime() - t0) / 1e9 / iterations * 64.0 / p.factors(), Math::max);
        AlsParameters chosen = p.withIterations(bestIteration[0]);
        AlsFactors factors = new AlsFactors(data.users, data.items, p.factors(), snapshot[0], snapshot[1], chosen);
        double s = record(stage, "als", params("strength", id(strength), "factors", p.factors(), "regularization",
                p.regularization(), "frequencyScaling", p.regularizationExponent(), "alpha", p.alpha(), "iterations",
                bestIteration[0]), bestScore[0], t0);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("als-factors", Integer.toString(p.factors()));
        values.put("als-iterations", Integer.toString(bestIteration[0]));
        values.put("als-regularization", number(p.regularization()));
        values.put("als-regularization-exponent", number(p.regularizationExponent()));
        values.put("als-alpha", number(p.alpha()));
        return new Fitted(ModelKind.ALS, "als", ValidationScorer.als(factors), s, values);
    }

    /**
     * Successive halving over ALS configurations (Rendle et al. 2022: frequency-scaled regularisation, the
     * weight of observed vs unobserved entries, dimensions): every arm gets a few sweeps, the better half
     * twice as many, and so on; the survivor's iteration count comes from its checkpoints.
     */
    private Fitted halving(TrainingData data, ValidationScorer scorer, Fitted incumbent, TrainingData.Strength strength) {
        SplittableRandom random = new SplittableRandom(options.seed());
        List<AlsParameters> arms = new ArrayList<>();
        AlsParameters p0 = base.als();
        int[] factors = {64, 128};
        double[][] regs = {{0.03, 1}, {0.1, 1}, {0.3, 1}, {1, 0}, {5, 0}};
        double[] alphas = {0.5, 2, 8, 20};
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int attempt = 0; arms.size() < 6 && attempt < 200; attempt++) {
            int f = factors[random.nextInt(factors.length)];
            double[] reg = regs[random.nextInt(regs.length)];
            double a = alphas[random.nextInt(alphas.length)];
            if (seen.add(f + "/" + reg[0] + "/" + reg[1] + "/" + a)) {
                arms.add(p0.withFactors(f).withRegularization(reg[0]).withRegularizationExponent(reg[1]).withAlpha(a));
            }
        }
        Fitted best = incumbent;
        int sweeps = 5;
        while (!arms.isEmpty()) {
            List<Fitted> rung = new ArrayList<>();
            for (AlsParameters arm : arms) {
                double perSweep = cost.getOrDefault("als-sweep", 0.0) * arm.factors() / 64.0;
                if (elapsed() + perSweep * sweeps > 0.85 * options.budgetSeconds()) {
                    budgetReached = true;
                    break;
                }
                rung.add(als(data, scorer, arm, sweeps, "als-" + sweeps, strength));
            }
            rung.sort((a, b) -> Double.compare(b.ndcg(), a.ndcg()));
            for (Fitted f : rung) {
                if (f.ndcg() > best.ndcg()) {
                    best = f;
                }
            }
            int keep = rung.size() / 2;
            List<AlsParameters> next = new ArrayList<>();
            for (int i = 0; i < keep; i++) {
                next.add(p0.withFactors(Integer.parseInt(rung.get(i).values().get("als-factors")))
                        .withRegularization(Double.parseDouble(rung.get(i).values().get("als-regularization")))
                        .withRegularizationExponent(Double.parseDouble(rung.get(i).values().get("als-regularization-exponent")))
                        .withAlpha(Double.parseDouble(rung.get(i).values().get("als-alpha"))));
            }
            arms = next;
            sweeps *= 2;
        }
        return best;
    }

    private Fitted content(ItemMetadata metadata, TrainingData data, ValidationScorer scorer) {
        boolean described = false;
        for (int i = 0; i < Math.min(data.items, metadata.size()) && !described; i++) {
            described = metadata.isDescribed(i) || !metadata.tags(i).isEmpty();
        }
        if (!described || !affordable("content", 1.0)) {
            return null;
        }
        long t0 = System.nanoTime();
        Neighborhoods nb = timed("content", () -> ContentNeighbors.compute(
                ContentVectorizer.vectorize(metadata, data.items, base.contentFeatures()), base.contentNeighbors(),
                Progress.Factory.NONE));
        var c = ValidationScorer.neighbours(nb, data);
        double s = record("model", "content", params(), scorer.ndcg(c), t0);
        return new Fitted(ModelKind.CONTENT, "content", c, s, Map.of());
    }

    /** Coordinate search over blend weights; empty when a single model wins (or the blend is fixed/absent). */
    private Map<ModelKind, Double> blend(Map<ModelKind, Fitted> best, ValidationScorer scorer, Set<String> fixed) {
        Fitted top = best.values().stream().max(java.util.Comparator.comparingDouble(Fitted::ndcg)).orElse(null);
        lastBlendScore = top == null ? 0 : top.ndcg();
        if (!base.models().contains(ModelKind.HYBRID) || top == null) {
            return Map.of();
        }
        if (best.size() < 2) {
            return Map.of(top.slot(), 1.0); // the only validated model serves
        }
        List<Fitted> parts = new ArrayList<>(best.values());
        parts.sort((a, b) -> Double.compare(b.ndcg(), a.ndcg()));
        ValidationScorer.Component[] comps = new ValidationScorer.Component[parts.size()];
        for (int i = 0; i < comps.length; i++) {
            comps[i] = parts.get(i).component();
        }
        long t0 = System.nanoTime();
        ValidationScorer.Cache cache = scorer.cache(comps);
        double[] w = new double[comps.length];
        if (fixed.contains("hybrid-weights")) {
            for (int i = 0; i < w.length; i++) {
                w[i] = base.hybridWeights().getOrDefault(parts.get(i).slot(), 0.0);
            }
            lastBlendScore = record("blend", "hybrid", params("weights", describe(parts, w)), scorer.ndcg(cache, w), t0);
        } else {
            // two starting points: the best component alone, and the default blend (scaled so the best
            // component weighs 1); the search only moves to what validation prefers
            w[0] = 1;
            double current = scorer.ndcg(cache, w);
            double[] prior = new double[w.length];
            double lead = TrainSettings.DEFAULT_HYBRID_WEIGHTS.getOrDefault(parts.getFirst().slot(), 0.0);
            for (int i = 0; i < w.length; i++) {
                double d = TrainSettings.DEFAULT_HYBRID_WEIGHTS.getOrDefault(parts.get(i).slot(), 0.0);
                prior[i] = i == 0 ? 1 : lead > 0 ? d / lead : d;
            }
            double priorScore = scorer.ndcg(cache, prior);
            if (priorScore > current) {
                w = prior;
                current = priorScore;
            }
            double[] grid = {0, 0.05, 0.1, 0.25, 0.5, 1, 2};
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 1; i < w.length; i++) {
                    for (double g : grid) {
                        double old = w[i];
                        w[i] = g;
                        double s = scorer.ndcg(cache, w);
                        if (s > current + 1e-9) {
                            current = s;
                        } else {
                            w[i] = old;
                        }
                    }
                }
            }
            lastBlendScore = record("blend", "hybrid", params("weights", describe(parts, w)), current, t0);
        }
        Map<ModelKind, Double> weights = new EnumMap<>(ModelKind.class);
        int nonZero = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                weights.put(parts.get(i).slot(), w[i]);
                nonZero++;
            }
        }
        if (nonZero < 2 || lastBlendScore <= parts.getFirst().ndcg()) {
            lastBlendScore = parts.getFirst().ndcg();
            return Map.of(parts.getFirst().slot(), 1.0);
        }
        return weights;
    }

    private static String describe(List<Fitted> parts, double[] w) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            sb.append(i == 0 ? "" : ",").append(parts.get(i).name()).append('=').append(w[i]);
        }
        return sb.toString();
    }

    /** The settings of the retrain: chosen transform and parameters, only the models the blend uses (plus content, popularity). */
    private TrainSettings apply(TrainSettings s, TrainingData.Strength strength, Map<ModelKind, Fitted> best,
                                Map<ModelKind, Double> weights) {
        s = s.withStrength(strength);
        for (Fitted f : best.values()) {
            Map<String, String> v = f.values();
            switch (f.slot()) {
                case EASE -> s = s.withEase(s.ease().withLambda(Double.parseDouble(v.get("ease-lambda"))));
                case ITEM_KNN -> {
                    ItemKnn.Parameters k = knnParameters(v);
                    s = s.withItemKnn(s.itemKnn().withSimilarity(k.similarity()).withAlpha(k.alpha()).withBeta(k.beta()));
                }
                case ALS -> s = s.withAls(s.als().withFactors(Integer.parseInt(v.get("als-factors")))
                        .withIterations(Integer.parseInt(v.get("als-iterations")))
                        .withRegularization(Double.parseDouble(v.get("als-regularization")))
                        .withRegularizationExponent(Double.parseDouble(v.get("als-regularization-exponent")))
                        .withAlpha(Double.parseDouble(v.get("als-alpha"))));
                default -> { }
            }
        }
        if (weights.isEmpty() || fixedModels) {
            if (weights.size() == 1 && !fixedDefault) {
                return s.withDefaultModel(weights.keySet().iterator().next());
            }
            return weights.size() >= 2 ? s.withHybridWeights(weights) : s;
        }
        Set<ModelKind> keep = EnumSet.of(ModelKind.POPULARITY);
        keep.addAll(weights.keySet());
        if (s.models().contains(ModelKind.CONTENT)) {
            keep.add(ModelKind.CONTENT); // similar items for items without interactions
        }
        if (weights.size() >= 2) {
            keep.add(ModelKind.HYBRID);
            s = s.withHybridWeights(weights);
        } else {
            s = s.withDefaultModel(weights.keySet().iterator().next());
        }
        return s.withModels(keep);
    }

    private static String modelList(Set<ModelKind> models) {
        StringBuilder sb = new StringBuilder();
        for (ModelKind m : EnumSet.copyOf(models)) {
            sb.append(sb.isEmpty() ? "" : ",").append(m.id);
        }
        return sb.toString();
    }

    private static String id(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
