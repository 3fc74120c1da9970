package reco.cli;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import reco.model.feedback.FeedbackStore;
import reco.server.ModelHolder;
import reco.server.RecoServer;
import reco.server.admin.AdminAuthorization;
import reco.server.feedback.LiveFeedback;
import reco.trainer.eval.HoldoutDataset;
import reco.trainer.eval.HoldoutSplit;
import reco.trainer.eval.RawRow;
import reco.trainer.eval.SplitResult;
import reco.trainer.io.Dataset;
import reco.trainer.io.DatasetLoader;
import reco.trainer.io.DelimitedOptions;
import reco.trainer.io.InputFormat;
import reco.trainer.io.LoadRequest;
import reco.trainer.pipeline.Trainer;
import reco.trainer.progress.ProgressReporter;
import reco.v1.GetModelInfoRequest;
import reco.v1.Interaction;
import reco.v1.Model;
import reco.v1.ModelInfo;
import reco.v1.ModelSummary;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommendResponse;
import reco.v1.RecommenderGrpc;
import reco.v1.RecordInteractionsRequest;
import reco.v1.ScoredItem;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code reco eval-feedback}: what live feedback is worth, measured by replay on a holdout-v1 split. The
 * generation is trained on train.tsv and served by a real gRPC server on loopback with live feedback on;
 * for every test user with at least two held-out items, the first half of those items (in time order) is
 * recorded through RecordInteractions, and the second half is the target of recall@K for the user's
 * RecommendForUser list before recording (the generation alone) and after (with live feedback).
 */
@Command(name = "eval-feedback",
        header = "Replay evaluation of live feedback: recall with and without recorded events (holdout-v1).",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Split the data with holdout-v1, train on train.tsv as `reco train` does and serve the",
                "generation over gRPC on loopback with live feedback on. For each test user with two or more held-out",
                "items, record the first half of them in time order through RecordInteractions, and score the second",
                "half: recall@K of RecommendForUser before recording (the generation alone) and after, per model."})
public final class EvalFeedbackCommand implements Callable<Integer> {
    @Option(names = "--dataset", required = true, paramLabel = "PATH",
            description = "MovieLens ratings.csv or u.data, or a folder holding one (timestamps give the time order).")
    Path dataset;

    @Option(names = "--items", paramLabel = "PATH",
            description = "Item metadata for the content model (default: movies.csv or u.item beside a MovieLens dataset).")
    Path items;

    @Option(names = "--tags", paramLabel = "PATH", description = "Item tags (default: tags.csv beside a MovieLens dataset).")
    Path tags;

    @Option(names = "--k", defaultValue = "20", paramLabel = "K", description = "Cut-off of recall (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Scratch folder for the split, the generation and the feedback store (default: a temporary "
                    + "folder, deleted after).")
    Path workDir;

    @Mixin
    TrainOptions training;

