package reco.cli;

import io.grpc.ChannelCredentials;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import reco.loadtest.CallKind;
import reco.loadtest.DurationText;
import reco.loadtest.IdPool;
import reco.loadtest.LoadGenerator;
import reco.loadtest.LoadSettings;
import reco.loadtest.Report;
import reco.loadtest.RequestFactory;
import reco.loadtest.RequestMix;
import reco.loadtest.RunResult;
import reco.loadtest.Target;
import reco.v1.Model;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code reco loadtest}: a ghz-like load generator for the reco.v1 API. Results go to stdout (and
 * {@code --json FILE}), progress and errors to stderr.
 */
@Command(name = "loadtest",
        header = "Drive load against a running server and report latency percentiles.", sortOptions = false,
        description = {
                "Drive load against a running reco server and report throughput, latency percentiles and status codes.",
                "Closed loop by default (--concurrency calls outstanding); --rate R makes it an open loop with latency "
                        + "measured from each call's scheduled time. Only loopback targets unless --allow-remote.",
                "Example: reco loadtest --model models/demo --call similar --compare-echo --duration 30s --json out.json"})
public final class LoadTestCommand implements Callable<Integer> {
    static final Duration DEFAULT_DURATION = Duration.ofSeconds(30);
    /** The time bound of a --requests run without --duration: a load test always ends by itself. */
    static final Duration MAX_DURATION_FOR_REQUEST_COUNT = Duration.ofMinutes(10);
    static final int MAX_CONNECTIONS = 64;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--target", defaultValue = Target.DEFAULT, description = "Server host:port (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--allow-remote", description = "Allow a target that is not a loopback address.")
    boolean allowRemote;

    @Option(names = "--tls", description = "Use TLS (server certificate checked against --ca, else the system trust store).")
    boolean tls;

    @Option(names = "--ca", paramLabel = "FILE", description = "PEM CA certificate(s) to trust for --tls.")
    Path caFile;

    @Option(names = "--call", defaultValue = "echo",
            description = "RPC to drive: echo, similar, user, items, info (GetModelInfo) or mix (default: ${DEFAULT-VALUE}).")
    String call;

    @Option(names = "--mix", paramLabel = "CALL=WEIGHT,...",
            description = "Request mix for --call mix (default: " + RequestMix.DEFAULT_MIX + ").")
    String mix;

    @Option(names = "--k", defaultValue = "10", description = "Items wanted per request, 1..1000 (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--request-model", paramLabel = "MODEL",
            description = "Model field of the requests: popularity, content, item_knn, als, ease, hybrid (default: the generation's default).")
    String requestModel;

    @Option(names = "--omit-metadata", description = "Ask for responses without titles and categories.")
    boolean omitMetadata;

    @Option(names = "--items-per-request", defaultValue = "3",
            description = "item_ids per RecommendForItems request, 1..1000 (default: ${DEFAULT-VALUE}).")
    int itemsPerRequest;

    @Option(names = "--payload-bytes", defaultValue = "0", description = "Echo payload size in bytes (default: ${DEFAULT-VALUE}).")
    int payloadBytes;

    @Option(names = "--model", paramLabel = "DIR",
            description = "Model root (or generation directory) whose item and user ids the requests use.")
    Path modelDir;

    @Option(names = "--items-from", paramLabel = "FILE", description = "Item ids, one per line (instead of --model's).")
    Path itemsFile;

    @Option(names = "--users-from", paramLabel = "FILE", description = "User ids, one per line (instead of --model's).")
    Path usersFile;

    @Option(names = "--unknown-share", defaultValue = "0.05",
            description = "Share of requests with ids no generation knows, 0..1: NOT_FOUND for item calls, "
                    + "the unknown-user fallback for user calls (default: ${DEFAULT-VALUE}).")
    double unknownShare;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the id and mix draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--connections", defaultValue = "1",
            description = "Channels (HTTP/2 connections) calls are spread over, round robin (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-c", "--concurrency"},
            description = "Closed loop: calls kept outstanding (default: " + 16 + "). Not with --rate.")
    Integer concurrency;

    @Option(names = "--rate", paramLabel = "PER_SECOND",
            description = "Open loop: calls started per second on a fixed schedule; latency counts from the scheduled time.")
    Double rate;

    @Option(names = "--max-outstanding", defaultValue = "1000",
            description = "Open loop: cap on outstanding calls; beyond it sends wait (and their latency grows) (default: ${DEFAULT-VALUE}).")
    int maxOutstanding;

    @Option(names = "--warmup", defaultValue = "5s", converter = Durations.Converter.class,
            description = "Load before measuring, not recorded (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = {"-z", "--duration"}, converter = Durations.Converter.class,
            description = "Measured phase (default: 30s; with --requests: until the count, at most 10m).")
    Duration duration;

    @Option(names = {"-n", "--requests"}, description = "Stop after this many measured calls (or at --duration, whichever is first).")
    Long requests;

    @Option(names = "--timeout", defaultValue = "1s", converter = Durations.Converter.class,
            description = "Deadline of each call (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--connect-timeout", defaultValue = "10s", converter = Durations.Converter.class,
            description = "How long to wait for the connections before giving up (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = {"--compare-echo", "--baseline"},
            description = "Run the same load with Echo first, then the selected call, and print their throughput ratio.")
    boolean compareEcho;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path jsonFile;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out, err);
        } catch (IllegalArgumentException e) {
            err.println("reco loadtest: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        } catch (IOException | IllegalStateException e) {
            err.println("reco loadtest: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            err.flush();
            return ExitCodes.FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("reco loadtest: interrupted");
            err.flush();
            return ExitCodes.FAILURE;
        }
    }

    private int run(PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        Target address = Target.parse(target);
        if (!allowRemote) {
            address.requireLoopback();
        }
        if (caFile != null && !tls) {
            throw new IllegalArgumentException("--ca is given without --tls");
        }
        RequestMix requestMix = requestMix();
        LoadSettings settings = settings();
        if (connections < 1 || connections > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("--connections is " + connections + ", allowed 1.." + MAX_CONNECTIONS);
        }
        Model model = RequestFactory.parseModel(requestModel);

        IdPool.GenerationIds generation = null;
        List<ManagedChannel> channels = new ArrayList<>();
        try {
            IdPool items = itemsFile != null ? IdPool.readTextFile(itemsFile) : null;
            IdPool users = usersFile != null ? IdPool.readTextFile(usersFile) : null;
            if (modelDir != null && (items == null || users == null)) {
                generation = IdPool.GenerationIds.open(modelDir);
                items = items != null ? items : generation.items();
                users = users != null ? users : generation.users();
            }
            RequestFactory factory = new RequestFactory(items, users, k, unknownShare, model, omitMetadata, itemsPerRequest, payloadBytes);
            factory.checkCanBuild(requestMix);

            ChannelCredentials credentials = credentials();
            for (int i = 0; i < connections; i++) {
                channels.add(Grpc.newChannelBuilderForAddress(address.host(), address.port(), credentials)
                        // completions only record and free a slot: no need for a thread hop
                        .directExecutor()
                        .userAgent("reco-loadtest")
                        .build());
            }
            awaitReady(channels, address, connectTimeout);

            Report report = new Report(address.toString(), tls);
            LoadGenerator generator = new LoadGenerator(channels, factory);
            Report.Comparison comparison = null;
            RunResult baseline = null;
            boolean wantBaseline = compareEcho && !(requestMix.isSingle() && requestMix.kinds().getFirst() == CallKind.ECHO);
            if (compareEcho && !wantBaseline) {
                err.println("reco loadtest: --compare-echo with --call echo: nothing to compare, running Echo once");
            }
            if (wantBaseline) {
                baseline = generator.run("echo", RequestMix.single(CallKind.ECHO), settings, err);
                report.printText(out, baseline);
            }
            RunResult result = generator.run(label(requestMix), requestMix, settings, err);
            report.printText(out, result);
            if (baseline != null) {
                comparison = new Report.Comparison(baseline, result);
                report.printComparison(out, comparison);
            }
            if (jsonFile != null) {
                report.writeJson(jsonFile, result, comparison);
                err.println("reco loadtest: wrote " + jsonFile);
            }
            out.flush();
            err.flush();
            return ExitCodes.OK;
        } finally {
            for (ManagedChannel channel : channels) {
                channel.shutdownNow();
            }
            for (ManagedChannel channel : channels) {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            }
            if (generation != null) {
                generation.close();
            }
        }
    }

    private RequestMix requestMix() {
        CallKind single;
        if (call.trim().equalsIgnoreCase("mix")) {
            return RequestMix.parse(mix != null ? mix : RequestMix.DEFAULT_MIX);
        }
        try {
            single = CallKind.parse(call);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--call: unknown call '" + call + "', expected one of " + CallKind.names() + ", mix");
        }
        if (mix != null) {
            throw new IllegalArgumentException("--mix needs --call mix (got --call " + call + ")");
        }
        return RequestMix.single(single);
    }

    private LoadSettings settings() {
        boolean openLoop = rate != null;
        if (openLoop && concurrency != null) {
            throw new IllegalArgumentException("--concurrency sets a closed loop; with --rate, cap outstanding calls with --max-outstanding");
        }
        if (openLoop && !(rate > 0)) {
            throw new IllegalArgumentException("--rate is " + rate + ", allowed > 0 and <= " + (long) LoadSettings.MAX_RATE);
        }
        if (requests != null && requests < 1) {
            throw new IllegalArgumentException("--requests is " + requests + ", allowed >= 1");
        }
        Duration measured = duration != null ? duration
                : requests != null ? MAX_DURATION_FOR_REQUEST_COUNT : DEFAULT_DURATION;
        int outstanding = openLoop ? maxOutstanding : concurrency != null ? concurrency : 16;
        return new LoadSettings(outstanding, openLoop ? rate : 0, warmup, measured, requests == null ? 0 : requests, timeout, seed);
    }

    private ChannelCredentials credentials() throws IOException {
        if (!tls) {
            return InsecureChannelCredentials.create();
        }
        if (caFile == null) {
            return TlsChannelCredentials.create();
        }
        return TlsChannelCredentials.newBuilder().trustManager(caFile.toFile()).build();
    }

    private static String label(RequestMix mix) {
        return mix.isSingle() ? mix.kinds().getFirst().cliName() : "mix";
    }

    /** Connects every channel before the clock starts, so connection set-up is not measured. */
    static void awaitReady(List<ManagedChannel> channels, Target target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ManagedChannel channel : channels) {
            ConnectivityState state = channel.getState(true);
            while (state != ConnectivityState.READY) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || state == ConnectivityState.SHUTDOWN) {
                    throw new IllegalStateException("cannot connect to " + target + " within " + DurationText.format(timeout)
                            + " (last state " + state + "); is the server running (bin/reco serve)?");
                }
                CountDownLatch changed = new CountDownLatch(1);
                channel.notifyWhenStateChanged(state, changed::countDown);
                changed.await(remaining, TimeUnit.NANOSECONDS);
                state = channel.getState(true);
            }
        }
    }
}
