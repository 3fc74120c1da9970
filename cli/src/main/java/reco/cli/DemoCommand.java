package reco.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import reco.trainer.io.Dataset;
import reco.trainer.io.DatasetLoader;
import reco.trainer.io.LoadRequest;
import reco.trainer.pipeline.TrainSettings;
import reco.trainer.pipeline.Trainer;
import reco.trainer.progress.ProgressReporter;
import reco.server.http.HttpSettings;
import reco.synth.DemoCatalog;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code reco demo}: an embedded synthetic catalogue (or a MovieLens folder) is written and read back
 * through the normal readers, trained with the default settings and published; then {@code reco serve}
 * serves it until Ctrl-C.
 */
@Command(name = "demo",
        header = "Train on an embedded synthetic catalogue (or a MovieLens folder) and serve it.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a demo generation, print how to call it, and serve it on localhost until Ctrl-C.",
                "Without --dataset, a synthetic movie catalogue (fixed seed, offline) is generated."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--dataset", paramLabel = "DIR",
            description = "A MovieLens folder (ratings.csv + movies.csv [+ tags.csv], or u.data + u.item) instead of the synthetic catalogue.")
    Path dataset;

    @Option(names = {"--model-dir", "--out"}, defaultValue = "${env:RECO_DEMO_DIR:-models/demo}", paramLabel = "DIR",
            description = "Model directory to publish into and serve from (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--port", defaultValue = "" + ServeCommand.DEFAULT_PORT,
            description = "Port to serve on; 0 picks a free one, printed in the listening line (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--no-serve", description = "Only train and publish the demo generation; do not start the server.")
    boolean noServe;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the synthetic catalogue (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--items", defaultValue = "3000", description = "Synthetic catalogue size (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--users", defaultValue = "1000", description = "Synthetic users (default: ${DEFAULT-VALUE}).")
    int users;

    @Mixin
    TrainOptions training;

    @Override
    public Integer call() throws Exception {
        PrintStream log = System.err;
        ProgressReporter progress = ProgressReporter.toStderr();
        Path dataDir;
        if (dataset == null) {
            dataDir = out.resolve("demo-data");
            Files.createDirectories(dataDir);
            DemoCatalog.Params params = DemoCatalog.Params.builder().seed(seed).items(items).users(users)
                    .ratings(Math.max(users * DemoCatalog.MIN_RATINGS_PER_USER, users * 100)).build();
            DemoCatalog catalog = DemoCatalog.generate(params);
            catalog.writeCsv(dataDir);
            log.printf("demo: synthetic catalogue (%,d items, %,d users, %,d ratings, seed %d) written to %s%n",
                    catalog.itemCount(), catalog.userCount(), catalog.ratingCount(), seed, dataDir);
        } else {
            dataDir = dataset;
        }
        Dataset data = DatasetLoader.load(LoadRequest.of(dataDir), progress);
        TrainCommand.printReports(data, log);
        TrainSettings settings = training.toSettings();
        if (training.minWeight == null) {
            settings = settings.withMinWeight(4f); // both the demo catalogue and MovieLens rate on 0.5-5 stars
        }
        Trainer.Result result = new Trainer(settings, progress, log).train(data, out);
        result.timings().print(log);

        // A well-known item and a known user for the printed examples.
        String item = data.interactions().items.id(mostInteracted(data));
        String title = data.metadata().title(data.interactions().items.indexOf(item));
        String user = data.interactions().users.id(0);
        // --port 0: the server picks a free port and prints it in its listening line, after these lines
        String addr = port == 0 ? "localhost:PORT" : "localhost:" + port;
        DemoHints hints = new DemoHints(recoHome(), Path.of("").toAbsolutePath(), Path.of(System.getProperty("java.home")),
                out, addr, item, title, user);
        PrintStream o = System.out;
        o.println();
        o.printf("reco demo: generation %s (%,d items, %,d users, default model %s) published in %s%n",
                result.generationId(), result.counts().items(), result.counts().users(), result.defaultModel(),
                out.toAbsolutePath());
        if (noServe) {
            o.printf("Serve it with:%n  %s%nthen try, from another terminal:%n", hints.serveCommand());
        } else {
            o.printf("Starting the server on %s. Try, from another terminal:%n",
                    port == 0 ? "a free port (PORT below: see the \"listening on\" line)" : addr);
        }
        hints.hints().forEach(hint -> o.println(hint.line()));
        o.println("The gRPC API, with grpcurl examples, is described in README.md (\"gRPC API\").");
        String http = port == 0 ? "localhost:HTTP_PORT (see the \"reco http listening on\" line)"
                : "localhost:" + HttpSettings.DEFAULT_PORT;
        o.printf("The web console is at http://%s/console/; calling it with curl is in README.md (\"HTTP/JSON and the web console\").%n", http);
        if (!noServe) {
            o.println("Stop the server with Ctrl-C.");
        }
        o.flush();
        if (noServe) {
            return ExitCodes.OK;
        }
        return Reco.commandLine().execute("serve", "--model", out.toString(), "--port", Integer.toString(port));
    }

    /** Where bin/reco lives: the launcher says so in RECO_HOME; without it (a bare java -jar), the working directory. */
    private static Path recoHome() {
        String home = System.getenv("RECO_HOME");
        return home == null || home.isBlank() ? Path.of("").toAbsolutePath() : Path.of(home);
    }

    private static int mostInteracted(Dataset data) {
        int[] counts = new int[data.interactions().itemCount()];
        for (int r = 0; r < data.interactions().size(); r++) {
            counts[data.interactions().item(r)]++;
        }
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return best;
    }
}
