package reco.trainer.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import reco.model.ModelKind;
import reco.model.Neighborhoods;
import reco.model.ann.IvfIndex;
import reco.model.ann.IvfIndexWriter;
import reco.model.ann.IvfParameters;
import reco.model.generation.Manifest;
import reco.trainer.data.DataProfile;
import reco.trainer.data.Interactions;
import reco.trainer.data.ItemMetadata;
import reco.trainer.data.TrainingData;
import reco.trainer.generation.GenerationBuilder;
import reco.trainer.io.Dataset;
import reco.trainer.io.ReadReport;
import reco.trainer.models.als.AlsFactors;
import reco.trainer.models.als.EmbeddingNeighbors;
import reco.trainer.models.als.ImplicitAls;
import reco.trainer.models.content.ContentNeighbors;
import reco.trainer.models.context.TimeOfDayModel;
import reco.trainer.models.context.TimeOfDayTrainer;
import reco.trainer.models.content.ContentVectorizer;
import reco.trainer.models.content.ContentVectors;
import reco.trainer.models.ease.Ease;
import reco.trainer.models.knn.ItemKnn;
import reco.trainer.models.popularity.PopularityModel;
import reco.trainer.models.popularity.PopularityTrainer;
import reco.trainer.progress.Progress;
import reco.trainer.tuning.Tuner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One training run: prepares the data, fits the requested models and publishes them as a new
 * generation. `reco train`, `reco demo` and `reco eval` all go through here, so what is evaluated
 * is what is served.
 */
