package reco.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import reco.trainer.io.Dataset;
import reco.trainer.io.DatasetLoader;
import reco.trainer.io.ReadReport;
import reco.trainer.pipeline.PhaseTimer;
import reco.trainer.pipeline.Trainer;
import reco.trainer.progress.ProgressReporter;

import java.io.PrintStream;
import java.nio.file.Path;
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

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory (created if needed).")
    Path out;

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
        var contextSettings = context.toSettings(); // validated before the (slow) read
        long start = System.nanoTime();
        Dataset dataset = DatasetLoader.load(data.toLoadRequest(), progress);
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        printReports(dataset, log);
        Trainer.Result result = new Trainer(settings, contextSettings, progress, log).train(dataset, out);
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
