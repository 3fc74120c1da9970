package reco.trainer.eval;

import reco.model.ModelKind;
import reco.model.generation.Generation;
import reco.model.scoring.ItemFilter;
import reco.model.scoring.Recommendations;
import reco.model.scoring.Recommender;
import reco.trainer.io.Dataset;
import reco.trainer.pipeline.PhaseTimer;
import reco.trainer.pipeline.TrainSettings;
import reco.trainer.pipeline.Trainer;
import reco.trainer.progress.Progress;
import reco.trainer.tuning.Tuner;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Train, recommend, score: one training run through {@link Trainer} (the pipeline `reco train` runs),
 * then a top-N list for every test user from {@link Recommender} on the published generation (the code
 * the gRPC server runs), then {@link TopKMetrics}. Several models are evaluated from one training run:
 * each is asked for by name, exactly as a client naming a model would.
 *
 * <p>Besides the protocol's metrics it reports two subsets where collaborative models are weak:
 * <ul>
 *   <li><b>cold users</b>: test users with fewer than {@value #COLD_THRESHOLD} train rows (any weight);
 *       all metrics over those users only;</li>
 *   <li><b>cold items</b>: test rows whose item has fewer than {@value #COLD_THRESHOLD} train rows (any
 *       weight, any user); {@code recall} = such rows whose item is in its user's top K / such rows
 *       (a micro-average over rows, since a user rarely has more than one).</li>
 * </ul>
 */
public final class OfflineEvaluation {
    /** Users and items with fewer train rows than this count as cold. */
    public static final int COLD_THRESHOLD = 5;

    /** Recall of the cold-item test rows at one K. */
    public record ColdItems(int k, long rows, long hits) {
        public double recall() {
            return rows == 0 ? 0 : (double) hits / rows;
        }
    }

    /**
     * One evaluated model.
     *
     * @param trainSeconds wall time of the fit of this model and what it needs: data preparation,
     *     popularity and, for hybrid, every component (excludes reading files and writing the generation)
     * @param coldUsers metrics over cold test users only, or null when there are none
     */
    public record ModelResult(ModelKind model, double trainSeconds, MetricsResult metrics, MetricsResult coldUsers,
                              long coldUserCount, ColdItems coldItems, Map<String, List<String>> recommendations) {}

    /** What to evaluate and how. */
    public record Request(TrainSettings settings, List<ModelKind> models, int recommendations, List<Integer> ks,
                          Tuner.Options tuning, Set<String> fixed) {
        /** Without tuning. */
        public Request(TrainSettings settings, List<ModelKind> models, int recommendations, List<Integer> ks) {
            this(settings, models, recommendations, ks, null, Set.of());
        }

        /**
         * @param tuning the built-in tuning to run on the train split before training (null: none); it carves
         *               its validation split from the train rows, never from the test rows
         * @param fixed  parameter keys given explicitly, which the tuning keeps
         */
        public Request {
            fixed = Set.copyOf(fixed);
            if (models.isEmpty()) {
                throw new IllegalArgumentException("models: at least one model to evaluate");
            }
            if (recommendations < 1 || recommendations > 10_000) {
                throw new IllegalArgumentException("recs-k must be in [1, 10000], got " + recommendations);
            }
            models = List.copyOf(models);
            ks = List.copyOf(ks);
            int maxK = ks.stream().mapToInt(Integer::intValue).max().orElse(0);
            if (maxK > recommendations) {
                throw new IllegalArgumentException("recs-k (" + recommendations + ") must be >= the largest k (" + maxK + ")");
            }
        }
    }

    private OfflineEvaluation() {}

    /**
     * The models a training run must fit so that every requested model can be served as configured:
     * the requested ones plus, for hybrid, its components with a positive weight.
     */
    public static Set<ModelKind> modelsToTrain(Collection<ModelKind> requested, TrainSettings settings) {
        Set<ModelKind> train = EnumSet.noneOf(ModelKind.class);
        train.addAll(requested);
        if (requested.contains(ModelKind.HYBRID)) {
            settings.hybridWeights().forEach((model, weight) -> {
                if (weight > 0) {
                    train.add(model);
                }
            });
        }
        return train;
    }

    /**
     * Trains on {@code train} (models as {@link #modelsToTrain}), then evaluates each requested model.
     *
     * @param trainRows user -> items of the train rows (any weight), to flag seen items and find cold ones
     * @param test user -> held-out items, in test.tsv order
     * @param workDir where the generation is written (a fresh folder is created inside and deleted after)
     */
    public static List<ModelResult> run(Request request, Dataset train, Map<String, List<String>> trainRows,
                                        Map<String, List<String>> test, Path workDir, Progress.Factory progress,
                                        PrintStream log) throws IOException {
        TrainSettings settings = request.settings().withModels(modelsToTrain(request.models(), request.settings()))
                .withKeepGenerations(1);
        Files.createDirectories(workDir);
        Path modelRoot = Files.createTempDirectory(workDir, "eval-generation-");
        try {
            Trainer trainer = new Trainer(settings, progress, log);
            if (request.tuning() != null) {
                Set<String> fixed = new HashSet<>(request.fixed());
                fixed.add("models"); // every requested model is trained, whatever the blend keeps
                trainer.withTuning(request.tuning(), fixed);
            }
            Trainer.Result trained = trainer.train(train, modelRoot);
            settings = trainer.settings();
            log.println("eval: default model " + trained.defaultModel() + (trainer.tuningReport() == null ? ""
                    : String.format(java.util.Locale.ROOT, " (tuned: %s, validation ndcg@20 %.4f, %.1f s)",
                    trainer.tuningReport().chosen(), trainer.tuningReport().bestNdcg20(), trainer.tuningReport().seconds())));
            List<ModelResult> results = new ArrayList<>();
            try (Generation generation = Generation.open(trained.generation())) {
                Recommender recommender = new Recommender(generation);
                for (ModelKind model : request.models()) {
                    if (model != ModelKind.POPULARITY && !generation.hasModel(model)) {
                        log.println("eval: " + model + " was not trained (see the log above); skipped");
                        continue;
                    }
                    Map<String, List<String>> recs = recommend(recommender, generation, test.keySet(), model,
                            request.recommendations());
                    results.add(score(model, trainSeconds(model, trained.timings(), settings), recs, trainRows, test,
                            request.ks()));
                }
            }
            return results;
        } finally {
            deleteRecursively(modelRoot);
        }
    }

    /** Scores given recommendation lists (also used for recommendations that bypass a generation, e.g. dense EASE). */
    public static ModelResult score(ModelKind model, double trainSeconds, Map<String, List<String>> recs,
                                    Map<String, List<String>> trainRows, Map<String, List<String>> test,
                                    List<Integer> ks) {
        MetricsResult all = TopKMetrics.evaluate(trainRows, test, recs, ks);
        Map<String, List<String>> coldTest = new LinkedHashMap<>();
        test.forEach((user, items) -> {
            List<String> rows = trainRows.get(user);
            if (rows == null || rows.size() < COLD_THRESHOLD) {
                coldTest.put(user, items);
            }
        });
        MetricsResult cold = coldTest.isEmpty() ? null : TopKMetrics.evaluate(trainRows, coldTest, recs, ks);
        int coldK = ks.stream().mapToInt(Integer::intValue).max().orElseThrow();
        return new ModelResult(model, trainSeconds, all, cold, coldTest.size(),
                coldItems(trainRows, test, recs, coldK), recs);
    }

    /** Recall at {@code k} over test rows whose item has fewer than {@value #COLD_THRESHOLD} train rows. */
    public static ColdItems coldItems(Map<String, List<String>> trainRows, Map<String, List<String>> test,
                                      Map<String, List<String>> recs, int k) {
        Map<String, Integer> itemRows = new HashMap<>();
        for (List<String> items : trainRows.values()) {
            for (String item : items) {
                itemRows.merge(item, 1, Integer::sum);
            }
        }
        long rows = 0;
        long hits = 0;
        for (Map.Entry<String, List<String>> e : test.entrySet()) {
            List<String> ranked = recs.getOrDefault(e.getKey(), List.of());
            Set<String> top = new HashSet<>(ranked.subList(0, Math.min(k, ranked.size())));
            List<String> seen = trainRows.getOrDefault(e.getKey(), List.of());
            for (String item : e.getValue()) {
                if (itemRows.getOrDefault(item, 0) < COLD_THRESHOLD) {
                    rows++;
                    if (top.contains(item) && !seen.contains(item)) {
                        hits++;
                    }
                }
            }
        }
        return new ColdItems(k, rows, hits);
    }

    /** Top-{@code k} ids for each user through {@link Recommender#recommendForUser}, as the server answers. */
    static Map<String, List<String>> recommend(Recommender recommender, Generation generation, Collection<String> users,
                                               ModelKind model, int k) {
        List<String> userList = List.copyOf(users);
        @SuppressWarnings("unchecked")
        List<String>[] lists = new List[userList.size()];
        // Recommender is thread-safe (per-thread scratch); users are independent.
        java.util.stream.IntStream.range(0, userList.size()).parallel().forEach(u -> {
            int index = generation.userIndex().indexOf(userList.get(u));
            Recommendations r = recommender.recommendForUser(index, new int[0], k, model, ItemFilter.ALLOW_ALL, false);
            List<String> ids = new ArrayList<>(r.size());
            for (int item : r.items()) {
                ids.add(generation.itemIds().id(item));
            }
            lists[u] = ids;
        });
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int u = 0; u < userList.size(); u++) {
            out.put(userList.get(u), lists[u]);
        }
        return out;
    }

    /** Fit time attributable to {@code model}: shared preparation + its own phases (+ components for hybrid). */
    static double trainSeconds(ModelKind model, PhaseTimer timings, TrainSettings settings) {
        double shared = timings.seconds("prepare interactions") + timings.seconds("popularity");
        Set<ModelKind> parts = EnumSet.of(model);
        if (model == ModelKind.HYBRID) {
            settings.hybridWeights().forEach((m, w) -> {
                if (w > 0) {
                    parts.add(m);
                }
            });
        }
        double own = 0;
        for (ModelKind part : parts) {
            own += switch (part) {
                case CONTENT -> timings.seconds("content vectors") + timings.seconds("content neighbours");
                case ITEM_KNN -> timings.seconds("item-knn");
                case EASE -> timings.seconds("ease");
                case ALS -> timings.seconds("als") + timings.seconds("als neighbours");
                case POPULARITY, HYBRID -> 0;
            };
        }
        return shared + own;
    }

    /** The results as JSON: an array with one object per model (metrics as metrics.py's JSON). */
    public static String toJson(List<ModelResult> results, EaseDenseComparison.Report ease) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < results.size(); i++) {
            ModelResult r = results.get(i);
            sb.append(i == 0 ? "\n" : ",\n");
            sb.append("{\"model\": ").append(PythonCompat.jsonString(r.model().id))
                    .append(", \"train_seconds\": ").append(String.format(java.util.Locale.ROOT, "%.3f", r.trainSeconds()))
                    .append(", \"metrics\": ").append(r.metrics().toJson())
                    .append(", \"cold_users\": {\"threshold\": ").append(COLD_THRESHOLD)
                    .append(", \"users\": ").append(r.coldUserCount())
                    .append(", \"metrics\": ").append(r.coldUsers() == null ? "null" : r.coldUsers().toJson()).append('}')
                    .append(", \"cold_items\": {\"threshold\": ").append(COLD_THRESHOLD)
                    .append(", \"rows\": ").append(r.coldItems().rows())
                    .append(", \"hits\": ").append(r.coldItems().hits())
                    .append(", \"recall@").append(r.coldItems().k()).append("\": ")
                    .append(PythonCompat.floatRepr(PythonCompat.round(r.coldItems().recall(), TopKMetrics.DECIMALS)))
                    .append('}');
            if (ease != null && r.model() == ModelKind.EASE) {
                sb.append(", \"ease_pruning\": ").append(ease.toJson());
            }
            sb.append('}');
        }
        return sb.append("\n]\n").toString();
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
