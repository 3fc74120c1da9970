package reco.cli;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reco.model.feedback.FeedbackStore;
import reco.model.vector.VectorUtil;
import reco.server.BearerToken;
import reco.server.CallLimits;
import reco.server.ModelHolder;
import reco.server.RecoServer;
import reco.server.ServedGeneration;
import reco.server.TransportSettings;
import reco.server.admin.AdminAuthorization;
import reco.server.console.ConsoleRoutes;
import reco.server.gateway.JsonGateway;
import reco.server.feedback.LiveFeedback;
import reco.server.http.HttpEndpoint;
import reco.server.http.HttpRoutes;
import reco.server.http.HttpSettings;
import reco.server.http.ProbeRoutes;
import reco.server.metrics.ServerMetrics;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * {@code reco serve}: maps the generation ROOT/CURRENT names and answers reco.v1 over gRPC.
 *
 * <p>Start-up overlaps the slow part (the first Chronicle Map open in a JVM costs seconds) with
 * binding the server: the generation loads on its own thread while Netty starts; until it is loaded
 * health says NOT_SERVING and calls get UNAVAILABLE. When it is serving, one line goes to stdout
 * ({@code reco server listening on HOST:PORT, serving generation ID (N items)}) for scripts to wait
 * for; logs go to stderr. The HTTP listener (probes, metrics) binds before the model loads and says so
 * first ({@code reco http listening on HOST:PORT}), so that {@code /readyz} can be watched turning 200.
 *
 * <p>Exit codes: 0 after a normal shutdown (SIGTERM/SIGINT: NOT_SERVING, running calls get the grace
 * period, then the model is unmapped), 2 for a usage error, 1 when start-up
 * fails: no model directory, no CURRENT, or the generation CURRENT names cannot be served. A server
 * never starts without a model (a supervisor restarts it; it does not sit NOT_SERVING forever); once
 * serving, a bad new generation is refused and the old one keeps serving.
 */
@Command(name = "serve",
        header = "Serve the generation a model directory's CURRENT names, over gRPC.", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        defaultValueProvider = ConfigDefaults.class,
        description = "Serve the model generation ROOT/CURRENT names over gRPC (reco.v1.Recommender, "
                + "grpc.health.v1, server reflection) and swap in new generations as they are published.",
        footer = {"",
                "Every option can also come from the environment or a config file. Precedence: the command line, then "
                        + "RECO_* environment variables (RECO_HTTP_PORT for --http-port, RECO_MODEL for --model, "
                        + "RECO_CONFIG for --config), then the --config file, then the defaults above."})
public final class ServeCommand implements Callable<Integer> {
    public static final int DEFAULT_PORT = 50051;

    private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

    @Option(names = "--config", paramLabel = "FILE",
            description = "Read option values from this file (Java properties): one 'name = value' per line, names as the "
                    + "long options without '--' (e.g. 'model = /var/lib/reco/models', 'http-port = 8081'); '#' starts a "
                    + "comment; relative paths are relative to the file's directory. Default: none.")
    Path config;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Model root: the directory holding CURRENT and the generation directories.")
    Path modelRoot;

    @Option(names = "--port", defaultValue = "" + DEFAULT_PORT, paramLabel = "N",
            description = "TCP port; 0 picks a free one (printed when serving). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = TransportSettings.DEFAULT_HOST, paramLabel = "HOST",
            description = "Address the gRPC port binds. Default: ${DEFAULT-VALUE} (local only); "
                    + "e.g. 0.0.0.0 to accept remote clients.")
    String host;

    @Option(names = "--max-inbound-message-size", defaultValue = "" + TransportSettings.DEFAULT_MAX_INBOUND_MESSAGE_BYTES,
            paramLabel = "BYTES", description = "Largest request accepted; bigger ones fail with RESOURCE_EXHAUSTED. "
                    + "Default: ${DEFAULT-VALUE} (4 MiB).")
    int maxInboundMessageSize;

