package reco.server.admin;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.model.generation.GenerationWriter;
import reco.server.ModelHolder;
import reco.server.RecoServer;
import reco.server.TestGenerations;
import reco.v1.ActivateRequest;
import reco.v1.ActivateResponse;
import reco.v1.AdminGrpc;
import reco.v1.GenerationInfo;
import reco.v1.GetModelInfoRequest;
import reco.v1.ListGenerationsRequest;
import reco.v1.RecommenderGrpc;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Admin ListGenerations and Activate (rollback over gRPC), and server reflection v1 beside v1alpha. */
class GenerationAdminTest {
    @TempDir
    Path root;

    private RecoServer server;
    private ManagedChannel channel;
    private String older;
    private String newer;

    @BeforeEach
    void start() throws Exception {
        older = TestGenerations.write(root).getFileName().toString();
        newer = TestGenerations.write(root, 13).getFileName().toString();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ModelHolder models = new ModelHolder(root, registry);
        models.loadCurrent();
        String name = InProcessServerBuilder.generateName();
        server = new RecoServer(InProcessServerBuilder.forName(name), models, registry).start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdown(Duration.ofSeconds(1));
    }

    private AdminGrpc.AdminBlockingStub admin() {
        return AdminGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private long servedItems() {
        return RecommenderGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .getModelInfo(GetModelInfoRequest.getDefaultInstance()).getItemCount();
    }

    @Test
    void listMarksCurrentAndServed() {
        List<GenerationInfo> list = admin().listGenerations(ListGenerationsRequest.getDefaultInstance()).getGenerationsList();
        assertEquals(List.of(newer, older), list.stream().map(GenerationInfo::getGenerationId).toList());
        GenerationInfo first = list.get(0);
        assertTrue(first.getCurrent() && first.getServed(), first.toString());
        assertEquals(13, first.getItems());
        assertTrue(first.getBytes() > 0 && first.hasCreatedAt() && first.getProblem().isEmpty(), first.toString());
        assertFalse(list.get(1).getCurrent() || list.get(1).getServed());
    }

    @Test
    void activateRollsBackAndReturnsOnceServed() throws Exception {
        assertEquals(13, servedItems());
        ActivateResponse response = admin().activate(ActivateRequest.newBuilder().setGenerationId(older).build());
        assertEquals(older, response.getGenerationId());
        assertEquals(newer, response.getPreviousGenerationId());
        assertEquals(12, servedItems(), "served when the call returns");
        assertEquals(older, GenerationWriter.readCurrent(root));
    }

    @Test
    void activateRefusesWithTheRightStatusAndKeepsServing() throws Exception {
        TestGenerations.publishCorruptCopy(root, root.resolve(older), "gen-corrupt");
        GenerationWriter.publishCurrent(root, newer);
        StatusRuntimeException corrupt = assertThrows(StatusRuntimeException.class,
                () -> admin().activate(ActivateRequest.newBuilder().setGenerationId("gen-corrupt").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, corrupt.getStatus().getCode());
        assertTrue(corrupt.getStatus().getDescription().contains("popularity"), corrupt.getStatus().toString());
        assertEquals(newer, GenerationWriter.readCurrent(root), "CURRENT untouched");
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                () -> admin().activate(ActivateRequest.newBuilder().setGenerationId("gen-nope").build())).getStatus().getCode());
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class,
                () -> admin().activate(ActivateRequest.newBuilder().setGenerationId("../etc").build())).getStatus().getCode());
        assertEquals(13, servedItems());
    }

    @Test
    void remoteCallersWithoutTheTokenCannotActivate() throws Exception {
        String name = InProcessServerBuilder.generateName();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ModelHolder models = new ModelHolder(root, registry);
        models.loadCurrent();
        RecoServer remote = new RecoServer(InProcessServerBuilder.forName(name)
                .intercept(new AdminAccessTest.PeerAddress(new InetSocketAddress("203.0.113.7", 50000))), models, registry).start();
        ManagedChannel ch = InProcessChannelBuilder.forName(name).build();
        try {
            AdminGrpc.AdminBlockingStub stub = AdminGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(StatusRuntimeException.class,
                    () -> stub.activate(ActivateRequest.newBuilder().setGenerationId(older).build())).getStatus().getCode());
            assertEquals(Status.Code.PERMISSION_DENIED, assertThrows(StatusRuntimeException.class,
                    () -> stub.listGenerations(ListGenerationsRequest.getDefaultInstance())).getStatus().getCode());
            assertEquals(newer, GenerationWriter.readCurrent(root));
        } finally {
            ch.shutdownNow();
            remote.shutdown(Duration.ofSeconds(1));
        }
    }

    /** grpcurl and ghz list services through reflection; older releases know only v1alpha. */
    @Test
    void reflectionV1AndV1alphaBothListServices() throws Exception {
        CompletableFuture<Set<String>> v1 = new CompletableFuture<>();
        ServerReflectionGrpc.newStub(channel).serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse r) {
                Set<String> names = new TreeSet<>();
                r.getListServicesResponse().getServiceList().forEach(s -> names.add(s.getName()));
                v1.complete(names);
            }

            @Override
            public void onError(Throwable t) {
                v1.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {}
        }).onNext(ServerReflectionRequest.newBuilder().setListServices("").build());

        CompletableFuture<Set<String>> v1alpha = new CompletableFuture<>();
        @SuppressWarnings("deprecation")
        var alphaStub = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel);
        alphaStub.serverReflectionInfo(new StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionResponse>() {
            @Override
            public void onNext(io.grpc.reflection.v1alpha.ServerReflectionResponse r) {
                Set<String> names = new TreeSet<>();
                r.getListServicesResponse().getServiceList().forEach(s -> names.add(s.getName()));
                v1alpha.complete(names);
            }

            @Override
            public void onError(Throwable t) {
                v1alpha.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {}
        }).onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());

        Set<String> fromV1 = v1.get(30, TimeUnit.SECONDS);
        Set<String> fromV1alpha = v1alpha.get(30, TimeUnit.SECONDS);
        assertTrue(fromV1.containsAll(Set.of("reco.v1.Recommender", "reco.v1.Admin", "grpc.health.v1.Health",
                "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection")), fromV1.toString());
        assertEquals(fromV1, fromV1alpha);
    }
}
