package reco.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import reco.model.ModelKind;
import reco.trainer.eval.HoldoutDataset;
import reco.trainer.eval.HoldoutSplit;
import reco.trainer.eval.OfflineEvaluation;
import reco.trainer.eval.SplitResult;
import reco.trainer.eval.TopKMetrics;
import reco.trainer.io.Dataset;
import reco.trainer.io.DatasetLoader;
import reco.trainer.io.DelimitedOptions;
import reco.trainer.io.InputFormat;
import reco.trainer.io.LoadRequest;
import reco.trainer.pipeline.TrainSettings;
import reco.trainer.progress.Progress;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "tune",
        header = "Hyper-parameter search on a validation split carved from the training data.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Random search over the main training knobs on a validation split carved from the training data",
                "(PROTOCOL.md section 4: holdout-v1 applied to train.tsv itself); selects by NDCG@20 on validation,",
                "prints every trial and writes the best parameters for `reco train --params FILE` / `reco eval --params FILE`.",
                "The test split of --dataset is never looked at.",
                "`reco train` and `reco eval` already tune every model and the blend by default (--tune-budget);",
                "this command explores one model's parameters in more depth."})
public final class TuneCommand implements Callable<Integer> {
    /** Where the training rows come from. */
    static final class Source {
        @Option(names = "--dataset", paramLabel = "PATH",
                description = "A dataset to split first (holdout-v1); only its train part is used for tuning.")
        Path dataset;

        @Option(names = "--split", paramLabel = "DIR", description = "An existing split: only DIR/train.tsv is read.")
        Path split;

        @Option(names = "--train", paramLabel = "FILE", description = "A train.tsv to tune on.")
        Path train;
    }

    /** The metric trials are ranked by (PROTOCOL.md section 4). */
    static final String SELECTION_METRIC = "ndcg";
    static final int SELECTION_K = 20;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--kind", paramLabel = "KIND", description = "explicit or implicit, for a train.tsv (wins over its meta.json).")
    String kind;

    @Option(names = "--items", paramLabel = "PATH", description = "Item metadata (default: beside a MovieLens dataset).")
    Path items;

    @Option(names = "--tags", paramLabel = "PATH", description = "Item tags (default: beside a MovieLens dataset).")
    Path tags;

    @Option(names = "--model", defaultValue = "hybrid", paramLabel = "MODEL",
            description = "Model to tune: ease, als, item-knn or hybrid (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--budget", defaultValue = "600", paramLabel = "SECONDS",
            description = "Stop starting trials once the next one would end after this many seconds (default ${DEFAULT-VALUE}).")
    double budgetSeconds;

