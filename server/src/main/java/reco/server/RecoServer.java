package reco.server;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import reco.server.admin.AdminAuthorization;
import reco.server.admin.AdminAuthorizationInterceptor;
import reco.server.admin.AdminService;
import reco.server.admin.ModelControl;
import reco.server.metrics.ServerMetrics;
import reco.server.feedback.LiveFeedback;
import reco.v1.RecommenderGrpc;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The reco gRPC server's lifecycle: reco.v1.Recommender, reco.v1.Admin, grpc.health.v1 and server reflection (v1 and v1alpha) on
 * the given {@link ServerBuilder} (Netty in production, in-process in tests), with Micrometer's
 * {@code grpc.server.*} metrics on every call (latency with histogram buckets, {@link ServerMetrics}).
 *
 * <p>reco.v1.Recommender calls pass {@link CallAdmission} before the service sees them: the server-side
 * deadline, requests that do not parse ({@link MalformedRequests}), the explain right ({@link ExplainPrivacy}),
 * the per-call cost budget ({@link CallBudget}) and a concurrency slot taken when the request arrives.
 *
 * <p>reco.v1.Admin answers only operators ({@link AdminAuthorization}: loopback peers by default, or
 * holders of the admin token) and runs their requests on one admin thread ({@link ModelControl}).
 *
 * <p>Health is NOT_SERVING (both for "" and "reco.v1.Recommender") until the {@link ModelHolder} has
 * published a validated generation. {@link #shutdown} reports NOT_SERVING, stops taking calls, lets
 * running calls finish within the grace period, then cancels the rest and unmaps the model.
 */
public final class RecoServer {
    private static final Logger LOG = Logger.getLogger(RecoServer.class.getName());
    /** The health service name clients check for the recommender specifically. */
    public static final String SERVICE_NAME = RecommenderGrpc.SERVICE_NAME;

    private final Server server;
    /**
     * The same service objects and interceptors (limits, Admin authorization, metrics) on an in-process
     * transport: what bridges from other protocols (the HTTP/JSON gateway) call, so that they share every
     * check and meter of the gRPC port and never score through a second code path.
     */
    private final Server inProcess;
    private final String inProcessName = "reco-server-" + java.util.UUID.randomUUID();
    private final ModelHolder models;
    private final ModelControl control;
    private final AdminAuthorization adminAuthorization;
    private final LiveFeedback feedback;
    private final HealthStatusManager health = new HealthStatusManager();
    private final Object lifecycle = new Object();
    private boolean shutdownStarted;

    /** Default cap on reco.v1 calls in progress; beyond it calls fail fast with RESOURCE_EXHAUSTED. */
    public static final int DEFAULT_MAX_CONCURRENT_CALLS = CallLimits.DEFAULT_MAX_CONCURRENT_CALLS;

    private final ScheduledExecutorService deadlines;

    /** A server with the default {@link CallLimits}, Admin for loopback callers only. */
    public RecoServer(ServerBuilder<?> builder, ModelHolder models, MeterRegistry registry) {
        this(builder, models, registry, DEFAULT_MAX_CONCURRENT_CALLS);
    }

    /** A server with Admin for loopback callers only. */
    public RecoServer(ServerBuilder<?> builder, ModelHolder models, MeterRegistry registry, int maxConcurrentCalls) {
        this(builder, models, registry, maxConcurrentCalls, AdminAuthorization.loopbackOnly());
    }

    /** A server with the default {@link CallLimits} but {@code maxConcurrentCalls}, user histories explained in-process only. */
    public RecoServer(ServerBuilder<?> builder, ModelHolder models, MeterRegistry registry, int maxConcurrentCalls,
                      AdminAuthorization adminAuthorization) {
        this(builder, models, registry, CallLimits.defaults().withMaxConcurrentCalls(maxConcurrentCalls),
                adminAuthorization, null);
    }

    /**
     * @param builder            where to serve; its executor and transport settings are the caller's choice
     * @param models             the generation holder; the server closes it on shutdown
     * @param registry           receives grpc.server.* timers and the service's domain meters
     * @param limits             what one reco.v1 call may hold and ask for (health and reflection are never limited)
     * @param adminAuthorization who may call reco.v1.Admin
     * @param explainToken       callers presenting it may have user histories explained ({@link ExplainPrivacy});
     *                           null = in-process callers only
     */
    public RecoServer(ServerBuilder<?> builder, ModelHolder models, MeterRegistry registry, CallLimits limits,
                      AdminAuthorization adminAuthorization, BearerToken explainToken) {
        this(builder, models, registry, limits, adminAuthorization, explainToken, null);
    }

    /**
     * As above, with live feedback: RecordInteractions records into {@code feedback}, recommendations for a
     * user fold in their recorded events, and a published generation trained on the feedback log retires
     * the events it holds. The server closes {@code feedback} on shutdown. Null: live feedback is off.
     */
    public RecoServer(ServerBuilder<?> builder, ModelHolder models, MeterRegistry registry, CallLimits limits,
                      AdminAuthorization adminAuthorization, BearerToken explainToken, LiveFeedback feedback) {
        this.models = models;
        this.adminAuthorization = java.util.Objects.requireNonNull(adminAuthorization, "adminAuthorization");
        this.control = new ModelControl(models);
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
        health.setStatus(SERVICE_NAME, ServingStatus.NOT_SERVING);
        this.feedback = feedback;
        RecommenderService service = new RecommenderService(models, registry, feedback);
        MetricCollectingServerInterceptor metrics = new MetricCollectingServerInterceptor(registry,
                counter -> counter, ServerMetrics::withLatencyBuckets);
        metrics.preregisterService(service);
        ScheduledThreadPoolExecutor deadlineTimer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "reco-call-deadlines");
            t.setDaemon(true);
            return t;
        });
        // every call schedules its deadline and cancels it when done: drop cancelled ones at once, or
        // the queue would hold a call rate x max call duration of dead timers
        deadlineTimer.setRemoveOnCancelPolicy(true);
        this.deadlines = deadlineTimer;
        ExplainPrivacy explainPrivacy = explainToken == null ? ExplainPrivacy.off() : ExplainPrivacy.withToken(explainToken);
        CallAdmission admission = new CallAdmission(limits.maxConcurrentCalls(), limits.maxCallDuration(), deadlines,
                List.of(explainPrivacy, limits.budget()), registry);
        ServerServiceDefinition recommender = ServerInterceptors.intercept(MalformedRequests.tolerant(service.bindService()), admission);
        // never limited: an operator must get through under overload
        ServerServiceDefinition admin = ServerInterceptors.intercept(MalformedRequests.tolerant(new AdminService(control).bindService()),
                CallAdmission.malformedOnly(registry),
                new AdminAuthorizationInterceptor(adminAuthorization, registry));
        this.inProcess = InProcessServerBuilder.forName(inProcessName)
                .directExecutor() // the bridging thread runs the call, as a direct-executor gRPC port does
                .addService(recommender)
                .addService(admin)
                .intercept(metrics)
                .build();
        this.server = builder
                .addService(recommender)
                .addService(admin)
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                // v1alpha too: grpcurl up to 1.8.7 and ghz up to 0.116 ask only for it
                .addService(v1alphaReflection())
                .intercept(metrics)
                .build();
        models.onPublish(served -> {
            synchronized (lifecycle) {
                if (!shutdownStarted) {
                    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
                    health.setStatus(SERVICE_NAME, ServingStatus.SERVING);
                }
            }
        });
        if (feedback != null) {
            models.onPublish(served -> feedback.generationPublished(served.generation()));
        }
        models.onWithdraw(() -> {
            synchronized (lifecycle) {
                if (!shutdownStarted) {
                    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
                    health.setStatus(SERVICE_NAME, ServingStatus.NOT_SERVING);
                }
            }
        });
    }

    @SuppressWarnings("deprecation") // deprecated in favour of v1, which is registered as well
    private static io.grpc.BindableService v1alphaReflection() {
        return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
    }

    /** Binds and starts serving (health stays NOT_SERVING until a generation is loaded). */
    public RecoServer start() throws IOException {
        inProcess.start();
        server.start();
        return this;
    }

    /**
     * A new channel to this server's reco.v1 services in this JVM, with the gRPC port's limits, Admin
     * authorization (an in-process caller counts as local: a bridge checks its own callers first) and
     * metrics. The caller shuts it down.
     */
    public ManagedChannel inProcessChannel() {
        return InProcessChannelBuilder.forName(inProcessName).directExecutor().build();
    }

    /** The bound port (the ephemeral one when started on port 0); -1 for transports without ports. */
    public int port() {
        return server.getPort();
    }

    /** True while a generation is served and shutdown has not begun: what /healthz reports. */
    public boolean isServing() {
        synchronized (lifecycle) {
            return !shutdownStarted && models.isLoaded();
        }
    }

    public ModelHolder models() {
        return models;
    }

    /** Who may call reco.v1.Admin: other transports that bridge to Admin check their callers with it. */
    public AdminAuthorization adminAuthorization() {
        return adminAuthorization;
    }

    /** The admin thread: reloads and other operator changes of the served model. */
    public ModelControl modelControl() {
        return control;
    }

    public HealthStatusManager health() {
        return health;
    }

    /**
     * Graceful stop: NOT_SERVING, no new calls, up to {@code grace} for running calls, then the rest
     * are cancelled; finally the served generation is unmapped. Safe to call more than once.
     */
    public void shutdown(Duration grace) throws InterruptedException {
        synchronized (lifecycle) {
            if (!shutdownStarted) {
                shutdownStarted = true;
                // terminal: later model loads can no longer flip it back to SERVING
                health.enterTerminalState();
            }
        }
        server.shutdown();
        inProcess.shutdown();
        try {
            if (!server.awaitTermination(Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS)) {
                LOG.warning("calls still running after the " + grace.toMillis() + " ms grace period: cancelling them");
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
            inProcess.shutdownNow();
        } finally {
            deadlines.shutdownNow();
            control.close();
            models.close();
            if (feedback != null) {
                feedback.close();
            }
        }
    }

    /** Blocks until the server has terminated. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    public boolean isTerminated() {
        return server.isTerminated();
    }
}