    @Option(names = "--keepalive-time", defaultValue = "1m", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Ping a client after this long without traffic, to detect dead connections. Default: ${DEFAULT-VALUE}.")
    Duration keepAliveTime;

    @Option(names = "--keepalive-timeout", defaultValue = "20s", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Close a connection whose ping is not answered within this time. Default: ${DEFAULT-VALUE}.")
    Duration keepAliveTimeout;

    @Option(names = "--permit-keepalive-time", defaultValue = "30s", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Shortest ping interval allowed to clients; clients pinging more often are disconnected "
                    + "(GOAWAY too_many_pings). Default: ${DEFAULT-VALUE}.")
    Duration permitKeepAliveTime;

    @Option(names = "--permit-keepalive-without-calls", defaultValue = "false", fallbackValue = "true", arity = "0..1",
            description = "Let clients ping while they have no call open. Default: ${DEFAULT-VALUE}.")
    boolean permitKeepAliveWithoutCalls;

    @Option(names = "--max-connection-idle", defaultValue = "0s", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Close connections idle (no call) for this long, gracefully; 0 = never. Default: ${DEFAULT-VALUE}.")
    Duration maxConnectionIdle;

    @Option(names = "--max-connection-age", defaultValue = "30m", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Close connections this old, gracefully (GOAWAY: clients reconnect, spreading over replicas); "
                    + "0 = never. Default: ${DEFAULT-VALUE}.")
    Duration maxConnectionAge;

    @Option(names = "--max-connection-age-grace", defaultValue = "1m", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Time calls still running on an aged connection get before it is closed. Default: ${DEFAULT-VALUE}.")
    Duration maxConnectionAgeGrace;

    @Option(names = "--max-concurrent-calls-per-connection", defaultValue = "" + TransportSettings.DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION,
            paramLabel = "N", description = "Calls (HTTP/2 streams) one connection may have open at once; clients queue "
                    + "beyond it. Default: ${DEFAULT-VALUE}.")
    int maxConcurrentCallsPerConnection;

    @Option(names = "--tls-cert", paramLabel = "PEM",
            description = "Serve TLS with this PEM certificate chain (needs --tls-key). Default: plaintext.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM",
            description = "The PEM private key (unencrypted PKCS#8, BEGIN PRIVATE KEY) of --tls-cert.")
    Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "PEM",
            description = "Mutual TLS: require client certificates signed by these PEM CA certificates (needs --tls-cert).")
    Path tlsClientCa;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "reco.v1.Admin (Reload, ListGenerations, Activate) only for callers sending this file's first line "
                    + "as 'authorization: Bearer TOKEN', from anywhere. Default: no token, Admin only from this machine "
                    + "(loopback peers). A client certificate alone never grants Admin.")
    Path adminTokenFile;

    @Option(names = "--explain-token-file", paramLabel = "FILE",
            description = "Explanations built from a user's history (Explain with user_id, explain=true in RecommendForUser) "
                    + "only for callers sending this file's first line as 'authorization: Bearer TOKEN'. Default: no token, "
                    + "such calls get PERMISSION_DENIED (explanations of items the caller sends are always allowed).")
    Path explainTokenFile;

    @Option(names = "--call-executor", defaultValue = "pool", paramLabel = "KIND",
            description = "Where calls run: pool (a thread per core; slow calls never stall the network threads) or "
                    + "direct (on the network threads: less hand-off per call). Default: ${DEFAULT-VALUE}.")
    String callExecutorKind;

    @Option(names = "--wait-for-model", defaultValue = "0s", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "When nothing is published under --model yet (no CURRENT), wait this long for a first "
                    + "generation, polling every --poll-interval, with /livez up and /readyz 503 meanwhile (e.g. a server "
                    + "deployed before its first training run); 0 = exit 1 at once. Default: ${DEFAULT-VALUE}.")
    Duration waitForModel;

    @Option(names = "--poll-interval", defaultValue = "1s", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "How often to look at ROOT/CURRENT for a new generation (e.g. 500ms, 1s, 2m). Default: ${DEFAULT-VALUE}.")
    Duration pollInterval;

    @Option(names = "--grace-period", defaultValue = "10s", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "On shutdown, how long running calls may take before they are cancelled. Default: ${DEFAULT-VALUE}.")
    Duration gracePeriod;

    @Option(names = "--max-concurrent-calls", defaultValue = "" + RecoServer.DEFAULT_MAX_CONCURRENT_CALLS, paramLabel = "N",
            description = "reco.v1 calls in progress beyond which new ones fail fast with RESOURCE_EXHAUSTED; 0 = no limit. "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxConcurrentCalls;

    @Option(names = "--max-call-duration", defaultValue = "30s", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Server-side deadline of every reco.v1 call (an earlier client deadline wins): calls whose request "
                    + "has not arrived by then are cancelled, running ones fail with DEADLINE_EXCEEDED; 0 = none. "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration maxCallDuration;

    @Option(names = "--max-items-per-call", defaultValue = "" + CallLimits.DEFAULT_MAX_ITEMS_PER_CALL, paramLabel = "N",
            description = "Largest sum of k over the requests of one call (a batch); more is INVALID_ARGUMENT. "
                    + "Default: ${DEFAULT-VALUE}.")
    long maxItemsPerCall;

    @Option(names = "--max-diversity-work-per-call", defaultValue = "" + CallLimits.DEFAULT_MAX_DIVERSITY_WORK_PER_CALL,
            paramLabel = "N", description = "Largest sum of k x candidate pool (max(5k, 200)) over the requests with diversity "
                    + "of one call; more is INVALID_ARGUMENT. Default: ${DEFAULT-VALUE}.")
    long maxDiversityWorkPerCall;

    @Option(names = "--http-host", defaultValue = HttpSettings.DEFAULT_HOST, paramLabel = "HOST",
            description = "Address the HTTP listener (/livez, /readyz, /metrics) binds. Default: ${DEFAULT-VALUE} "
                    + "(local only: probes and scrapes from the same machine or pod).")
    String httpHost;

    @Option(names = "--http-port", defaultValue = "auto", paramLabel = "N",
            description = "HTTP port for /livez, /readyz, /healthz and /metrics; 0 = a free port (printed), -1 = off, "
                    + "auto = " + HttpSettings.DEFAULT_PORT + " (a free port when --port is 0). Default: ${DEFAULT-VALUE}.")
    String httpPort;

    @Option(names = "--http-threads", defaultValue = "" + HttpSettings.DEFAULT_THREADS, paramLabel = "N",
            description = "Threads of the HTTP listener, its two network threads included (min "
                    + HttpSettings.MIN_THREADS + "). Default: ${DEFAULT-VALUE}.")
    int httpThreads;

    @Option(names = "--http-idle-timeout", defaultValue = "30s", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Close HTTP connections that send nothing for this long. Default: ${DEFAULT-VALUE}.")
    Duration httpIdleTimeout;

    @Option(names = "--http-request-timeout", defaultValue = "10s", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Close HTTP connections that dribble a request without completing it for this long. "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration httpRequestTimeout;

    @Option(names = "--metrics", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Prometheus metrics at http://HTTP_HOST:HTTP_PORT/metrics, with JVM and process meters "
                    + "(--no-metrics: no /metrics; probes still answer). Default: on.")
    boolean metrics;

    @Option(names = "--feedback", paramLabel = "DIR",
            description = "Live feedback: take RecordInteractions, keep each user's recent events in DIR (created if "
                    + "needed; several servers on one host may share it) and fold them into that user's recommendations; "
                    + "DIR's event log is training input for `reco train --feedback DIR`. Default: off.")
    Path feedbackDir;

    @Option(names = "--feedback-events-per-user", defaultValue = "" + FeedbackStore.Settings.DEFAULT_MAX_EVENTS_PER_USER,
            paramLabel = "N", description = "Recent events kept per user (the oldest go first), 1..1000. Default: ${DEFAULT-VALUE}.")
    int feedbackEventsPerUser;

    @Option(names = "--feedback-ttl", defaultValue = "720h", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Recorded events older than this stop counting and leave the store (they stay in the event log). "
                    + "Default: ${DEFAULT-VALUE} (30 days).")
    Duration feedbackTtl;

    @Option(names = "--feedback-max-users", defaultValue = "" + FeedbackStore.Settings.DEFAULT_MAX_USERS, paramLabel = "N",
            description = "Users kept in the store; beyond it the least recently active are evicted. Sizes the store's file "
                    + "when it is created. Default: ${DEFAULT-VALUE}.")
    long feedbackMaxUsers;

    @picocli.CommandLine.ParentCommand
    Reco parent;

    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * --log-format as given before or after "serve", or by RECO_LOG_FORMAT / the config file (which
     * reach this command's copy of the inherited option, not the root's).
     */
    Logging.Format logFormat() {
        CommandLine.Model.OptionSpec own = spec == null ? null : spec.findOption("--log-format");
        if (own != null && own.getValue() == Logging.Format.json
                || parent != null && parent.logFormat == Logging.Format.json) {
            return Logging.Format.json;
        }
        // picocli applies no defaults to inherited options, so ask the provider (environment, config file) here
        try {
            String configured = own == null || spec.defaultValueProvider() == null ? null
                    : spec.defaultValueProvider().defaultValue(own);
            return configured == null ? Logging.Format.text : Logging.Format.valueOf(configured.strip());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "log-format must be text or json, got "
                    + e.getMessage());
        } catch (Exception e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private boolean verbose() {
        return parent != null && parent.verbose;
    }

    private final PrintStream out;
    private final PrintStream err;

    public ServeCommand() {
        this(System.out, System.err);
    }

    ServeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws InterruptedException {
        Instant jvmStart = ProcessHandle.current().info().startInstant().orElse(Instant.now());
        logFormat = logFormat();
        Logging.configure(err, verbose(), logFormat);
        if (port < 0 || port > 65535) {
            err.println("error: --port must be 0..65535, got " + port);
            return ExitCodes.USAGE;
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            err.println("error: --poll-interval must be positive, got " + pollInterval);
            return ExitCodes.USAGE;
        }
        if (gracePeriod.isNegative()) {
            err.println("error: --grace-period must not be negative, got " + gracePeriod);
            return ExitCodes.USAGE;
        }
        int effectiveHttpPort;
        try {
            effectiveHttpPort = httpPort.equals("auto") ? (port == 0 ? 0 : HttpSettings.DEFAULT_PORT) : Integer.parseInt(httpPort);
        } catch (NumberFormatException e) {
            err.println("error: --http-port must be a port number, 0 (a free port), -1 (off) or auto, got " + httpPort);
            return ExitCodes.USAGE;
        }
        HttpSettings http = null;
        if (effectiveHttpPort != -1) {
            try {
                http = new HttpSettings(httpHost, effectiveHttpPort, httpThreads, httpIdleTimeout, httpRequestTimeout,
                        maxInboundMessageSize);
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage() + " (--http-port -1 turns the HTTP listener off)");
                return ExitCodes.USAGE;
            }
        }
        CallLimits limits;
        try {
            limits = new CallLimits(maxConcurrentCalls, maxCallDuration, maxItemsPerCall, maxDiversityWorkPerCall);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage() + " (--max-concurrent-calls, --max-call-duration, --max-items-per-call, "
                    + "--max-diversity-work-per-call)");
            return ExitCodes.USAGE;
        }
        if (!callExecutorKind.equals("pool") && !callExecutorKind.equals("direct")) {
            err.println("error: --call-executor must be pool or direct, got " + callExecutorKind);
            return ExitCodes.USAGE;
        }
        TransportSettings transport;
        try {
            transport = new TransportSettings(host, port, maxInboundMessageSize, keepAliveTime, keepAliveTimeout,
                    permitKeepAliveTime, permitKeepAliveWithoutCalls, maxConnectionIdle, maxConnectionAge, maxConnectionAgeGrace,
                    maxConcurrentCallsPerConnection, tlsCert, tlsKey, tlsClientCa);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        AdminAuthorization adminAuthorization;
        try {
            adminAuthorization = adminTokenFile == null ? AdminAuthorization.loopbackOnly()
                    : AdminAuthorization.withTokenFile(adminTokenFile);
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        BearerToken explainToken;
        try {
            explainToken = explainTokenFile == null ? null : BearerToken.fromFile(explainTokenFile, "explain token");
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        FeedbackStore.Settings feedbackSettings = null;
        if (feedbackDir != null) {
            try {
                feedbackSettings = new FeedbackStore.Settings(feedbackEventsPerUser, feedbackTtl, feedbackMaxUsers);
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return ExitCodes.USAGE;
            }
        }
        if (waitForModel.isNegative()) {
            err.println("error: --wait-for-model must not be negative, got " + waitForModel);
            return ExitCodes.USAGE;
        }
        if (!Files.isDirectory(modelRoot) && waitForModel.isZero()) {
            err.println("error: model directory " + modelRoot + " does not exist (train one with `reco train --out "
                    + modelRoot + "`)");
            return ExitCodes.FAILURE;
        }

        PrometheusMeterRegistry registry = ServerMetrics.prometheusRegistry();
        LOG.info("vector kernels: " + VectorUtil.implementationName() + " (" + VectorUtil.selectionReason() + ")");
        Gauge.builder("reco.build.info", () -> 1)
                .description("1, tagged with the version of reco serving")
                .tag("version", VersionCommand.version())
                .register(registry);
        Gauge.builder("reco.vector.implementation.info", () -> 1)
                .description("1, tagged with the scoring kernels in use (panama = jdk.incubator.vector, scalar)")
                .tag("implementation", VectorUtil.implementationName())
                .register(registry);
        ModelHolder models = new ModelHolder(modelRoot, registry);
        // The slow part first, on its own thread: the generation opens while the server binds.
        CompletableFuture<Void> loading = new CompletableFuture<>();
        Thread loader = new Thread(() -> {
            try {
                awaitFirstGeneration();
                models.loadCurrent();
                loading.complete(null);
            } catch (Throwable t) {
                loading.completeExceptionally(t);
            }
        }, "reco-model-loader");
        loader.setDaemon(true);
        loader.start();

        LiveFeedback feedback = null;
        if (feedbackSettings != null) {
            try {
                feedback = LiveFeedback.open(feedbackDir, feedbackSettings, registry);
            } catch (IOException | RuntimeException e) {
                models.close();
                return startupFailure("cannot open the feedback directory " + feedbackDir + ": " + rootMessage(e), e);
            }
            LOG.info("live feedback in " + feedbackDir + ": " + feedback.store().users() + " users with recent events");
        }
        ExecutorService callExecutor = callExecutorKind.equals("direct") ? null : callExecutor();
        RecoServer server;
        try {
            NettyServerBuilder netty = transport.builder();
            if (callExecutor == null) {
                netty.directExecutor();
            } else {
                netty.executor(callExecutor);
            }
            server = new RecoServer(netty, models, registry, limits, adminAuthorization, explainToken, feedback);
        } catch (IOException | RuntimeException e) {
            models.close();
            if (feedback != null) {
                feedback.close();
            }
            shutdownNow(callExecutor);
            return startupFailure(rootMessage(e), e);
        }
        // the HTTP listener binds while gRPC does, both before the model is loaded: /readyz answers 503 meanwhile
        CompletableFuture<HttpEndpoint> httpStarting = http == null ? CompletableFuture.completedFuture(null)
                : startHttp(http, httpRoutes(server, registry));
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            models.close();
            if (feedback != null) {
                feedback.close();
            }
            shutdownNow(callExecutor);
            httpStarting.thenAccept(h -> {
                if (h != null) {
                    h.close();
                }
            });
            return startupFailure("cannot listen on " + host + ":" + port + ": " + rootMessage(e), e);
        }
        LOG.info("gRPC on " + host + ":" + server.port() + (transport.mutualTls() ? " with mutual TLS"
                : transport.tls() ? " with TLS" : " (plaintext)") + ", calls on " + callExecutorKind + " executor; "
                + (adminAuthorization.requiresToken() ? "Admin with the admin token" : "Admin from this machine only"));
        HttpEndpoint httpEndpoint;
        try {
            httpEndpoint = httpStarting.join();
        } catch (CompletionException e) {
            server.shutdown(Duration.ZERO);
            shutdownNow(callExecutor);
            return startupFailure(rootMessage(e.getCause()) + " (--http-port N picks another port, -1 turns HTTP off)",
                    e.getCause());
        }
        if (httpEndpoint != null) {
            LOG.info("HTTP on http://" + httpHost + ":" + httpEndpoint.port() + ": " + String.join(" ",
                    httpEndpoint.routes().stream().map(HttpRoutes.Route::pattern).toList()));
            out.printf(Locale.ROOT, "reco http listening on %s:%d%n", httpHost, httpEndpoint.port());
            out.flush();
        }
        try {
            loading.join();
        } catch (CompletionException e) {
            server.shutdown(Duration.ZERO);
            shutdownNow(callExecutor);
            if (httpEndpoint != null) {
                httpEndpoint.close();
            }
            return startupFailure("cannot serve " + modelRoot + ": " + rootMessage(e.getCause()), e.getCause());
        }
        models.startWatching(pollInterval);
        reloadOnSighup(models);
        Running started = new Running(server, callExecutor, httpEndpoint, null);
        Thread shutdownHook = new Thread(() -> stop(started), "reco-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        running = new Running(server, callExecutor, httpEndpoint, shutdownHook);
        stopOnSignal("TERM");
        stopOnSignal("INT");

        ServedGeneration served = models.peek();
        long startupMillis = Duration.between(jvmStart, Instant.now()).toMillis();
        out.printf(Locale.ROOT, "reco server listening on %s:%d, serving generation %s (%d items)%n",
                host, server.port(), served == null ? "-" : served.id(), served == null ? 0 : served.generation().itemCount());
        out.flush();
        LOG.info("JVM start to SERVING: " + startupMillis + " ms");
        stopped.await(); // not just server termination: also the model unmapped and the executor stopped
        return ExitCodes.OK;
    }

    /** With --wait-for-model: returns once ROOT/CURRENT exists, or when the wait is over (loading then fails). */
    private void awaitFirstGeneration() throws InterruptedException {
        long deadline = System.nanoTime() + waitForModel.toNanos();
        Path current = modelRoot.resolve(reco.model.generation.GenerationFiles.CURRENT);
        boolean announced = false;
        while (!Files.exists(current) && System.nanoTime() < deadline) {
            if (!announced) {
                LOG.info("no generation under " + modelRoot + " yet: waiting up to " + waitForModel.toSeconds() + " s"
                        + " for the first one (/readyz answers 503 meanwhile)");
                announced = true;
            }
            Thread.sleep(Math.max(10, Math.min(pollInterval.toMillis(), 1000)));
        }
    }

    private record Running(RecoServer server, ExecutorService callExecutor, HttpEndpoint http, Thread shutdownHook) {}

    private volatile Running running;
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

    private void stop(Running r) {
        try {
            r.server().shutdown(gracePeriod);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            shutdownNow(r.callExecutor());
            if (r.http() != null) {
                r.http().close(); // last: /readyz says 503 through the whole grace period
            }
            printStopped();
            stopped.countDown();
        }
    }

    private volatile Logging.Format logFormat = Logging.Format.text;

    /**
     * The last line, written directly rather than logged: on a stop through the JVM's shutdown hook,
     * java.util.logging may already be closed. In the log format asked for.
     */
    private void printStopped() {
        if (logFormat == Logging.Format.json) {
            java.util.logging.LogRecord record = new java.util.logging.LogRecord(java.util.logging.Level.INFO, "reco server stopped");
            record.setLoggerName(ServeCommand.class.getName());
            err.print(new JsonLogFormatter().format(record));
            err.flush();
        } else {
            err.println("reco server stopped");
        }
    }

    /** Graceful stop of a server started by {@link #call()} in this JVM (what SIGTERM does); for embedding and tests. */
    void stop() {
        Running r = running;
        if (r != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(r.shutdownHook());
            } catch (IllegalStateException alreadyShuttingDown) {
                return; // the hook is running and stops the server
            }
            stop(r);
        }
    }

    private int startupFailure(String message, Throwable cause) {
        err.println("error: " + message);
        if (verbose() && cause != null) {
            cause.printStackTrace(err);
        }
        return ExitCodes.FAILURE;
    }

    private static String rootMessage(Throwable t) {
        if (t instanceof ModelHolder.GenerationRefusedException || t.getCause() == null) {
            return String.valueOf(t.getMessage());
        }
        return t.getMessage() != null ? t.getMessage() : rootMessage(t.getCause());
    }

    /**
     * The HTTP listener's routes: probes, and /metrics unless metrics are off. Further HTTP features (a JSON
     * gateway, console assets) register their routes here.
     */
    private HttpRoutes httpRoutes(RecoServer server, PrometheusMeterRegistry registry) {
        if (metrics) {
            bindJvmMetrics(registry);
        }
        HttpRoutes routes = ProbeRoutes.register(new HttpRoutes(), server::isServing, metrics ? registry : null);
        // closed with the server: the in-process transport it talks to stops in RecoServer.shutdown
        new JsonGateway(server.inProcessChannel(), server.adminAuthorization(), registry, JsonGateway.DEFAULT_MAX_TIMEOUT)
                .register(routes);
        return new ConsoleRoutes(server.models(), registry, server.adminAuthorization()).register(routes);
    }

    /** Starts the HTTP listener on its own thread (class loading and binding overlap the gRPC side's). */
    private static CompletableFuture<HttpEndpoint> startHttp(HttpSettings settings, HttpRoutes routes) {
        CompletableFuture<HttpEndpoint> started = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("reco-http-start").start(() -> {
            try {
                started.complete(HttpEndpoint.start(settings, routes));
            } catch (IOException | RuntimeException e) {
                started.completeExceptionally(e);
            }
        });
        return started;
    }

    /** JVM memory, GC, threads, CPU and uptime: what an operator looks at next to the call metrics. */
    private static void bindJvmMetrics(MeterRegistry registry) {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry); // lives as long as the process
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private static void shutdownNow(ExecutorService executor) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Calls run on a fixed pool sized to the cores: scoring is CPU-bound, more threads only queue. */
    private static ExecutorService callExecutor() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "reco-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * SIGTERM/SIGINT stop the server gracefully and {@link #call()} returns 0. (With only the shutdown
     * hook the JVM would exit 128+signal, which supervisors read as a crash.)
     */
    @SuppressWarnings("restriction")
    private void stopOnSignal(String name) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                LOG.info("SIG" + name + ": stopping (grace period " + gracePeriod.toMillis() + " ms)");
                Thread stopper = new Thread(this::stop, "reco-stop");
                stopper.start();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.fine("SIG" + name + " stays the JVM default (shutdown hook): " + e);
        }
    }

    /** SIGHUP = look at CURRENT now (and retry a refused generation). Not available on every platform. */
    @SuppressWarnings("restriction")
    private static void reloadOnSighup(ModelHolder models) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                LOG.info("SIGHUP: checking " + models.root() + " for a new generation");
                models.requestReload();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.fine("no SIGHUP reload on this platform: " + e);
        }
    }
}
