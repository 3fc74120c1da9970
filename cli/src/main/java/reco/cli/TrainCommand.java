package reco.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import reco.model.feedback.FeedbackLog;
import reco.trainer.io.Dataset;
import reco.trainer.io.FeedbackLogReader;
import reco.trainer.io.DatasetLoader;
import reco.trainer.io.ReadReport;
import reco.trainer.pipeline.PhaseTimer;
import reco.trainer.pipeline.Trainer;
import reco.trainer.progress.ProgressReporter;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train",
        header = "Train models from interaction logs and item metadata into a new generation.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Read interactions (and optional item metadata and tags), train models and publish them",
                "as a new generation under --out: written to a temporary directory, checksummed, renamed into",
                "place, then CURRENT is switched atomically (a running server picks it up)."})
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Mixin
    TrainOptions training;

    @Mixin
    ContextOptions context;

    @Mixin
    TuningOptions tuning;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory (created if needed).")
    Path out;

    @Option(names = "--feedback", paramLabel = "DIR",
            description = {"Also train on the live feedback recorded in DIR (the --feedback DIR of `reco serve`): every "
                    + "event recorded until now. Servers then drop those events from their live store once they serve "
                    + "this generation. Events recorded without a weight count as positives (weight max(1, --min-weight))."})
    Path feedback;

    @Option(names = "--write-params", paramLabel = "FILE",
            description = "Write the parameters the run trained with (the tuning's choice and the values given) as a "
                    + "properties file for `--params FILE`, which reproduces this training without tuning.")
    Path writeParams;

    @Option(names = "--engine", defaultValue = "local", paramLabel = "ENGINE",
            description = "local (this JVM, default) or spark: run the training as an Apache Spark job (see --master); "
                    + "the generation is the same format and lands under --out, which may then also be an hdfs:// or s3a:// URI.")
    String engine;

    @Option(names = "--master", paramLabel = "URL",
            description = "With --engine spark: the Spark master, e.g. local[2], spark://host:7077, yarn. Without SPARK_HOME "
                    + "the job runs with the Spark libraries reco was built with.")
    String master;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Options only the Spark job knows (e.g. --partitions, --seed, --format parquet's --columns names): passed on to it. */
    @picocli.CommandLine.Unmatched
    java.util.List<String> sparkOnly = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (engine.equalsIgnoreCase("spark")) {
            return SparkJobLauncher.run(master, sparkArguments(spec.commandLine().getParseResult().originalArgs()), System.getenv());
        }
        if (!sparkOnly.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "unknown option(s) " + sparkOnly
                    + (engine.equalsIgnoreCase("local") ? " (options such as --partitions and --seed belong to --engine spark)" : ""));
        }
        if (!engine.equalsIgnoreCase("local")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--engine: '" + engine + "' is not local or spark");
        }
        if (master != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--master needs --engine spark");
        }
        PrintStream log = System.err;
        ProgressReporter progress = ProgressReporter.toStderr();
        var settings = training.toSettings();
        var given = training.givenValues();
        var tuneOptions = tuning.toOptions(settings.seed());
        var contextSettings = context.toSettings(); // validated before the (slow) read
        long start = System.nanoTime();
        FeedbackLog.Snapshot feedbackLog = feedback == null ? null
                : FeedbackLogReader.snapshot(feedback, System::currentTimeMillis);
        float unweighted = Float.isFinite(settings.minWeight()) ? Math.max(1f, settings.minWeight()) : 1f;
        Dataset dataset = DatasetLoader.load(data.toLoadRequest(), feedbackLog, unweighted, progress);
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        printReports(dataset, log);
        Trainer trainer = new Trainer(settings, contextSettings, progress, log);
        if (feedbackLog != null) {
            trainer.manifestParameter(FeedbackLog.CUTOFF_PARAMETER, feedbackLog.cutoffMillis());
        }
        if (tuneOptions != null) {
            trainer.withTuning(tuneOptions, given.keySet());
        }
        Trainer.Result result = trainer.train(dataset, out);
        if (writeParams != null) {
            Map<String, String> values = new LinkedHashMap<>();
            if (trainer.tuningReport() != null) {
                values.putAll(trainer.tuningReport().chosen());
            }
            values.putAll(given);
            ParamsFile.write(writeParams, values, List.of(tuneOptions == null ? "reco train: the parameters given"
                    : String.format(java.util.Locale.ROOT, "reco train: chosen by tuning on a validation split carved from "
                    + "the training data (ndcg@20 %.4f), plus the parameters given", trainer.tuningReport().bestNdcg20())));
            log.println("wrote " + writeParams);
        }
        PhaseTimer timings = result.timings();
        timings.record("read input", loadSeconds);
        timings.print(log);
        System.out.printf("published generation %s in %s (%,d users, %,d items, default model %s)%n",
                result.generationId(), result.generation().getParent().toAbsolutePath(), result.counts().users(),
                result.counts().items(), result.defaultModel());
        return ExitCodes.OK;
    }

    /** The train arguments for the Spark job: all but the subcommand name, --engine and --master. */
    static java.util.List<String> sparkArguments(java.util.List<String> original) {
        java.util.List<String> args = new java.util.ArrayList<>();
        boolean commandSeen = false;
        for (int a = 0; a < original.size(); a++) {
            String arg = original.get(a);
            if (!commandSeen && arg.equals("train")) {
                commandSeen = true;
                continue;
            }
            if (arg.equals("--engine") || arg.equals("--master")) {
                a++;
                continue;
            }
            if (arg.startsWith("--engine=") || arg.startsWith("--master=")) {
                continue;
            }
            args.add(arg);
        }
        return args;
    }

    static void printReports(Dataset dataset, PrintStream log) {
        for (ReadReport r : dataset.reports()) {
            log.println("read " + r.summary());
            for (String example : r.malformedExamples()) {
                log.println("  malformed: " + example);
            }
            if (r.malformed() > r.malformedExamples().size()) {
                log.println("  ... and " + (r.malformed() - r.malformedExamples().size()) + " more malformed rows");
            }
            for (String note : r.notes()) {
                log.println("  note: " + note);
            }
        }
    }
}
