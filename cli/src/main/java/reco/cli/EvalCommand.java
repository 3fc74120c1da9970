package reco.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import reco.model.ModelKind;
import reco.trainer.eval.EaseDenseComparison;
import reco.trainer.eval.HoldoutDataset;
import reco.trainer.eval.HoldoutSplit;
import reco.trainer.eval.OfflineEvaluation;
import reco.trainer.eval.OfflineEvaluation.ModelResult;
import reco.trainer.eval.RecommendationsFile;
import reco.trainer.eval.SplitResult;
import reco.trainer.eval.TopKMetrics;
import reco.trainer.io.Dataset;
import reco.trainer.io.DatasetLoader;
import reco.trainer.io.DelimitedOptions;
import reco.trainer.io.InputFormat;
import reco.trainer.io.LoadRequest;
import reco.trainer.pipeline.TrainSettings;
import reco.trainer.progress.ProgressReporter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "eval",
        header = "Offline evaluation (holdout-v1): one table comparing models on a split of your data.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Offline evaluation with the holdout-v1 protocol (shared/eval/PROTOCOL.md): split the data (or read",
                "an existing split), train on train.tsv exactly as `reco train` does, recommend for every test user",
                "through the serving code, and score the lists with the protocol's metrics.",
                "Several models can be compared in one run (--models); results: a table on stdout, JSON with --json,",
                "the recommendation files with --out."})
public final class EvalCommand implements Callable<Integer> {
    /** Where the train/test pairs come from. */
    static final class Source {
        @Option(names = "--dataset", paramLabel = "PATH",
                description = "Dataset to split: MovieLens ratings.csv or u.data, a folder holding one, or a train.tsv "
                        + "(user, item, weight, timestamp; kind from meta.json beside it or --kind).")
        Path dataset;

        @Option(names = "--split", paramLabel = "DIR", description = "An existing split: DIR/train.tsv and DIR/test.tsv.")
        Path split;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--kind", paramLabel = "KIND",
            description = "explicit or implicit, for a train.tsv given to --dataset (wins over its meta.json).")
    String kind;

    @Option(names = "--items", paramLabel = "PATH",
            description = "Item metadata for the content model (default: movies.csv or u.item beside a MovieLens dataset).")
    Path items;

    @Option(names = "--tags", paramLabel = "PATH", description = "Item tags (default: tags.csv beside a MovieLens dataset).")
    Path tags;

    @Option(names = "--write-split", paramLabel = "DIR", description = "Write train.tsv, test.tsv and meta.json here.")
    Path writeSplit;

    @Option(names = "--k", defaultValue = "10,20", paramLabel = "K,...", description = "Cut-offs (default ${DEFAULT-VALUE}).")
    String ks;

    @Option(names = "--recs-k", defaultValue = "50", paramLabel = "N",
            description = "Length of each recommendation list (PROTOCOL: at least 50; default ${DEFAULT-VALUE}).")
    int recsK;

    @Option(names = "--out", paramLabel = "DIR", description = "Write one RECS file per model: DIR/recs-MODEL.tsv.")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON: one object per model.")
    Path json;

    @Option(names = "--ease-dense-limit", defaultValue = "12000", paramLabel = "N",
            description = "When ease is evaluated and it models at most N items, also score the dense (unpruned) EASE "
                    + "to report what pruning costs; 0 disables (default ${DEFAULT-VALUE}).")
    int easeDenseLimit;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Scratch folder for the split and the generation (default: a temporary folder, deleted after).")
    Path workDir;

    @Mixin
    TrainOptions training;

    @Mixin
    TuningOptions tuning;

    @Override
    public Integer call() throws Exception {
        PrintStream log = System.err;
        ProgressReporter progress = ProgressReporter.toStderr();
        List<Integer> cutoffs = TopKMetrics.parseKs(ks);
        // --models names the models to compare here, not a training set: the run trains what they need.
        String evaluated = training.models;
        training.models = null;
        TrainSettings settings = training.toSettings();
        List<ModelKind> models = modelsToEvaluate(evaluated, settings);
        OfflineEvaluation.Request request = new OfflineEvaluation.Request(settings, models, recsK, cutoffs,
                tuning.toOptions(settings.seed()), training.givenValues().keySet());

        Path scratch = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("reco-eval-");
        try {
            Path splitDir = resolveSplit(scratch, log);
            Path trainFile = splitDir.resolve(HoldoutDataset.TRAIN_FILE);
            Map<String, List<String>> trainRows = TopKMetrics.readPairs(trainFile);
            Map<String, List<String>> test = TopKMetrics.readPairs(splitDir.resolve("test.tsv"));
            if (test.isEmpty()) {
                throw new Reco.CliException("no test users in " + splitDir.resolve("test.tsv"));
            }
            LoadRequest load = new LoadRequest(trainFile, items, tags, InputFormat.AUTO, DelimitedOptions.DEFAULT, false);
            Dataset dataset = DatasetLoader.load(load, progress);
            TrainCommand.printReports(dataset, log);

            List<ModelResult> results = OfflineEvaluation.run(request, dataset, trainRows, test, scratch, progress, log);
            EaseDenseComparison.Report easeReport = null;
            if (models.contains(ModelKind.EASE) && easeDenseLimit > 0) {
                easeReport = EaseDenseComparison.run(settings, dataset, trainRows, test, recsK, cutoffs, easeDenseLimit, progress, log);
            }
            if (out != null) {
                Files.createDirectories(out);
                for (ModelResult r : results) {
                    RecommendationsFile.write(out.resolve("recs-" + r.model().id + ".tsv"), r.recommendations());
                }
            }
            System.out.println(table(results, cutoffs));
            System.out.println();
            System.out.println(coldTable(results, cutoffs));
            if (easeReport != null) {
                System.out.println();
                System.out.println(easeReport.describe());
            }
            for (ModelResult r : results) {
                r.metrics().trainItemsWarning().ifPresent(w -> log.println(r.model() + ": " + w));
            }
            if (json != null) {
                Files.writeString(json, OfflineEvaluation.toJson(results, easeReport), StandardCharsets.UTF_8);
            }
            return ExitCodes.OK;
        } finally {
            if (workDir == null) {
                deleteQuietly(scratch);
            }
        }
    }

