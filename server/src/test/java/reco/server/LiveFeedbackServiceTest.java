package reco.server;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.model.feedback.FeedbackStore;
import reco.server.admin.AdminAuthorization;
import reco.server.feedback.LiveFeedback;
import reco.v1.ExplainRequest;
import reco.v1.ExplainResponse;
import reco.v1.Interaction;
import reco.v1.Model;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommendResponse;
import reco.v1.RecommenderGrpc;
import reco.v1.RecordInteractionsRequest;
import reco.v1.RecordInteractionsResponse;
import reco.v1.ScoredItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static reco.server.TestGenerations.item;

/** RecordInteractions and how recorded events change RecommendForUser, in-process, on the fixture generation. */
class LiveFeedbackServiceTest {
    @TempDir
    Path root;
    @TempDir
    Path feedbackDir;

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private SimpleMeterRegistry registry;
    private RecoServer server;
    private ManagedChannel channel;
    private RecommenderGrpc.RecommenderBlockingStub stub;

    @BeforeEach
    void start() throws Exception {
        TestGenerations.write(root);
        start(FeedbackStore.Settings.defaults());
    }

    private void start(FeedbackStore.Settings settings) throws Exception {
        registry = new SimpleMeterRegistry();
        ModelHolder models = new ModelHolder(root, registry);
        models.loadCurrent();
        LiveFeedback feedback = LiveFeedback.open(feedbackDir, settings, registry, clock::get, Duration.ofMinutes(1));
        String name = InProcessServerBuilder.generateName();
        server = new RecoServer(InProcessServerBuilder.forName(name).directExecutor(), models, registry,
                reco.server.CallLimits.defaults(), AdminAuthorization.loopbackOnly(), null, feedback).start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        stub = RecommenderGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdown(Duration.ofSeconds(1));
    }

    private static Interaction event(String user, String item) {
        return Interaction.newBuilder().setUserId(user).setItemId(item).build();
    }

    private static RecordInteractionsRequest batch(Interaction... events) {
        return RecordInteractionsRequest.newBuilder().addAllInteractions(List.of(events)).build();
    }

    private static List<String> ids(RecommendResponse r) {
        return r.getItemsList().stream().map(ScoredItem::getItemId).toList();
    }