    @Override
    public Integer call() throws Exception {
        PrintStream log = System.err;
        if (k < 1 || k > 1000) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--k must be 1..1000, got " + k);
        }
        var settings = training.toSettings();
        Path scratch = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("reco-eval-feedback-");
        try {
            SplitResult split = HoldoutSplit.split(dataset, Optional.empty());
            if (!split.hasTimestamps()) {
                throw new Reco.CliException(dataset + " has no timestamps: a replay needs the order of events");
            }
            log.println(split.summary());
            Path splitDir = scratch.resolve("split");
            split.write(splitDir);
            Path itemsFile = items != null ? items : EvalCommand.beside(dataset, "movies.csv", "u.item");
            Path tagsFile = tags != null ? tags : EvalCommand.beside(dataset, "tags.csv");
            LoadRequest load = new LoadRequest(splitDir.resolve(HoldoutDataset.TRAIN_FILE), itemsFile, tagsFile,
                    InputFormat.AUTO, DelimitedOptions.DEFAULT, false);
            ProgressReporter progress = ProgressReporter.toStderr();
            Dataset data = DatasetLoader.load(load, progress);
            Path modelRoot = scratch.resolve("model");
            new Trainer(settings, progress, log).train(data, modelRoot);
            Map<String, RawRow> rows = new HashMap<>();
            for (RawRow r : split.dataset().rows()) {
                rows.put(r.user() + "\t" + r.item(), r);
            }
            replay(modelRoot, scratch.resolve("feedback"), split.testByUser(), rows, log);
            return ExitCodes.OK;
        } finally {
            if (workDir == null) {
                deleteTree(scratch);
            }
        }
    }

    private void replay(Path modelRoot, Path feedbackDir, Map<String, List<String>> test, Map<String, RawRow> rows,
                        PrintStream log) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ModelHolder models = new ModelHolder(modelRoot, registry);
        models.loadCurrent();
        // room for every replayed event: the store's bounds are not what is measured here
        LiveFeedback feedback = LiveFeedback.open(feedbackDir,
                new FeedbackStore.Settings(1000, Duration.ofDays(3650), Math.max(1, test.size())), registry);
        RecoServer server = new RecoServer(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)),
                models, registry, reco.server.CallLimits.defaults(), AdminAuthorization.loopbackOnly(), null, feedback).start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(channel);
            ModelInfo info = stub.getModelInfo(GetModelInfoRequest.getDefaultInstance());
            List<Model> scored = new ArrayList<>();
            for (ModelSummary m : info.getModelsList()) {
                if (m.getRecommendsForUsers()) {
                    scored.add(m.getModel());
                }
            }
            Map<Model, double[]> sums = new LinkedHashMap<>(); // recall without, recall with
            for (Model m : scored) {
                sums.put(m, new double[2]);
            }
            int users = 0;
            int skipped = 0;
            long recorded = 0;
            for (Map.Entry<String, List<String>> e : test.entrySet()) {
                String user = e.getKey();
                List<String> heldOut = e.getValue(); // hold-out order: chronological
                if (heldOut.size() < 2) {
                    skipped++;
                    continue;
                }
                users++;
                int half = heldOut.size() / 2;
                Set<String> target = new HashSet<>(heldOut.subList(half, heldOut.size()));
                for (Model m : scored) {
                    sums.get(m)[0] += recall(stub, user, m, target);
                }
                for (String item : heldOut.subList(0, half)) {
                    RawRow row = rows.get(user + "\t" + item);
                    Interaction.Builder event = Interaction.newBuilder().setUserId(user).setItemId(item)
                            .setWeight(Float.parseFloat(row.weight()))
                            .setEventTime(Timestamp.newBuilder().setSeconds(Long.parseLong(row.timestamp())));
                    recorded += stub.recordInteractions(RecordInteractionsRequest.newBuilder().addInteractions(event).build())
                            .getRecorded();
                }
                for (Model m : scored) {
                    sums.get(m)[1] += recall(stub, user, m, target);
                }
            }
            if (users == 0) {
                throw new Reco.CliException("no test user has two or more held-out items: nothing to replay");
            }
            log.printf(Locale.ROOT, "replayed %,d events of %,d users (%,d test users with one held-out item left out)%n",
                    recorded, users, skipped);
            System.out.printf(Locale.ROOT, "%-12s %8s %18s %18s %8s%n", "model", "users", "recall@" + k + " without",
                    "recall@" + k + " with", "change");
            for (Map.Entry<Model, double[]> s : sums.entrySet()) {
                double without = s.getValue()[0] / users;
                double with = s.getValue()[1] / users;
                System.out.printf(Locale.ROOT, "%-12s %8d %18.4f %18.4f %+7.1f%%%n", modelName(s.getKey()), users, without,
                        with, without > 0 ? 100 * (with - without) / without : Double.NaN);
            }
        } finally {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
            server.shutdown(Duration.ofSeconds(5));
        }
    }

    /** holdout-v1's recall: hits in the top k over min(k, |target|). */
    private double recall(RecommenderGrpc.RecommenderBlockingStub stub, String user, Model model, Set<String> target) {
        RecommendResponse r = stub.recommendForUser(RecommendForUserRequest.newBuilder().setUserId(user).setK(k)
                .setModel(model).setOmitMetadata(true).build());
        int hits = 0;
        for (ScoredItem item : r.getItemsList()) {
            if (target.contains(item.getItemId())) {
                hits++;
            }
        }
        return (double) hits / Math.min(k, target.size());
    }

    private static String modelName(Model m) {
        return m.name().substring("MODEL_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
