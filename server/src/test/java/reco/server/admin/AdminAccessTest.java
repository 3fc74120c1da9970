package reco.server.admin;

import io.grpc.Attributes;
import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.server.ModelHolder;
import reco.server.RecoServer;
import reco.server.TestGenerations;
import reco.v1.AdminGrpc;
import reco.v1.GetModelInfoRequest;
import reco.v1.RecommenderGrpc;
import reco.v1.ReloadRequest;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * reco.v1.Admin through a whole {@link RecoServer}: who gets in, and what a flood of Reloads costs. The
 * caller's address is set by an interceptor in front of the server (as the transport would set it for
 * a remote peer), so no packet leaves this machine.
 */
class AdminAccessTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path root;

    private PrometheusMeterRegistry registry;
    private RecoServer server;
    private ManagedChannel channel;

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.shutdown(Duration.ofSeconds(1));
        }
    }

    /** A served test generation, Admin guarded by {@code auth}, every caller seen as coming from {@code peer}. */
    private void start(AdminAuthorization auth, SocketAddress peer) throws Exception {
        TestGenerations.write(root);
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ModelHolder models = new ModelHolder(root, registry);
        models.loadCurrent();
        String name = InProcessServerBuilder.generateName();
        server = new RecoServer(InProcessServerBuilder.forName(name).executor(java.util.concurrent.Executors.newFixedThreadPool(8))
                .intercept(new PeerAddress(peer)), models, registry, RecoServer.DEFAULT_MAX_CONCURRENT_CALLS, auth).start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    private AdminGrpc.AdminBlockingStub admin() {
        return AdminGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private AdminGrpc.AdminBlockingStub admin(String authorization) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
        return admin().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Test
    void remoteCallersGetPermissionDeniedWithoutATokenConfiguredButStillGetRecommendations() throws Exception {
        start(AdminAuthorization.loopbackOnly(), new InetSocketAddress("203.0.113.7", 50000));
        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
                () -> admin().reload(ReloadRequest.getDefaultInstance()));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
        assertThrows(StatusRuntimeException.class, () -> admin("Bearer " + TOKEN).reload(ReloadRequest.getDefaultInstance()));
        assertEquals(12, RecommenderGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .getModelInfo(GetModelInfoRequest.getDefaultInstance()).getItemCount());
        assertTrue(registry.scrape().contains("reco_admin_denied_total{code=\"permission_denied\"} 2.0"), registry.scrape());
    }

    @Test
    void loopbackCallersAreOperatorsWithoutATokenConfigured() throws Exception {
        start(AdminAuthorization.loopbackOnly(), new InetSocketAddress("127.0.0.1", 50000));
        assertEquals(false, admin().reload(ReloadRequest.getDefaultInstance()).getChanged());
    }

    @Test
    void withATokenConfiguredOnlyTheTokenCounts() throws Exception {
        start(AdminAuthorization.withToken(TOKEN), new InetSocketAddress("203.0.113.7", 50000));
        assertEquals(Status.Code.UNAUTHENTICATED, assertThrows(StatusRuntimeException.class,
                () -> admin().reload(ReloadRequest.getDefaultInstance())).getStatus().getCode());
        assertEquals(Status.Code.UNAUTHENTICATED, assertThrows(StatusRuntimeException.class,
                () -> admin("Bearer not-the-token-0123456789").reload(ReloadRequest.getDefaultInstance())).getStatus().getCode());
        assertEquals(false, admin("Bearer " + TOKEN).reload(ReloadRequest.getDefaultInstance()).getChanged());
    }

    /**
     * 200 Reloads at once while CURRENT names a corrupt generation: the generation is validated once
     * (one refusal counted), every caller gets its reason, and the old generation keeps serving.
     */
    @Test
    void aFloodOfReloadsAgainstACorruptGenerationValidatesItOnce() throws Exception {
        start(AdminAuthorization.loopbackOnly(), new InetSocketAddress("127.0.0.1", 50000));
        Path good = root.resolve(server.models().peek().id());
        TestGenerations.publishCorruptCopy(root, good, "gen-corrupt");
        int callers = 200;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Status>> outcomes = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            outcomes.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    admin().reload(ReloadRequest.getDefaultInstance());
                    return Status.OK;
                } catch (StatusRuntimeException e) {
                    return e.getStatus();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
        }
        go.countDown();
        for (CompletableFuture<Status> outcome : outcomes) {
            Status status = outcome.get(60, TimeUnit.SECONDS);
            assertEquals(Status.Code.FAILED_PRECONDITION, status.getCode(), status.toString());
            assertTrue(status.getDescription().contains("checksum mismatch"), status.getDescription());
        }
        assertTrue(registry.scrape().contains("reco_model_refused_total{reason=\"corrupt\"} 1.0"), registry.scrape());
        assertEquals(good.getFileName().toString(), server.models().peek().id());
    }

    /** Makes every call look as if it came from {@code peer}. */
    record PeerAddress(SocketAddress peer) implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            Attributes attributes = call.getAttributes().toBuilder().set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, peer).build();
            return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public Attributes getAttributes() {
                    return attributes;
                }
            }, headers);
        }
    }
}