    private RecommendResponse forUser(String user, int k) {
        return stub.recommendForUser(RecommendForUserRequest.newBuilder().setUserId(user).setK(k).build());
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void aNewUsersRecordedEventsReplaceThePopularListAndAreNotRecommendedAgain() {
        RecommendResponse before = forUser("newcomer", 5);
        assertEquals(Model.MODEL_POPULARITY, before.getServedBy());

        RecordInteractionsResponse recorded = stub.recordInteractions(
                batch(event("newcomer", item(0)), event("newcomer", item(4)), event("newcomer", item(5))));
        assertEquals(3, recorded.getRecorded());
        assertEquals(0, recorded.getUnknownItems());

        RecommendResponse after = forUser("newcomer", 5);
        assertEquals(Model.MODEL_ITEM_KNN, after.getServedBy());
        assertNotEquals(ids(before), ids(after));
        for (String seen : List.of(item(0), item(4), item(5))) {
            assertFalse(ids(after).contains(seen), seen + " was recorded: " + ids(after));
        }
        // exactly what the same items sent as recent_item_ids give: one path for both
        RecommendResponse asRecent = stub.recommendForUser(RecommendForUserRequest.newBuilder().setUserId("someone-else")
                .setK(5).addRecentItemIds(item(0)).addRecentItemIds(item(4)).addRecentItemIds(item(5)).build());
        assertEquals(ids(asRecent), ids(after));
        assertEquals(3, count("reco.feedback.events.recorded"));
    }

    @Test
    void recordedItemsComeBackWithIncludeSeen() {
        stub.recordInteractions(batch(event("u", item(0))));
        RecommendResponse r = stub.recommendForUser(RecommendForUserRequest.newBuilder().setUserId("u").setK(12)
                .setIncludeSeen(true).build());
        assertTrue(ids(r).contains(item(0)), ids(r).toString());
        assertFalse(ids(forUser("u", 12)).contains(item(0)));
    }

    @Test
    void aKnownUsersRecordedItemsAreExcludedAndShapeTheirList() {
        RecommendResponse before = forUser("alice", 3);
        String first = before.getItems(0).getItemId();
        stub.recordInteractions(batch(event("alice", first)));
        RecommendResponse after = forUser("alice", 3);
        assertFalse(ids(after).contains(first));
    }

    @Test
    void eventsBelowTheThresholdCountAsSeenOnly() {
        // the fixture has no --min-weight: every positive weight counts; 0 and below are seen only
        stub.recordInteractions(batch(Interaction.newBuilder().setUserId("v").setItemId(item(3)).setWeight(0f).build()));
        RecommendResponse r = forUser("v", 12);
        assertEquals(Model.MODEL_POPULARITY, r.getServedBy());
        assertFalse(ids(r).contains(item(3)));
    }

    @Test
    void unknownItemsAreCountedListedAndNotRecorded() {
        RecordInteractionsResponse r = stub.recordInteractions(batch(event("w", "no-such"), event("w", item(1)),
                event("w", "no-such"), event("w", "other")));
        assertEquals(1, r.getRecorded());
        assertEquals(3, r.getUnknownItems());
        assertEquals(List.of("no-such", "other"), r.getUnknownItemIdsList());
        assertEquals(3, count("reco.feedback.events.rejected", "reason", "unknown-item"));
        assertEquals(1, count("reco.feedback.events.recorded"));
    }

    @Test
    void malformedBatchesAreRefusedWholeAndNothingOfThemIsRecorded() throws Exception {
        List<RecordInteractionsRequest> bad = List.of(
                RecordInteractionsRequest.getDefaultInstance(),
                batch(event("x", item(1)), event("", item(2))),
                batch(event("x", item(1)), event("x\ty", item(2))),
                batch(event("x", "a\nb")),
                batch(Interaction.newBuilder().setUserId("x").setItemId(item(1)).setWeight(Float.NaN).build()),
                batch(Interaction.newBuilder().setUserId("x").setItemId(item(1))
                        .setEventTime(Timestamp.newBuilder().setSeconds(clock.get() / 1000 + 2 * 86400)).build()),
                batch(event("x", "y".repeat(513))));
        for (RecordInteractionsRequest r : bad) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.recordInteractions(r));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        }
        assertTrue(stub.recordInteractions(batch(event("x", item(1)))).getRecorded() == 1);
        assertEquals(1, count("reco.feedback.events.recorded"));
        assertEquals(1, Files.readAllLines(feedbackDir.resolve("events.log")).size());
    }

    @Test
    void streamedBatchesAreSummedAndABadBatchEndsTheCallKeepingEarlierOnes() throws Exception {
        RecommenderGrpc.RecommenderStub async = RecommenderGrpc.newStub(channel);
        CompletableFuture<RecordInteractionsResponse> done = new CompletableFuture<>();
        StreamObserver<RecordInteractionsRequest> requests = async.recordInteractionsStream(observer(done));
        requests.onNext(batch(event("s", item(1)), event("s", "nope")));
        requests.onNext(batch(event("s", item(2))));
        requests.onCompleted();
        RecordInteractionsResponse total = done.get(10, TimeUnit.SECONDS);
        assertEquals(2, total.getRecorded());
        assertEquals(1, total.getUnknownItems());
        assertEquals(List.of("nope"), total.getUnknownItemIdsList());

        CompletableFuture<RecordInteractionsResponse> failed = new CompletableFuture<>();
        StreamObserver<RecordInteractionsRequest> more = async.recordInteractionsStream(observer(failed));
        more.onNext(batch(event("t", item(3))));
        more.onNext(batch(event("", item(3))));
        more.onCompleted();
        Exception e = assertThrows(Exception.class, () -> failed.get(10, TimeUnit.SECONDS));
        assertEquals(Status.Code.INVALID_ARGUMENT, Status.fromThrowable(e.getCause()).getCode());
        assertFalse(ids(forUser("t", 12)).contains(item(3)), "the batch before the bad one stays recorded");
    }

    private static StreamObserver<RecordInteractionsResponse> observer(CompletableFuture<RecordInteractionsResponse> done) {
        return new StreamObserver<>() {
            @Override
            public void onNext(RecordInteractionsResponse value) {
                done.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.completeExceptionally(new AssertionError("completed without a response"));
            }
        };
    }

    @Test
    void explainUsesRecordedEvents() {
        stub.recordInteractions(batch(event("e", item(0))));
        String recommended = forUser("e", 1).getItems(0).getItemId();
        ExplainResponse why = stub.explain(ExplainRequest.newBuilder().setUserId("e").setItemId(recommended).build());
        assertEquals(item(0), why.getContributions(0).getItemId());
    }

    @Test
    void recordedEventsSurviveARestartAndPerUserLimitsEvictTheOldest() throws Exception {
        stop();
        start(new FeedbackStore.Settings(2, Duration.ofDays(1), 100));
        stub.recordInteractions(batch(event("r", item(0)), event("r", item(4)), event("r", item(5))));
        assertEquals(1, count("reco.feedback.events.evicted", "reason", "per-user-limit"));
        List<String> beforeRestart = ids(forUser("r", 12));
        stop();
        start(new FeedbackStore.Settings(2, Duration.ofDays(1), 100));
        List<String> afterRestart = ids(forUser("r", 12));
        assertEquals(beforeRestart, afterRestart);
        assertFalse(afterRestart.contains(item(4)) || afterRestart.contains(item(5)));
        assertTrue(afterRestart.contains(item(0)), "item 0 was evicted by the per-user limit: " + afterRestart);
    }

    @Test
    void eventsPastTheTtlStopCounting() throws Exception {
        stub.recordInteractions(batch(event("old", item(0))));
        clock.addAndGet(Duration.ofDays(31).toMillis());
        assertEquals(Model.MODEL_POPULARITY, forUser("old", 3).getServedBy());
    }

    @Test
    void withoutLiveFeedbackRecordingIsAFailedPrecondition() throws Exception {
        try (InProcessServer plain = InProcessServer.start(root)) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> plain.stub().recordInteractions(batch(event("x", item(1)))));
            assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("--feedback"));
        }
    }
}