    @Option(names = "--max-trials", defaultValue = "50", paramLabel = "N", description = "At most N trials (default ${DEFAULT-VALUE}).")
    int maxTrials;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed of the random search (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--write-params", paramLabel = "FILE", description = "Write the best parameters here (properties).")
    Path writeParams;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Scratch folder (default: temporary, deleted after).")
    Path workDir;

    @Mixin
    TrainOptions training;

    /** One evaluated parameter set. */
    record Trial(int number, Map<String, String> parameters, double score, double seconds) {}

    @Override
    public Integer call() throws Exception {
        PrintStream log = System.err;
        ModelKind tuned = ModelKind.fromId(model);
        Map<String, List<String>> space = searchSpace(tuned);
        if (space.isEmpty()) {
            throw new IllegalArgumentException("--model: nothing to tune for " + tuned + "; choose ease, als, item-knn or hybrid");
        }
        if (!(budgetSeconds > 0)) {
            throw new IllegalArgumentException("--budget must be > 0 seconds, got " + budgetSeconds);
        }
        if (maxTrials < 1) {
            throw new IllegalArgumentException("--max-trials must be >= 1, got " + maxTrials);
        }
        Map<String, String> fixed = fixedValues();
        Path scratch = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("reco-tune-");
        try {
            Path trainFile = trainFile(scratch, log);
            SplitResult validation = HoldoutSplit.split(trainFile, Optional.ofNullable(kind));
            log.print("validation split of " + trainFile + ":\n" + validation.summary());
            Path validationDir = scratch.resolve("validation");
            validation.write(validationDir);
            Map<String, List<String>> trainRows = validation.trainByUser();
            Map<String, List<String>> test = validation.testByUser();
            LoadRequest load = new LoadRequest(validationDir.resolve(HoldoutDataset.TRAIN_FILE), items, tags,
                    InputFormat.AUTO, DelimitedOptions.DEFAULT, false);
            Dataset dataset = DatasetLoader.load(load);

            List<Map<String, String>> candidates = candidates(space, maxTrials, seed);
            List<Trial> trials = new ArrayList<>();
            long start = System.nanoTime();
            double slowest = 0;
            for (Map<String, String> candidate : candidates) {
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (!trials.isEmpty() && elapsed + slowest > budgetSeconds) {
                    log.printf("tune: budget of %.0f s reached after %d trials%n", budgetSeconds, trials.size());
                    break;
                }
                Map<String, String> values = new LinkedHashMap<>(fixed);
                values.putAll(candidate);
                TrainSettings settings = TrainOptions.apply(TrainSettings.defaults(), values);
                long t0 = System.nanoTime();
                var results = OfflineEvaluation.run(
                        new OfflineEvaluation.Request(settings, List.of(tuned), SELECTION_K, List.of(10, SELECTION_K)),
                        dataset, trainRows, test, scratch, Progress.Factory.NONE, nullStream());
                double seconds = (System.nanoTime() - t0) / 1e9;
                slowest = Math.max(slowest, seconds);
                double score = results.isEmpty() ? 0 : results.getFirst().metrics().value(SELECTION_METRIC, SELECTION_K);
                Trial trial = new Trial(trials.size() + 1, candidate, score, seconds);
                trials.add(trial);
                log.printf(Locale.ROOT, "trial %d: ndcg@20 %.4f (%.1f s) %s%n", trial.number(), score, seconds, candidate);
            }
            Trial best = trials.stream().max(Comparator.comparingDouble(Trial::score)
                    .thenComparing(t -> -t.number())).orElseThrow();
            System.out.println(table(trials, best));
            if (writeParams != null) {
                Map<String, String> out = new LinkedHashMap<>(fixed);
                out.putAll(best.parameters());
                ParamsFile.write(writeParams, out, List.of(
                        "reco tune --model " + tuned.id + ": best of " + trials.size() + " trials by ndcg@20 on a validation"
                                + " split of " + trainFile,
                        String.format(Locale.ROOT, "validation ndcg@20 = %.4f (trial %d)", best.score(), best.number())));
                System.out.println("wrote " + writeParams);
            }
            return ExitCodes.OK;
        } finally {
            if (workDir == null) {
                OfflineEvaluationCleanup.delete(scratch);
            }
        }
    }

    /** Options given on the command line (and in --params) that the search keeps fixed. */
    private Map<String, String> fixedValues() throws java.io.IOException {
        Map<String, String> fixed = new LinkedHashMap<>();
        if (training.params != null) {
            fixed.putAll(ParamsFile.read(training.params));
        }
        fixed.putAll(training.commandLineValues());
        TrainOptions.apply(TrainSettings.defaults(), fixed); // fail early on bad values
        return fixed;
    }

    private Path trainFile(Path scratch, PrintStream log) throws java.io.IOException {
        if (source.train != null) {
            return source.train;
        }
        if (source.split != null) {
            return source.split.resolve(HoldoutDataset.TRAIN_FILE);
        }
        SplitResult split = HoldoutSplit.split(source.dataset, Optional.ofNullable(kind));
        log.print(split.summary());
        Path dir = scratch.resolve("split");
        split.write(dir);
        if (items == null) {
            items = EvalCommand.beside(source.dataset, "movies.csv", "u.item");
        }
        if (tags == null) {
            tags = EvalCommand.beside(source.dataset, "tags.csv");
        }
        kind = split.kind().jsonName();
        return dir.resolve(HoldoutDataset.TRAIN_FILE);
    }

    /** Candidate values per parameter key for a model (empty: nothing to tune). */
    static Map<String, List<String>> searchSpace(ModelKind model) {
        Map<String, List<String>> space = new LinkedHashMap<>();
        switch (model) {
            case EASE -> {
                space.put("ease-lambda", List.of("25", "50", "100", "200", "400", "800"));
                space.put("strength", List.of("linear", "binary"));
            }
            case ALS -> {
                space.put("als-factors", List.of("32", "64", "128"));
                space.put("als-regularization", List.of("0.1", "1", "5", "20"));
                space.put("als-alpha", List.of("0.5", "1", "2", "5"));
                space.put("als-iterations", List.of("10", "15"));
                space.put("strength", List.of("linear", "binary"));
            }
            case ITEM_KNN -> {
                space.put("knn-shrink", List.of("0", "10", "50", "100"));
                space.put("neighbors", List.of("50", "100", "200"));
                space.put("strength", List.of("linear", "binary"));
            }
            case HYBRID -> {
                space.put("hybrid-weights", hybridWeightGrid());
                space.put("ease-lambda", List.of("50", "100", "200", "400"));
                space.put("strength", List.of("linear", "binary"));
            }
            case POPULARITY, CONTENT -> { }
        }
        return space;
    }

    private static List<String> hybridWeightGrid() {
        List<String> grid = new ArrayList<>();
        for (String als : List.of("0", "0.25", "0.5", "1")) {
            for (String knn : List.of("0", "0.25", "0.5")) {
                for (String content : List.of("0", "0.05", "0.1")) {
                    grid.add("ease=1,als=" + als + ",item-knn=" + knn + ",content=" + content);
                }
            }
        }
        return grid;
    }

    /**
     * The trials: first every key at the current defaults (an empty map), then distinct random combinations
     * of the space, seeded, until {@code max} or the space is exhausted.
     */
    static List<Map<String, String>> candidates(Map<String, List<String>> space, int max, long seed) {
        long size = 1;
        for (List<String> values : space.values()) {
            size = Math.min(Long.MAX_VALUE / 64, size * values.size());
        }
        Set<Map<String, String>> out = new LinkedHashSet<>();
        out.add(Map.of());
        Random random = new Random(seed);
        int attempts = 0;
        while (out.size() < Math.min(max, size + 1) && attempts++ < max * 100) {
            Map<String, String> c = new LinkedHashMap<>();
            space.forEach((key, values) -> c.put(key, values.get(random.nextInt(values.size()))));
            out.add(c);
        }
        return new ArrayList<>(out);
    }

    static String table(List<Trial> trials, Trial best) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-7s%12s%10s  %s", "trial", "ndcg@20", "seconds",
                "parameters (validation split; trial 1 = defaults)"));
        List<Trial> sorted = new ArrayList<>(trials);
        sorted.sort(Comparator.comparingDouble(Trial::score).reversed());
        for (Trial t : sorted) {
            sb.append('\n').append(String.format(Locale.ROOT, "%-7s%12.4f%10.1f  %s", t.number() + (t == best ? "*" : ""),
                    t.score(), t.seconds(), t.parameters().isEmpty() ? "(defaults)" : t.parameters()));
        }
        return sb.toString();
    }

    private static PrintStream nullStream() {
        return new PrintStream(java.io.OutputStream.nullOutputStream());
    }

    /** Deletes the scratch folder. */
    static final class OfflineEvaluationCleanup {
        static void delete(Path root) {
            try (var paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                System.err.println("tune: could not delete scratch folder " + root + ": " + e.getMessage());
            }
        }
    }
}