    /** train.tsv/test.tsv: from --split, or split --dataset into --write-split (or the scratch folder). */
    private Path resolveSplit(Path scratch, PrintStream log) throws IOException {
        if (source.split != null) {
            for (String f : List.of(HoldoutDataset.TRAIN_FILE, "test.tsv")) {
                if (!Files.isRegularFile(source.split.resolve(f))) {
                    throw new Reco.CliException("--split " + source.split + ": no " + f + " there");
                }
            }
            return source.split;
        }
        SplitResult split = HoldoutSplit.split(source.dataset, Optional.ofNullable(kind));
        log.print(split.summary());
        Path dir = writeSplit != null ? writeSplit : scratch.resolve("split");
        split.write(dir);
        if (items == null) {
            items = beside(source.dataset, "movies.csv", "u.item");
        }
        if (tags == null) {
            tags = beside(source.dataset, "tags.csv");
        }
        return dir;
    }

    /** The first of {@code names} in the dataset's folder (or the folder of the dataset file), or null. */
    static Path beside(Path dataset, String... names) {
        Path folder = Files.isDirectory(dataset) ? dataset : dataset.toAbsolutePath().getParent();
        if (folder == null) {
            return null;
        }
        for (String name : names) {
            if (Files.isRegularFile(folder.resolve(name))) {
                return folder.resolve(name);
            }
        }
        return null;
    }

    /** --models: a list, or "all"; absent = the models `reco train` would fit with these settings. */
    static List<ModelKind> modelsToEvaluate(String list, TrainSettings settings) {
        if (list == null) {
            return new ArrayList<>(settings.models());
        }
        if (list.trim().equalsIgnoreCase("all")) {
            return List.of(ModelKind.values());
        }
        List<ModelKind> out = new ArrayList<>();
        for (String m : list.split(",")) {
            if (!m.isBlank() && !out.contains(ModelKind.fromId(m))) {
                out.add(ModelKind.fromId(m));
            }
        }
        return out;
    }

    static String table(List<ModelResult> results, List<Integer> ks) {
        int lo = ks.getFirst();
        int hi = ks.getLast();
        List<String> columns = new ArrayList<>();
        for (String metric : List.of("ndcg", "recall")) {
            for (int k : ks) {
                columns.add(metric + "@" + k);
            }
        }
        columns.addAll(List.of("precision@" + lo, "hitrate@" + hi, "map@" + hi, "coverage@" + hi));
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-11s", "model"));
        for (String c : columns) {
            sb.append(String.format(Locale.ROOT, "%13s", c));
        }
        sb.append(String.format(Locale.ROOT, "%10s", "train s"));
        for (ModelResult r : results) {
            sb.append('\n').append(String.format(Locale.ROOT, "%-11s", r.model().id));
            for (String c : columns) {
                sb.append(String.format(Locale.ROOT, "%13.4f", r.metrics().values().get(c)));
            }
            sb.append(String.format(Locale.ROOT, "%10.2f", r.trainSeconds()));
        }
        if (!results.isEmpty()) {
            sb.append('\n').append("test users: ").append(results.getFirst().metrics().users())
                    .append("; train s = fit of the model and what it needs (data preparation, hybrid components), "
                            + "excluding file reading and writing");
        }
        return sb.toString();
    }

    static String coldTable(List<ModelResult> results, List<Integer> ks) {
        int hi = ks.getLast();
        StringBuilder sb = new StringBuilder();
        sb.append("cold subsets (fewer than ").append(OfflineEvaluation.COLD_THRESHOLD).append(" train rows of any weight):\n");
        sb.append("  cold users: metrics over test users with few train rows; ")
                .append("cold items: test rows whose item has few train rows, recall = rows found in the user's top ")
                .append(hi).append(" / rows\n");
        sb.append(String.format(Locale.ROOT, "%-11s%12s%14s%14s%12s%16s", "model", "cold users",
                "ndcg@" + hi, "recall@" + hi, "cold rows", "recall@" + hi));
        for (ModelResult r : results) {
            String ndcg = r.coldUsers() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.coldUsers().value("ndcg", hi));
            String recall = r.coldUsers() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.coldUsers().value("recall", hi));
            sb.append('\n').append(String.format(Locale.ROOT, "%-11s%12d%14s%14s%12d%16.4f", r.model().id,
                    r.coldUserCount(), ndcg, recall, r.coldItems().rows(), r.coldItems().recall()));
        }
        return sb.toString();
    }

    private static void deleteQuietly(Path root) {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            System.err.println("eval: could not delete scratch folder " + root + ": " + e.getMessage());
        }
    }
}