public final class Trainer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a run produced. */
    public record Result(Path generation, String generationId, Manifest.Counts counts, ModelKind defaultModel,
                         PhaseTimer timings) {}

    private TrainSettings settings;
    private Tuner.Options tuneOptions;
    private Set<String> fixedKeys = Set.of();
    private final ContextSettings context;
    private final Progress.Factory progress;
    private final PrintStream log;
    /** Extra manifest parameters the caller adds (e.g. the feedback log's cut-off), in insertion order. */
    private final Map<String, Object> extraParameters = new LinkedHashMap<>();
    private Tuner.Report tuning;

    public Trainer(TrainSettings settings, Progress.Factory progress, PrintStream log) {
        this(settings, ContextSettings.defaults(), progress, log);
    }

    /** @param context time-of-day zone and priors, block list (see {@link ContextSettings}) */
    public Trainer(TrainSettings settings, ContextSettings context, Progress.Factory progress, PrintStream log) {
        this.settings = settings;
        this.context = context;
        this.progress = progress;
        this.log = log;
    }

    /**
     * Adds a parameter to the manifest of every generation this trainer writes, e.g. the cut-off of the
     * feedback event log it was given ({@link reco.model.feedback.FeedbackLog#CUTOFF_PARAMETER}).
     */
    public Trainer manifestParameter(String name, Object value) {
        extraParameters.put(name, value);
        return this;
    }

    /**
     * Tunes the settings on a validation split carved from the dataset before training (see {@link Tuner});
     * the keys in {@code fixed} (parameter names as {@code --params} files spell them) keep their value.
     */
    public Trainer withTuning(Tuner.Options options, Set<String> fixed) {
        this.tuneOptions = options;
        this.fixedKeys = Set.copyOf(fixed);
        return this;
    }

    /** The settings the last {@link #train} used (after tuning, when it ran). */
    public TrainSettings settings() {
        return settings;
    }

    /** What the tuning of the last {@link #train} did, or null when it did not run. */
    public Tuner.Report tuningReport() {
        return tuning;
    }

    /** {@code AUTO} becomes the transform that suits the data's kind of weights. */
    public static TrainingData.Strength resolveStrength(TrainingData.Strength strength, DataProfile profile) {
        return strength == TrainingData.Strength.AUTO ? profile.suggestedStrength() : strength;
    }

    public Result train(Dataset dataset, Path modelRoot) throws IOException {
        PhaseTimer timer = new PhaseTimer();
        Interactions in = dataset.interactions();
        ItemMetadata metadata = dataset.metadata();
        DataProfile profile = timer.timeUnchecked("profile", () -> DataProfile.of(in, settings.minWeight()));
        log.println(profile.summary());
        if (tuneOptions != null) {
            Tuner.Result tuned = timer.timeUnchecked("tuning",
                    () -> Tuner.tune(dataset, settings, fixedKeys, profile, tuneOptions, log));
            settings = tuned.settings();
            tuning = tuned.report();
        }
        TrainingData.Strength strength = resolveStrength(settings.strength(), profile);
        TrainingData data = timer.timeUnchecked("prepare interactions",
                () -> TrainingData.build(in, settings.minWeight(), settings.duplicates(), strength,
                        settings.belowThresholdWeight(), settings.recencyFloor()));
        log.printf("data: %,d users, %,d items, %,d interactions (%,d distinct pairs, %,d positives, %,d model inputs)%n",
                data.users, data.items, in.size(), data.pairs, data.positiveCount(), data.input.nnz());
        if (data.positiveCount() == 0) {
            throw new reco.trainer.data.DataException("no positive interactions: every weight is 0 or less, or below "
                    + "--min-weight " + settings.minWeight() + "; nothing to train on");
        }

        PopularityModel popularity = timer.timeUnchecked("popularity",
                () -> PopularityTrainer.train(in, settings.minWeight(), settings.popularity()));

        Map<ModelKind, Neighborhoods> neighborModels = new EnumMap<>(ModelKind.class);
        Map<ModelKind, Map<String, Object>> params = new EnumMap<>(ModelKind.class);
        params.put(ModelKind.POPULARITY, toMap(settings.popularity()));

        boolean hasContent = hasContent(metadata, data.items);
        if (settings.models().contains(ModelKind.CONTENT)) {
            if (hasContent) {
                ContentVectors vectors = timer.timeUnchecked("content vectors",
                        () -> ContentVectorizer.vectorize(metadata, data.items, settings.contentFeatures()));
                neighborModels.put(ModelKind.CONTENT, timer.timeUnchecked("content neighbours",
                        () -> ContentNeighbors.compute(vectors, settings.contentNeighbors(), progress)));
                Map<String, Object> p = new LinkedHashMap<>(toMap(settings.contentFeatures()));
                p.putAll(toMap(settings.contentNeighbors()));
                p.put("features", vectors.featureCount());
                params.put(ModelKind.CONTENT, p);
            } else {
                log.println("content: skipped (no item metadata: pass --items and/or --tags)");
            }
        }
        if (settings.models().contains(ModelKind.ITEM_KNN)) {
            neighborModels.put(ModelKind.ITEM_KNN, timer.timeUnchecked("item-knn",
                    () -> ItemKnn.compute(data.input, settings.itemKnn(), progress)));
            params.put(ModelKind.ITEM_KNN, toMap(settings.itemKnn()));
        }
        if (settings.models().contains(ModelKind.EASE)) {
            neighborModels.put(ModelKind.EASE, timer.timeUnchecked("ease",
                    () -> Ease.fit(data.input, itemsWithPositives(data), settings.ease(), progress)));
            params.put(ModelKind.EASE, toMap(settings.ease()));
        }

        AlsFactors als = null;
        Neighborhoods alsNeighbors = null;
        if (settings.models().contains(ModelKind.ALS)) {
            AlsFactors factors = timer.timeUnchecked("als",
                    () -> new ImplicitAls(settings.als()).fit(data.input, progress, null, false));
            als = factors;
            Map<String, Object> p = new LinkedHashMap<>(toMap(settings.als()));
            if (factors.items() < IvfParameters.DEFAULT_MIN_ITEMS) {
                alsNeighbors = timer.timeUnchecked("als neighbours", () -> EmbeddingNeighbors.compute(factors.itemFactors(),
                        factors.items(), factors.factors(), settings.contentNeighbors().neighbors(), settings.als().threads(),
                        progress));
            } else {
                // exact all-pairs cosine is quadratic: large catalogues get an approximate index instead,
                // which SimilarItems queries (per-user scoring still scans every item exactly)
                p.put(reco.model.generation.Generation.ANN_INDEX_PARAMETER, IvfIndex.fileName("als-items"));
                log.printf("als: %,d items >= %,d: building an approximate (IVF) index instead of exact neighbour lists%n",
                        factors.items(), IvfParameters.DEFAULT_MIN_ITEMS);
            }
            p.put("objective", toMap(settings.als().objective()));
            params.put(ModelKind.ALS, p);
        }

        Map<ModelKind, Double> hybrid = new EnumMap<>(ModelKind.class);
        if (settings.models().contains(ModelKind.HYBRID)) {
            for (Map.Entry<ModelKind, Double> e : settings.hybridWeights().entrySet()) {
                if (e.getValue() > 0 && (neighborModels.containsKey(e.getKey()) || e.getKey() == ModelKind.ALS && als != null)) {
                    hybrid.put(e.getKey(), e.getValue());
                }
            }
            if (hybrid.size() < 2) {
                log.println("hybrid: skipped (needs two trained components, has " + hybrid.keySet() + ")");
                hybrid.clear();
            }
        }
        java.util.Set<ModelKind> trained = java.util.EnumSet.noneOf(ModelKind.class);
        trained.addAll(neighborModels.keySet());
        if (als != null) {
            trained.add(ModelKind.ALS);
        }
        ModelKind defaultModel = chooseDefault(trained, !hybrid.isEmpty());
        TimeOfDayModel timeOfDay = timer.timeUnchecked("time of day", () -> trainTimeOfDay(in, data.items, metadata, hasContent));
        AlsFactors alsFactors = als;
        Neighborhoods alsLists = alsNeighbors;

        Path published = timer.time("write generation", () -> {
            try (GenerationBuilder b = GenerationBuilder.begin(modelRoot)) {
                b.writeIds(in.users.ids(), in.items.ids());
                if (hasContent) {
                    b.writeCatalog(metadata);
                }
                b.writeHistories(data);
                int[] counts = positivesPerItem(data);
                int[] recent = popularity.recencyRanking();
                b.writePopularity(popularity.globalRanking(), toFloats(popularity.globalScores(), popularity.globalRanking()),
                        in.hasTimestamps() ? recent : new int[0],
                        in.hasTimestamps() ? toFloats(popularity.recencyScores(), recent) : new float[0],
                        counts, params.get(ModelKind.POPULARITY));
                for (Map.Entry<ModelKind, Neighborhoods> m : neighborModels.entrySet()) {
                    b.addNeighborModel(m.getKey(), m.getValue(), params.get(m.getKey()));
                }
                if (alsFactors != null) {
                    double[] gram = alsFactors.itemGram();
                    float[] gramF = new float[gram.length];
                    for (int g = 0; g < gram.length; g++) {
                        gramF[g] = (float) gram[g];
                    }
                    b.addEmbeddingModel(ModelKind.ALS, alsFactors.itemFactors(), alsFactors.userFactors(), alsFactors.factors(),
                            gramF, alsLists, params.get(ModelKind.ALS));
                    if (params.get(ModelKind.ALS).containsKey(reco.model.generation.Generation.ANN_INDEX_PARAMETER)) {
                        long ivfStart = System.nanoTime();
                        IvfIndexWriter.IvfBuildSummary ivf = IvfIndexWriter.write(b.file(IvfIndex.fileName("als-items")),
                                alsFactors.itemFactors(), alsFactors.items(), alsFactors.factors(),
                                IvfParameters.defaults(alsFactors.items()));
                        log.printf("als: IVF index with %,d lists (largest %,d items, %d probed by default) in %.1f s%n",
                                ivf.lists(), ivf.largestList(), ivf.defaultProbes(), (System.nanoTime() - ivfStart) / 1e9);
                    }
                }
                if (!hybrid.isEmpty()) {
                    b.addHybrid(hybrid, Map.of());
                }
                writeContext(b, timeOfDay);
                for (ReadReport r : dataset.reports()) {
                    b.input(new Manifest.InputFile(r.kind().name().toLowerCase(), r.path().toString(),
                            r.format().cliName(), r.fingerprint().sizeBytes(), r.fingerprint().crc32c()));
                }
                b.parameter("minWeight", Float.isInfinite(settings.minWeight()) ? null : settings.minWeight());
                b.parameter("duplicates", settings.duplicates().name().toLowerCase());
                b.parameter("strength", strength.name().toLowerCase());
                b.parameter("dataProfile", toMap(profile));
                if (tuning != null) {
                    b.parameter("tuning", toMap(tuning));
                }
                b.parameter("belowThresholdWeight", settings.belowThresholdWeight());
                b.parameter("recencyFloor", settings.recencyFloor());
                b.parameter("profileHalfLifeDays", settings.profileHalfLifeDays());
                b.parameter("seed", settings.seed());
                for (Map.Entry<String, Object> e : extraParameters.entrySet()) {
                    b.parameter(e.getKey(), e.getValue());
                }
                Manifest.Counts c = counts(dataset, data);
                return b.commit(c, defaultModel, settings.keepGenerations());
            }
        });
        Manifest.Counts c = counts(dataset, data);
        return new Result(published, published.getFileName().toString(), c, defaultModel, timer);
    }

    // ---------------------------------------------------------------- context and business rules

    private TimeOfDayModel trainTimeOfDay(Interactions in, int items, ItemMetadata metadata, boolean hasContent) {
        if (!in.hasTimestamps()) {
            return null;
        }
        java.util.List<java.util.List<String>> categories = null;
        if (hasContent) { // category ids must match the catalogue's, which exists only with content
            categories = new java.util.ArrayList<>(items);
            for (int i = 0; i < items; i++) {
                categories.add(metadata.categories(i));
            }
        }
        return TimeOfDayTrainer.train(in, items, categories, settings.minWeight(), context.timeZone(),
                context.itemPrior(), context.categoryPrior());
    }

    private void writeContext(GenerationBuilder b, TimeOfDayModel timeOfDay) throws IOException {
        if (timeOfDay != null) {
            b.writeTimeOfDay(timeOfDay);
            b.parameter("timeOfDay", Map.of("timeZone", context.timeZone().getId(), "itemPrior", context.itemPrior(),
                    "categoryPrior", context.categoryPrior(), "interactions", timeOfDay.interactionsBinned()));
        } else {
            log.println("time of day: skipped (no interaction has a timestamp)");
        }
        if (context.blockList() != null) {
            int blocked = b.writeBlockList(context.blockList());
            b.parameter("blockListIds", blocked);
            log.printf("block list: %,d ids from %s%n", blocked, context.blockList());
        }
    }

    private ModelKind chooseDefault(java.util.Set<ModelKind> trained, boolean hybrid) {
        return chooseDefault(settings.defaultModel(), trained, hybrid);
    }

    /**
     * The model a generation serves by default: {@code requested} when given (it must have been trained),
     * else the hybrid when one was built, else the first trained of EASE, ALS, item-kNN, content, else
     * popularity. Every engine (this trainer, the Spark job) decides by this rule.
     */
    public static ModelKind chooseDefault(ModelKind requested, java.util.Set<ModelKind> trained, boolean hybrid) {
        if (requested != null) {
            ModelKind d = requested;
            if (d != ModelKind.POPULARITY && !trained.contains(d) && !(d == ModelKind.HYBRID && hybrid)) {
                throw new IllegalArgumentException("default model " + d + " is not among the trained models " + trained);
            }
            return d;
        }
        if (hybrid) {
            return ModelKind.HYBRID;
        }
        for (ModelKind k : new ModelKind[] {ModelKind.EASE, ModelKind.ALS, ModelKind.ITEM_KNN, ModelKind.CONTENT}) {
            if (trained.contains(k)) {
                return k;
            }
        }
        return ModelKind.POPULARITY;
    }

    private static Manifest.Counts counts(Dataset dataset, TrainingData data) {
        long malformed = 0;
        for (ReadReport r : dataset.reports()) {
            malformed += r.malformed();
        }
        long described = 0;
        for (int i = 0; i < data.items; i++) {
            if (dataset.metadata().isDescribed(i)) {
                described++;
            }
        }
        return new Manifest.Counts(data.users, data.items, dataset.interactions().size(), data.positiveCount(),
                malformed, described);
    }

    static boolean hasContent(ItemMetadata metadata, int items) {
        for (int i = 0; i < Math.min(items, metadata.size()); i++) {
            if (metadata.isDescribed(i) || !metadata.tags(i).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static int[] positivesPerItem(TrainingData data) {
        return data.positivesPerItem;
    }

    /**
     * Items EASE models: every item somebody liked (at least {@link #EASE_MIN_POSITIVES} positive), up to
     * the most popular {@code --ease-max-items}. On long-tail catalogues most items have one or two
     * positives; leaving them out of EASE (as an earlier threshold of 3 did) left most of the catalogue
     * unreachable by the strongest component. Items beyond the cap are covered by the other components.
     */
    public static boolean[] itemsWithPositives(TrainingData data) {
        boolean[] liked = new boolean[data.items];
        for (int i = 0; i < data.items; i++) {
            liked[i] = data.positivesPerItem[i] >= EASE_MIN_POSITIVES;
        }
        return liked;
    }

    /** See {@link #itemsWithPositives(TrainingData)}. */
    public static final int EASE_MIN_POSITIVES = 1;

    private static float[] toFloats(double[] scores, int[] ranking) {
        float[] out = new float[ranking.length];
        for (int r = 0; r < ranking.length; r++) {
            out[r] = (float) scores[ranking[r]];
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(Object parameters) {
        return JSON.convertValue(parameters, LinkedHashMap.class);
    }
}
