package reco.server;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.model.format.ModelFormatException;
import reco.v1.EchoRequest;
import reco.v1.GetModelInfoRequest;
import reco.v1.RecommenderGrpc;
import reco.v1.SimilarItemsRequest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness, live generation swaps, refusal of damaged generations and lease-safe unmapping. */
class ModelSwapTest {
    @TempDir
    Path root;

    SimpleMeterRegistry registry;
    ModelHolder models;
    RecoServer server;
    ManagedChannel channel;
    RecommenderGrpc.RecommenderBlockingStub stub;
    HealthGrpc.HealthBlockingStub health;

    @BeforeEach
    void start() throws Exception {
        registry = new SimpleMeterRegistry();
        models = new ModelHolder(root, registry);
        String name = InProcessServerBuilder.generateName();
        server = new RecoServer(InProcessServerBuilder.forName(name).directExecutor(), models, registry).start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        stub = RecommenderGrpc.newBlockingStub(channel);
        health = HealthGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdown(Duration.ofSeconds(1));
    }

    private ServingStatus health(String service) {
        return health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    private static SimilarItemsRequest similar() {
        return SimilarItemsRequest.newBuilder().setItemId(TestGenerations.item(0)).setK(2).build();
    }

    /** Waits (bounded) for the watcher thread: a liveness wait, not a timing assertion. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private double refused(String reason) {
        Counter c = registry.find("reco.model.refused").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void unavailableAndNotServingUntilAGenerationLoads() throws Exception {
        assertEquals(ServingStatus.NOT_SERVING, health(""));
        assertEquals(ServingStatus.NOT_SERVING, health(RecoServer.SERVICE_NAME));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.similarItems(similar()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals(Status.Code.UNAVAILABLE, assertThrows(StatusRuntimeException.class,
                () -> stub.getModelInfo(GetModelInfoRequest.getDefaultInstance())).getStatus().getCode());
        // Validation does not need a model: a bad request is INVALID_ARGUMENT even now
        assertEquals(Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class,
                () -> stub.similarItems(similar().toBuilder().setK(0).build())).getStatus().getCode());
        // Echo needs no model
        assertEquals("x", stub.echo(EchoRequest.newBuilder().setPayload(com.google.protobuf.ByteString.copyFromUtf8("x")).build())
                .getPayload().toStringUtf8());
        assertNull(models.acquire());
        // no CURRENT yet: a clear MISSING error
        ModelFormatException missing = assertThrows(ModelFormatException.class, models::loadCurrent);
        assertEquals(ModelFormatException.Kind.MISSING, missing.kind());

        TestGenerations.write(root);
        assertTrue(models.loadCurrent());
        assertFalse(models.loadCurrent(), "the same generation is not loaded twice");
        assertEquals(ServingStatus.SERVING, health(""));
        assertEquals(ServingStatus.SERVING, health(RecoServer.SERVICE_NAME));
        assertEquals(2, stub.similarItems(similar()).getItemsCount());
    }

    @Test
    void watcherSwapsInNewGenerationsAndRefusesACorruptOne() throws Exception {
        Path first = TestGenerations.write(root);
        models.loadCurrent();
        models.startWatching(Duration.ofMillis(50));
        assertEquals(first.getFileName().toString(), stub.getModelInfo(GetModelInfoRequest.getDefaultInstance()).getGenerationId());

        Path second = TestGenerations.write(root, 13);
        String secondId = second.getFileName().toString();
        await("the watcher to publish " + secondId,
                () -> stub.getModelInfo(GetModelInfoRequest.getDefaultInstance()).getGenerationId().equals(secondId));
        assertEquals(13, stub.getModelInfo(GetModelInfoRequest.getDefaultInstance()).getItemCount());
        assertEquals(secondId, stub.similarItems(similar()).getGenerationId());
        assertEquals(2.0, registry.get("reco.model.reloads").counter().count());

        TestGenerations.publishCorruptCopy(root, second, "gen-99991231-000000-000-corrupt");
        await("the corrupt generation to be refused", () -> refused("corrupt") == 1.0);
        assertEquals(secondId, stub.getModelInfo(GetModelInfoRequest.getDefaultInstance()).getGenerationId());
        assertEquals(secondId, stub.similarItems(similar()).getGenerationId());
        assertEquals(ServingStatus.SERVING, health(RecoServer.SERVICE_NAME));
        // refused once, not retried on every poll while CURRENT still names it
        Thread.sleep(200);
        assertEquals(1.0, refused("corrupt"));
        assertEquals(2.0, registry.get("reco.model.reloads").counter().count());

        // the trainer publishes a good one again: picked up
        Path third = TestGenerations.write(root);
        await("the watcher to publish the third generation", () -> stub.getModelInfo(
                GetModelInfoRequest.getDefaultInstance()).getGenerationId().equals(third.getFileName().toString()));
    }

    @Test
    void atAColdStartACorruptCurrentFallsBackToTheNewestGenerationThatValidates() throws Exception {
        Path older = TestGenerations.write(root);
        Path newer = TestGenerations.write(root, 13);
        TestGenerations.publishCorruptCopy(root, newer, "gen-99991231-000000-000-corrupt");
        assertTrue(models.loadCurrent());
        assertEquals(newer.getFileName().toString(), models.peek().generation().directory().getFileName().toString(),
                "the newest generation that validates, not the corrupt one CURRENT names");
        assertEquals(1.0, refused("corrupt"));
        assertEquals(ServingStatus.SERVING, health(""));
        // CURRENT still names the corrupt one: not retried on every poll, and nothing else is loaded
        assertFalse(models.loadCurrent());
        assertEquals(1.0, refused("corrupt"));
        assertTrue(java.nio.file.Files.isDirectory(older));
        // once serving, a bad CURRENT never replaces what is served
        java.nio.file.Files.writeString(root.resolve("CURRENT"), "../elsewhere\n");
        assertThrows(ModelHolder.GenerationRefusedException.class, models::loadCurrent);
        assertEquals(1.0, refused("current"));
        assertEquals(newer.getFileName().toString(), models.peek().generation().directory().getFileName().toString());
    }

    @Test
    void corruptGenerationIsRefusedWithTheFormatErrorAndNothingIsServedWhenNoOtherValidates() throws Exception {
        Path good = TestGenerations.write(root);
        TestGenerations.publishCorruptCopy(root, good, "gen-corrupt");
        TestGenerations.publishCorruptCopy(root, good, "gen-99991231-000000-000-also-corrupt");
        reco.model.generation.GenerationWriter.publishCurrent(root, "gen-corrupt");
        try (var files = java.nio.file.Files.walk(good)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }
        ModelHolder.GenerationRefusedException e = assertThrows(ModelHolder.GenerationRefusedException.class, models::loadCurrent);
        assertInstanceOf(ModelFormatException.class, e.getCause());
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("popularity.bin"), e.getMessage());
        assertEquals(2.0, refused("corrupt"), "CURRENT's generation, then the only other one");
        assertFalse(models.isLoaded());
        assertEquals(ServingStatus.NOT_SERVING, health(""));
    }

    @Test
    void theWatcherSurvivesAnErrorAndAnErrorInWarmUpLeaksNoMapping() throws Exception {
        models.close();
        server.shutdown(Duration.ofSeconds(1));
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<reco.model.generation.Generation> failed = new java.util.concurrent.atomic.AtomicReference<>();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ModelHolder holder = new ModelHolder(root, meters, g -> {
            if (calls.incrementAndGet() == 1) {
                failed.set(g);
                throw new OutOfMemoryError("simulated: heap exhausted while warming up");
            }
            return new reco.model.scoring.Recommender(g);
        });
        try {
            TestGenerations.write(root);
            holder.startWatching(Duration.ofMillis(50));
            await("the watcher to load the generation after the Error", holder::isLoaded);
            assertTrue(calls.get() >= 2);
            assertEquals(1.0, meters.get("reco.model.poll.failures").tag("reason", "error").counter().count());
            assertThrows(IllegalStateException.class, () -> failed.get().itemIds().id(0),
                    "the generation whose warm-up threw was unmapped");
            await("a successful poll", () -> !Double.isNaN(meters.get("reco.model.poll.last.success").gauge().value()));
            double lastPoll = meters.get("reco.model.poll.last.success").gauge().value();
            assertTrue(lastPoll > System.currentTimeMillis() / 1000.0 - 60, "seconds since the epoch: " + lastPoll);
        } finally {
            holder.close();
        }
    }

    @Test
    void aGenerationChangedInPlaceWhileServedIsReplacedByTheNewestThatValidates() throws Exception {
        Path older = TestGenerations.write(root);
        Path served = TestGenerations.write(root, 13);
        models.loadCurrent();
        models.startWatching(Duration.ofMillis(50));
        // someone truncates a served file in place: the next poll notices before any call reads it
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(
                served.resolve(reco.model.generation.GenerationFiles.POPULARITY), java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(64);
        }
        await("the older generation to replace the damaged one", () -> models.peek() != null
                && models.peek().generation().directory().equals(older));
        assertEquals(1.0, refused("changed"));
        assertEquals(12, stub.getModelInfo(GetModelInfoRequest.getDefaultInstance()).getItemCount());
        assertEquals(ServingStatus.SERVING, health(""));
    }

    @Test
    void aFaultInACallRevalidatesAndWithdrawsAGenerationWithNoValidReplacement() throws Exception {
        Path only = TestGenerations.write(root);
        models.loadCurrent();
        try (ServedGeneration.Lease lease = models.acquire()) {
            lease.reportFault(new InternalError("simulated: a fault occurred in an unsafe memory access operation"));
        }
        Thread.sleep(200);
        assertTrue(models.isLoaded(), "its files are intact: re-validated and kept");
        assertEquals(1.0, registry.get("reco.model.call.faults").counter().count());

        java.nio.file.Files.write(only.resolve(reco.model.generation.GenerationFiles.USER_HISTORIES), new byte[10]);
        try (ServedGeneration.Lease lease = models.acquire()) {
            lease.reportFault(new InternalError("simulated"));
        }
        await("the damaged generation to be withdrawn", () -> !models.isLoaded());
        assertEquals(ServingStatus.NOT_SERVING, health(""));
        assertEquals(Status.Code.UNAVAILABLE, assertThrows(StatusRuntimeException.class, () -> stub.similarItems(similar()))
                .getStatus().getCode());
        // a new generation is served again
        TestGenerations.write(root);
        assertTrue(models.loadCurrent());
        assertEquals(ServingStatus.SERVING, health(""));
    }

    @Test
    void replacedGenerationStaysMappedUntilItsLastLeaseIsReleased() throws Exception {
        Path first = TestGenerations.write(root);
        models.loadCurrent();
        ServedGeneration.Lease held = models.acquire();
        ServedGeneration old = held.served();

        Path second = TestGenerations.write(root, 13);
        assertTrue(models.loadCurrent());
        try (ServedGeneration.Lease fresh = models.acquire()) {
            assertEquals(second.getFileName().toString(), fresh.generation().id());
        }
        assertFalse(old.isClosed(), "a replaced generation with a call in flight must stay mapped");
        // the in-flight call still reads its own generation's mapped data
        assertEquals(first.getFileName().toString(), held.generation().id());
        assertEquals("item-11", held.generation().itemIds().id(11));
        assertEquals(12, held.recommender().popular(12, reco.model.scoring.ItemFilter.ALLOW_ALL, null, null).size());

        held.close();
        assertTrue(old.isClosed(), "the last release closes the replaced generation");
        old.unmapped().get(10, TimeUnit.SECONDS); // unmapped off the releasing thread
        held.close(); // idempotent
        assertFalse(models.peek().isClosed());
    }

    @Test
    void shutdownReportsNotServingAndUnmaps() throws Exception {
        TestGenerations.write(root);
        models.loadCurrent();
        ServedGeneration served = models.peek();
        assertEquals(ServingStatus.SERVING, health(""));
        server.shutdown(Duration.ofSeconds(1));
        assertTrue(server.isTerminated());
        assertTrue(served.isClosed());
        assertTrue(served.unmapped().isDone(), "shutdown waits for the unmapping");
        assertFalse(models.isLoaded());
    }

    @Test
    void reflectionListsTheServices() throws Exception {
        List<String> services = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel).serverReflectionInfo(
                new StreamObserver<>() {
                    @Override public void onNext(ServerReflectionResponse r) {
                        r.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).forEach(services::add);
                    }
                    @Override public void onError(Throwable t) { done.countDown(); }
                    @Override public void onCompleted() { done.countDown(); }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertTrue(services.contains("reco.v1.Recommender"), services.toString());
        assertTrue(services.contains("grpc.health.v1.Health"), services.toString());
    }
}
