package reco.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import reco.model.ModelKind;
import reco.model.generation.Generation;
import reco.model.generation.ItemCatalog;
import reco.model.scoring.ContextualRanker;
import reco.model.scoring.ItemFilter;
import reco.model.scoring.ItemSimilarity;
import reco.model.scoring.RankedList;
import reco.model.scoring.Recommender;
import reco.model.scoring.RerankOptions;
import reco.trainer.eval.HoldoutSplit;
import reco.trainer.eval.MetricsResult;
import reco.trainer.eval.RawRow;
import reco.trainer.eval.SplitResult;
import reco.trainer.eval.TopKMetrics;
import reco.trainer.eval.UserItem;
import reco.trainer.io.Dataset;
import reco.trainer.io.DatasetLoader;
import reco.trainer.io.LoadRequest;
import reco.trainer.pipeline.Trainer;
import reco.trainer.progress.ProgressReporter;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * What the diversity, exploration and time-of-day knobs cost and gain on a holdout-v1 split: trains a
 * generation on the split's train rows with {@link Trainer}, serves every test user through
 * {@link ContextualRanker} (the server's code path) at several knob settings, and prints a Markdown
 * table of NDCG@K, intra-list diversity, category coverage per list and catalogue coverage.
 */
@Command(name = "eval-diversity",
        header = "What diversity, exploration and time-of-day context cost and gain offline.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cost (NDCG@K) and gain (intra-list diversity, category coverage) of the diversity and",
                "exploration knobs, and NDCG@K with time-of-day context at each held-out user's own time,",
                "on a holdout-v1 split of DATASET (a directory with ratings.csv or u.data, or a train.tsv)."})
public final class EvalDiversityCommand implements Callable<Integer> {
    @picocli.CommandLine.Parameters(index = "0", paramLabel = "DATASET", description = "Dataset directory or file to split.")
    Path dataset;

    @Option(names = "--items", paramLabel = "FILE", description = "Item metadata (e.g. movies.csv); default: DATASET/movies.csv when present.")
    Path items;

    @Option(names = "--model", paramLabel = "MODEL", description = "Model to serve (default: the generation's default).")
    String model;

    @Option(names = "--k", paramLabel = "K", description = "List length and metric cut-off (default 20).")
    int k = 20;

    @Option(names = "--settings", paramLabel = "LIST", description = "Knob values to try (default 0,0.2,0.5,0.8).")
    String settingsList = "0,0.2,0.5,0.8";

    @Option(names = "--context-weights", paramLabel = "LIST", description = "Context weights to try (default 0,0.2,0.5,1).")
    String contextWeights = "0,0.2,0.5,1";

    @Option(names = "--seed", description = "Exploration seed (default 42).")
    long seed = 42;

    @Option(names = "--work", paramLabel = "DIR", description = "Working directory for the split and generation (default: a temporary one, removed).")
    Path work;

    @Mixin
    TrainOptions training;

    @Mixin
    ContextOptions context;

    @Override
    public Integer call() throws Exception {
        PrintStream log = System.err;
        if (k < 1 || k > 1000) {
            throw new IllegalArgumentException("--k must be in [1, 1000], got " + k);
        }
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("reco-eval-diversity");
        try {
            SplitResult split = HoldoutSplit.split(dataset, Optional.empty());
            split.write(dir.resolve("split"));
            log.println("split: " + split.summary());
            Path itemsFile = items != null ? items : Files.isDirectory(dataset) && Files.exists(dataset.resolve("movies.csv"))
                    ? dataset.resolve("movies.csv") : null;
            LoadRequest request = LoadRequest.of(dir.resolve("split").resolve("train.tsv"));
            if (itemsFile != null) {
                request = request.withItems(itemsFile);
            }
            Dataset data = DatasetLoader.load(request);
            Trainer.Result trained = new Trainer(training.toSettings(), context.toSettings(), ProgressReporter.toStderr(), log)
                    .train(data, dir.resolve("models"));
            try (Generation generation = Generation.open(trained.generation())) {
                report(split, generation, System.out);
            }
        } finally {
            if (work == null) {
                deleteRecursively(dir);
            }
        }
        return ExitCodes.OK;
    }

