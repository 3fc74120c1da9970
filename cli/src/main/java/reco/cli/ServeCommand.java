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
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reco.model.vector.VectorUtil;
import reco.server.MetricsHttpServer;
import reco.server.ModelHolder;
import reco.server.RecoServer;
import reco.server.ServedGeneration;
import reco.server.TransportSettings;

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
 * for; logs go to stderr.
 *
 * <p>Exit codes: 0 after a normal shutdown (SIGTERM/SIGINT: NOT_SERVING, running calls get the grace
 * period, then the model is unmapped), 2 for a usage error, 1 when start-up
 * fails: no model directory, no CURRENT, or the generation CURRENT names cannot be served. A server
 * never starts without a model (a supervisor restarts it; it does not sit NOT_SERVING forever); once
 * serving, a bad new generation is refused and the old one keeps serving.
 */
@Command(name = "serve",
        header = "Serve the generation a model directory's CURRENT names, over gRPC.", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Serve the model generation ROOT/CURRENT names over gRPC (reco.v1.Recommender, "
                + "grpc.health.v1, server reflection) and swap in new generations as they are published.")
public final class ServeCommand implements Callable<Integer> {
    public static final int DEFAULT_PORT = 50051;

    private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Model root: the directory holding CURRENT and the generation directories.")
    Path modelRoot;

    @Option(names = "--port", defaultValue = "" + DEFAULT_PORT, paramLabel = "N",
            description = "TCP port; 0 picks a free one (printed when serving). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = TransportSettings.DEFAULT_HOST, paramLabel = "HOST",
            description = "Address to bind (gRPC and metrics). Default: ${DEFAULT-VALUE} (local only); "
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

    @Option(names = "--tls-cert", paramLabel = "PEM",
            description = "Serve TLS with this PEM certificate chain (needs --tls-key). Default: plaintext.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM",
            description = "The PEM private key (unencrypted PKCS#8, BEGIN PRIVATE KEY) of --tls-cert.")
    Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "PEM",
            description = "Mutual TLS: require client certificates signed by these PEM CA certificates (needs --tls-cert).")
    Path tlsClientCa;

    @Option(names = "--call-executor", defaultValue = "pool", paramLabel = "KIND",
            description = "Where calls run: pool (a thread per core; slow calls never stall the network threads) or "
                    + "direct (on the network threads: less hand-off per call). Default: ${DEFAULT-VALUE}.")
    String callExecutorKind;

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

    @Option(names = "--metrics-port", defaultValue = "-1", paramLabel = "N",
            description = "Serve Prometheus metrics at http://HOST:N/metrics (0 = a free port, printed in the log); "
                    + "-1 = off. Default: ${DEFAULT-VALUE}.")
    int metricsPort;

    @picocli.CommandLine.ParentCommand
    Reco parent;

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
        Logging.configure(err, verbose());
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
        if (metricsPort < -1 || metricsPort > 65535) {
            err.println("error: --metrics-port must be 0..65535 or -1 (off), got " + metricsPort);
            return ExitCodes.USAGE;
        }
        if (maxConcurrentCalls < 0) {
            err.println("error: --max-concurrent-calls must be >= 0 (0 = no limit), got " + maxConcurrentCalls);
            return ExitCodes.USAGE;
        }
        if (!callExecutorKind.equals("pool") && !callExecutorKind.equals("direct")) {
            err.println("error: --call-executor must be pool or direct, got " + callExecutorKind);
            return ExitCodes.USAGE;
        }
        TransportSettings transport;
        try {
            transport = new TransportSettings(host, port, maxInboundMessageSize, keepAliveTime, keepAliveTimeout,
                    permitKeepAliveTime, permitKeepAliveWithoutCalls, maxConnectionIdle, tlsCert, tlsKey, tlsClientCa);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (!Files.isDirectory(modelRoot)) {
            err.println("error: model directory " + modelRoot + " does not exist (train one with `reco train --out "
                    + modelRoot + "`)");
            return ExitCodes.FAILURE;
        }

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LOG.info("vector kernels: " + VectorUtil.implementationName() + " (" + VectorUtil.selectionReason() + ")");
        Gauge.builder("reco.vector.implementation", () -> 1)
                .description("1, tagged with the scoring kernels in use (panama = jdk.incubator.vector, scalar)")
                .tag("implementation", VectorUtil.implementationName())
                .register(registry);
        ModelHolder models = new ModelHolder(modelRoot, registry);
        // The slow part first, on its own thread: the generation opens while the server binds.
        CompletableFuture<Void> loading = new CompletableFuture<>();
        Thread loader = new Thread(() -> {
            try {
                models.loadCurrent();
                loading.complete(null);
            } catch (Throwable t) {
                loading.completeExceptionally(t);
            }
        }, "reco-model-loader");
        loader.setDaemon(true);
        loader.start();

        ExecutorService callExecutor = callExecutorKind.equals("direct") ? null : callExecutor();
        RecoServer server;
        try {
            NettyServerBuilder netty = transport.builder();
            if (callExecutor == null) {
                netty.directExecutor();
            } else {
                netty.executor(callExecutor);
            }
            server = new RecoServer(netty, models, registry, maxConcurrentCalls);
        } catch (IOException | RuntimeException e) {
            models.close();
            shutdownNow(callExecutor);
            return startupFailure(rootMessage(e), e);
        }
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            models.close();
            shutdownNow(callExecutor);
            return startupFailure("cannot listen on " + host + ":" + port + ": " + rootMessage(e), e);
        }
        LOG.info("gRPC on " + host + ":" + server.port() + (transport.mutualTls() ? " with mutual TLS"
                : transport.tls() ? " with TLS" : " (plaintext)") + ", calls on " + callExecutorKind + " executor");
        MetricsHttpServer metrics = null;
        if (metricsPort >= 0) {
            // before the model is loaded, so that /healthz answers 503 while it loads
            try {
                bindJvmMetrics(registry);
                metrics = MetricsHttpServer.start(host, metricsPort, registry, server::isServing);
                LOG.info("metrics at http://" + host + ":" + metrics.port() + "/metrics, health at /healthz");
            } catch (IOException | RuntimeException e) {
                server.shutdown(Duration.ZERO);
                shutdownNow(callExecutor);
                return startupFailure("cannot serve metrics on " + host + ":" + metricsPort + ": " + rootMessage(e), e);
            }
        }
        try {
            loading.join();
        } catch (CompletionException e) {
            server.shutdown(Duration.ZERO);
            shutdownNow(callExecutor);
            if (metrics != null) {
                metrics.close();
            }
            return startupFailure("cannot serve " + modelRoot + ": " + rootMessage(e.getCause()), e.getCause());
        }
        models.startWatching(pollInterval);
        reloadOnSighup(models);
        Running started = new Running(server, callExecutor, metrics, null);
        Thread shutdownHook = new Thread(() -> stop(started), "reco-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        running = new Running(server, callExecutor, metrics, shutdownHook);
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

    private record Running(RecoServer server, ExecutorService callExecutor, MetricsHttpServer metrics, Thread shutdownHook) {}

    private volatile Running running;
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

    private void stop(Running r) {
        try {
            r.server().shutdown(gracePeriod);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            shutdownNow(r.callExecutor());
            if (r.metrics() != null) {
                r.metrics().close();
            }
            err.println("reco server stopped");
            stopped.countDown();
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