    private void report(SplitResult split, Generation generation, PrintStream out) {
        Recommender recommender = new Recommender(generation);
        ContextualRanker ranker = new ContextualRanker(recommender);
        ModelKind served = recommender.resolve(model == null ? null : ModelKind.fromId(model));
        Map<String, List<String>> train = split.trainByUser();
        Map<String, List<String>> test = split.testByUser();
        ItemCatalog catalog = generation.catalog();
        ItemSimilarity cosine = generation.itemEmbeddings(ModelKind.ALS) != null
                ? ItemSimilarity.cosine(generation.itemEmbeddings(ModelKind.ALS)) : null;
        ItemSimilarity jaccard = catalog == null ? null : ItemSimilarity.categoryJaccard(catalog);
        List<Double> values = parseList(settingsList, "--settings");

        out.printf(Locale.ROOT, "model %s, k = %d, %d test users, generation %s%n%n", served.id, k, test.size(), generation.id());
        out.println("| knob | value | NDCG@" + k + " | ILD (1 - ALS cosine) | ILD (1 - category Jaccard) | categories per list | catalogue coverage |");
        out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (String knob : List.of("diversity", "exploration")) {
            for (double v : values) {
                RerankOptions o = knob.equals("diversity") ? RerankOptions.NONE.withDiversity(v)
                        : RerankOptions.NONE.withExploration(v, seed);
                Map<String, List<String>> recs = new LinkedHashMap<>();
                Stats stats = new Stats();
                for (String user : test.keySet()) {
                    int u = generation.userIndex().indexOf(user);
                    RankedList r = ranker.recommendForUser(u, new int[0], k, served, ItemFilter.ALLOW_ALL, false, o);
                    recs.put(user, ids(generation, r.recommendations().items()));
                    stats.add(r.recommendations().items(), cosine, jaccard, catalog);
                }
                MetricsResult m = TopKMetrics.evaluate(train, test, recs, List.of(k));
                out.printf(Locale.ROOT, "| %s | %.1f | %.4f | %s | %s | %s | %.4f |%n", knob, v, m.values().get("ndcg@" + k),
                        stats.mean(stats.cosine), stats.mean(stats.jaccard), stats.mean(stats.categories),
                        m.values().get("coverage@" + k));
            }
        }
        contextTable(split, generation, ranker, served, train, test, out);
    }

    /** NDCG@k with each test user's list scored at the time of their first held-out interaction. */
    private void contextTable(SplitResult split, Generation generation, ContextualRanker ranker, ModelKind served,
                              Map<String, List<String>> train, Map<String, List<String>> test, PrintStream out) {
        out.println();
        if (generation.timeOfDay() == null) {
            out.println("time-of-day context: the generation has no profile (no timestamps): skipped");
            return;
        }
        Map<UserItem, Long> time = new HashMap<>();
        for (RawRow row : split.dataset().rows()) {
            try {
                time.put(new UserItem(row.user(), row.item()), Long.parseLong(row.timestamp().trim()));
            } catch (RuntimeException e) {
                // rows without an integer timestamp get no context time
            }
        }
        Map<String, Long> when = new HashMap<>();
        for (UserItem t : split.test()) {
            Long ts = time.get(t);
            if (ts != null) {
                when.merge(t.user(), ts, Math::min);
            }
        }
        out.println("| model | context_weight | NDCG@" + k + " |");
        out.println("|---|---:|---:|");
        for (ModelKind m : served == ModelKind.POPULARITY ? List.of(served) : List.of(served, ModelKind.POPULARITY)) {
            for (double w : parseList(contextWeights, "--context-weights")) {
                Map<String, List<String>> recs = new LinkedHashMap<>();
                for (String user : test.keySet()) {
                    int u = generation.userIndex().indexOf(user);
                    RerankOptions o = RerankOptions.NONE.withContext(w, when.getOrDefault(user, 0L));
                    recs.put(user, ids(generation, ranker.recommendForUser(u, new int[0], k, m, ItemFilter.ALLOW_ALL, false, o)
                            .recommendations().items()));
                }
                out.printf(Locale.ROOT, "| %s | %.1f | %.4f |%n", m.id, w,
                        TopKMetrics.evaluate(train, test, recs, List.of(k)).values().get("ndcg@" + k));
            }
        }
    }

    private static List<String> ids(Generation g, int[] items) {
        List<String> out = new ArrayList<>(items.length);
        for (int i : items) {
            out.add(g.itemIds().id(i));
        }
        return out;
    }

    private static List<Double> parseList(String list, String option) {
        List<Double> out = new ArrayList<>();
        for (String p : list.split(",")) {
            try {
                double v = Double.parseDouble(p.trim());
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException(option + ": " + v + " is not in [0, 1]");
                }
                out.add(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": '" + p + "' is not a number");
            }
        }
        return out;
    }

    /** Per-list means: intra-list diversity (mean pairwise 1 - similarity) and distinct categories. */
    static final class Stats {
        final List<Double> cosine = new ArrayList<>();
        final List<Double> jaccard = new ArrayList<>();
        final List<Double> categories = new ArrayList<>();

        void add(int[] items, ItemSimilarity cos, ItemSimilarity jac, ItemCatalog catalog) {
            if (cos != null) {
                cosine.add(intraListDiversity(items, cos));
            }
            if (jac != null) {
                jaccard.add(intraListDiversity(items, jac));
                Set<Integer> distinct = new HashSet<>();
                for (int i : items) {
                    for (int c = 0; c < catalog.categoryCount(i); c++) {
                        distinct.add(catalog.category(i, c));
                    }
                }
                categories.add((double) distinct.size());
            }
        }

        String mean(List<Double> v) {
            if (v.isEmpty()) {
                return "n/a";
            }
            double s = 0;
            for (double x : v) {
                s += x;
            }
            return String.format(Locale.ROOT, "%.4f", s / v.size());
        }
    }

    /** Mean over item pairs of {@code 1 - similarity}; 0 for lists shorter than 2. */
    public static double intraListDiversity(int[] items, ItemSimilarity similarity) {
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < items.length; a++) {
            for (int b = a + 1; b < items.length; b++) {
                sum += 1 - similarity.similarity(items[a], items[b]);
                pairs++;
            }
        }
        return pairs == 0 ? 0 : sum / pairs;
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
