package reco.server;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.model.format.ModelFileFormat;
import reco.v1.BatchRecommendForUserRequest;
import reco.v1.BatchRecommendResponse;
import reco.v1.BatchSimilarItemsRequest;
import reco.v1.EchoRequest;
import reco.v1.Filter;
import reco.v1.GetModelInfoRequest;
import reco.v1.Model;
import reco.v1.ModelInfo;
import reco.v1.ModelSummary;
import reco.v1.RecommendForItemsRequest;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommendResponse;
import reco.v1.RecommenderGrpc;
import reco.v1.ScoredItem;
import reco.v1.SimilarItemsRequest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static reco.server.TestGenerations.item;

/** Every RPC against the known-answer fixture generation (see {@link TestGenerations} for the data). */
class RecommenderServiceTest {
    @TempDir
    static Path root;

    static SimpleMeterRegistry registry;
    static ModelHolder models;
    static InProcessServer fixture;
    static RecommenderGrpc.RecommenderBlockingStub stub;
    static String generationId;

    @BeforeAll
    static void start() throws Exception {
        Path dir = TestGenerations.write(root);
        generationId = dir.getFileName().toString();
        fixture = InProcessServer.start(root);
        registry = fixture.registry;
        models = fixture.models;
        stub = fixture.stub();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    private static List<String> ids(RecommendResponse r) {
        return r.getItemsList().stream().map(ScoredItem::getItemId).toList();
    }

    private static Status.Code code(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    private static SimilarItemsRequest.Builder similar(String itemId, int k) {
        return SimilarItemsRequest.newBuilder().setItemId(itemId).setK(k).setModel(Model.MODEL_ITEM_KNN);
    }

    private static RecommendForUserRequest.Builder forUser(String userId, int k) {
        return RecommendForUserRequest.newBuilder().setUserId(userId).setK(k).setModel(Model.MODEL_ITEM_KNN);
    }

    // ---------------------------------------------------------------- happy paths

    @Test
    void similarItemsReturnsTheNeighbourListBestFirstWithMetadata() {
        RecommendResponse r = stub.similarItems(similar(item(0), 3).build());
        assertEquals(List.of(item(1), item(2), item(3)), ids(r));
        assertEquals(0.9f, r.getItems(0).getScore(), 1e-6);
        assertEquals(Model.MODEL_ITEM_KNN, r.getServedBy());
        assertFalse(r.getFallback());
        assertEquals("", r.getFallbackReason());
        assertEquals(generationId, r.getGenerationId());
        assertEquals("Movie 1", r.getItems(0).getTitle());
        assertEquals(List.of("Action", "Comedy"), r.getItems(0).getCategoriesList());
    }

    @Test
    void omitMetadataLeavesTitleAndCategoriesEmpty() {
        RecommendResponse r = stub.similarItems(similar(item(0), 3).setOmitMetadata(true).build());
        assertEquals(List.of(item(1), item(2), item(3)), ids(r));
        assertEquals("", r.getItems(0).getTitle());
        assertEquals(0, r.getItems(0).getCategoriesCount());
    }

    @Test
    void unspecifiedModelMeansTheGenerationDefault() {
        RecommendResponse r = stub.similarItems(SimilarItemsRequest.newBuilder().setItemId(item(0)).setK(2).build());
        assertEquals(Model.MODEL_ITEM_KNN, r.getServedBy());
        assertEquals(List.of(item(1), item(2)), ids(r));
    }

    @Test
    void itemWithoutNeighboursFallsBackToContent() {
        RecommendResponse r = stub.similarItems(similar(item(11), 2).build());
        assertTrue(r.getFallback());
        assertEquals(Model.MODEL_CONTENT, r.getServedBy());
        assertFalse(r.getFallbackReason().isEmpty());
        // content neighbours of item-11 (Documentary, Drama): the nearest Drama items
        assertEquals(List.of(item(9), item(8)), ids(r));
    }

    @Test
    void contentAndHybridModelsServe() {
        RecommendResponse content = stub.similarItems(similar(item(0), 2).setModel(Model.MODEL_CONTENT).build());
        assertEquals(Model.MODEL_CONTENT, content.getServedBy());
        assertEquals(List.of(item(1), item(4)), ids(content)); // Action items nearest to item-0
        RecommendResponse hybrid = stub.similarItems(similar(item(0), 3).setModel(Model.MODEL_HYBRID).build());
        assertEquals(Model.MODEL_HYBRID, hybrid.getServedBy());
        // item-1 is first in both item-knn (0.9/0.9 x 1.0) and content (0.5/0.5 x 0.3)
        assertEquals(item(1), hybrid.getItems(0).getItemId());
        assertEquals(1.3f, hybrid.getItems(0).getScore(), 1e-5);
    }

    @Test
    void recommendForUserExcludesSeenItemsIncludingBelowThresholdOnes() {
        // alice: item-0 (5), item-1 (4), item-2 (0, seen only). item-knn scores: 2: 6.6, 1: 4.5, 3: 3.9, 4: 1.2
        RecommendResponse r = stub.recommendForUser(forUser("alice", 3).build());
        assertEquals(List.of(item(3), item(4), item(5)), ids(r)); // item-5: popularity backfill
        assertEquals(3.9f, r.getItems(0).getScore(), 1e-5);
        assertEquals(Model.MODEL_ITEM_KNN, r.getServedBy());
        assertFalse(r.getFallback());
    }

    @Test
    void includeSeenReRecommendsHistory() {
        RecommendResponse r = stub.recommendForUser(forUser("alice", 3).setIncludeSeen(true).build());
        assertEquals(List.of(item(2), item(1), item(3)), ids(r));
    }

    @Test
    void unknownUserGetsPopularItemsAsAFallback() {
        double before = fallbackCount(RecommenderService.FALLBACK_UNKNOWN_USER);
        RecommendResponse r = stub.recommendForUser(forUser("zed", 3).build());
        assertEquals(List.of(item(0), item(1), item(3)), ids(r));
        assertEquals(Model.MODEL_POPULARITY, r.getServedBy());
        assertTrue(r.getFallback());
        assertTrue(r.getFallbackReason().contains("unknown user"), r.getFallbackReason());
        assertEquals(generationId, r.getGenerationId());
        assertEquals(before + 1, fallbackCount(RecommenderService.FALLBACK_UNKNOWN_USER));
    }

    @Test
    void unknownUserWithRecentItemsIsScoredFromThem() {
        RecommendResponse r = stub.recommendForUser(forUser("zed", 2).addRecentItemIds(item(0)).addRecentItemIds("no-such").build());
        assertEquals(Model.MODEL_ITEM_KNN, r.getServedBy());
        assertEquals(List.of(item(1), item(2)), ids(r));
        assertTrue(r.getFallback());
    }

    @Test
    void userWithoutPositiveHistoryGetsPopularItemsExceptSeenOnes() {
        double before = fallbackCount(RecommenderService.FALLBACK_NO_HISTORY);
        RecommendResponse r = stub.recommendForUser(forUser("dave", 12).build());
        assertEquals(Model.MODEL_POPULARITY, r.getServedBy());
        assertTrue(r.getFallback());
        assertEquals(11, r.getItemsCount());
        assertFalse(ids(r).contains(item(7)));
        assertEquals(before + 1, fallbackCount(RecommenderService.FALLBACK_NO_HISTORY));
    }

    @Test
    void alsScoresKnownUsersFromTheirVector() {
        // bob's vector is (cos 1.5, sin 1.5); items are (cos i/2, sin i/2): best unseen is item-2 (angle 1.0), then item-6? no:
        // cos(1.0-1.5)=0.878 (item-2), cos(1.5-1.5)=1 is item-3 (seen), item-4 0.878 (seen), item-1 0.540, item-6 0.540 ...
        RecommendResponse r = stub.recommendForUser(forUser("bob", 1).setModel(Model.MODEL_ALS).build());
        assertEquals(Model.MODEL_ALS, r.getServedBy());
        assertEquals(List.of(item(2)), ids(r));
        assertEquals(Math.cos(0.5), r.getItems(0).getScore(), 1e-5);
    }

    @Test
    void popularityModelCanBeRequestedExplicitly() {
        RecommendResponse r = stub.recommendForUser(forUser("alice", 2).setModel(Model.MODEL_POPULARITY).build());
        assertEquals(Model.MODEL_POPULARITY, r.getServedBy());
        assertFalse(r.getFallback());
        assertEquals(List.of(item(3), item(4)), ids(r));
    }

    @Test
    void recommendForItemsAggregatesKnownItemsAndIgnoresUnknownOnes() {
        RecommendResponse r = stub.recommendForItems(RecommendForItemsRequest.newBuilder()
                .addItemIds(item(0)).addItemIds("no-such-item").setK(2).setModel(Model.MODEL_ITEM_KNN).build());
        assertEquals(List.of(item(1), item(2)), ids(r));
        assertEquals(Model.MODEL_ITEM_KNN, r.getServedBy());
        RecommendResponse withInputs = stub.recommendForItems(RecommendForItemsRequest.newBuilder()
                .addItemIds(item(0)).addItemIds(item(1)).setK(1).setIncludeInputItems(true).build());
        // 1: 0.9 (from 0); 2: 0.6 + 0.9 = 1.5 -> item-2 first
        assertEquals(List.of(item(2)), ids(withInputs));
    }

    @Test
    void recommendForItemsWithoutNeighboursIsALabelledPopularityFallback() {
        RecommendResponse r = stub.recommendForItems(RecommendForItemsRequest.newBuilder()
                .addItemIds(item(11)).setK(2).setModel(Model.MODEL_ITEM_KNN).build());
        assertEquals(Model.MODEL_POPULARITY, r.getServedBy());
        assertTrue(r.getFallback());
        assertEquals(List.of(item(0), item(1)), ids(r));
    }

    @Test
    void getModelInfoDescribesTheGeneration() {
        ModelInfo info = stub.getModelInfo(GetModelInfoRequest.getDefaultInstance());
        assertEquals(generationId, info.getGenerationId());
        assertEquals(12, info.getItemCount());
        assertEquals(4, info.getUserCount());
        assertEquals(9, info.getInteractionCount());
        assertEquals(Model.MODEL_ITEM_KNN, info.getDefaultModel());
        assertEquals(ModelFileFormat.CURRENT_VERSION, info.getFormatVersion());
        assertEquals(TestGenerations.TRAINER_VERSION, info.getTrainerVersion());
        assertTrue(info.getCreatedAt().getSeconds() > 0);
        assertTrue(info.getLoadedAt().getSeconds() >= info.getCreatedAt().getSeconds());
        List<Model> served = info.getModelsList().stream().map(ModelSummary::getModel).toList();
        assertEquals(List.of(Model.MODEL_CONTENT, Model.MODEL_ITEM_KNN, Model.MODEL_ALS, Model.MODEL_HYBRID,
                Model.MODEL_POPULARITY), served);
        ModelSummary knn = info.getModels(1);
        assertEquals(3, knn.getNeighborsPerItem());
        assertTrue(knn.getRecommendsForUsers());
        assertEquals(2, info.getModels(2).getDimensions());
    }

    @Test
    void echoReturnsThePayload() {
        ByteString payload = ByteString.copyFromUtf8("ping");
        assertEquals(payload, stub.echo(EchoRequest.newBuilder().setPayload(payload).build()).getPayload());
    }

    // ---------------------------------------------------------------- filters

    @Test
    void filtersExcludeItemsAndCategories() {
        assertEquals(List.of(item(2), item(3)), ids(stub.similarItems(similar(item(0), 3)
                .setFilter(Filter.newBuilder().addExcludeItemIds(item(1)).addExcludeItemIds("unknown")).build())));
        assertEquals(List.of(item(3)), ids(stub.similarItems(similar(item(0), 3)
                .setFilter(Filter.newBuilder().addIncludeCategories("Drama")).build())));
        assertEquals(List.of(item(3)), ids(stub.similarItems(similar(item(0), 3)
                .setFilter(Filter.newBuilder().addExcludeCategories("Comedy").addExcludeCategories("Western")).build())));
    }

    @Test
    void unknownIncludedCategoryMatchesNothing() {
        assertEquals(List.of(), ids(stub.similarItems(similar(item(0), 3)
                .setFilter(Filter.newBuilder().addIncludeCategories("Western")).build())));
    }

    @Test
    void allowListRestrictsAndAnAllUnknownAllowListAllowsNothing() {
        assertEquals(List.of(item(2)), ids(stub.similarItems(similar(item(0), 3)
                .setFilter(Filter.newBuilder().addAllowItemIds(item(2)).addAllowItemIds("unknown")).build())));
        assertEquals(List.of(), ids(stub.similarItems(similar(item(0), 3)
                .setFilter(Filter.newBuilder().addAllowItemIds("unknown")).build())));
        assertEquals(List.of(), ids(stub.recommendForUser(forUser("zed", 3)
                .setFilter(Filter.newBuilder().addAllowItemIds("unknown")).build())));
    }

    @Test
    void filtersApplyToPopularityFallbacksToo() {
        RecommendResponse r = stub.recommendForUser(forUser("zed", 2)
                .setFilter(Filter.newBuilder().addIncludeCategories("Horror")).build());
        assertEquals(List.of(item(6), item(10)), ids(r));
    }

    // ---------------------------------------------------------------- errors

    @Test
    void invalidArguments() {
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.similarItems(similar(item(0), 0).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.similarItems(similar(item(0), 1001).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.similarItems(similar("", 3).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.similarItems(similar("x".repeat(513), 3).build())));
        // 171 three-byte chars = 513 bytes of UTF-8 although only 171 chars
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.recommendForUser(forUser("€".repeat(171), 3).build())));
        stub.recommendForUser(forUser("€".repeat(170), 3).build()); // 510 bytes: fine
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.recommendForUser(forUser("", 3).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.recommendForItems(
                RecommendForItemsRequest.newBuilder().setK(3).build())));
        RecommendForItemsRequest.Builder tooMany = RecommendForItemsRequest.newBuilder().setK(3);
        for (int i = 0; i < 1001; i++) {
            tooMany.addItemIds(item(i % 12));
        }
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.recommendForItems(tooMany.build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.similarItems(similar(item(0), 3).setModelValue(99).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.similarItems(similar(item(0), 3)
                .setFilter(Filter.newBuilder().addIncludeCategories("Drama").addExcludeCategories("Drama")).build())));
        Filter.Builder hugeFilter = Filter.newBuilder();
        for (int i = 0; i < 10_001; i++) {
            hugeFilter.addExcludeItemIds("x");
        }
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.similarItems(similar(item(0), 3).setFilter(hugeFilter).build())));
    }

    @Test
    void modelTheGenerationLacksIsInvalidArgument() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> stub.similarItems(similar(item(0), 3).setModel(Model.MODEL_EASE).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("ease"), e.getStatus().getDescription());
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.recommendForUser(forUser("alice", 3).setModel(Model.MODEL_EASE).build())));
        // ALS has embeddings but no neighbour lists: similar items cannot be served from it
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.similarItems(similar(item(0), 3).setModel(Model.MODEL_ALS).build())));
    }

    @Test
    void unknownItemsAreNotFound() {
        assertEquals(Status.Code.NOT_FOUND, code(() -> stub.similarItems(similar("no-such-item", 3).build())));
        assertEquals(Status.Code.NOT_FOUND, code(() -> stub.recommendForItems(RecommendForItemsRequest.newBuilder()
                .addItemIds("a").addItemIds("b").setK(3).build())));
    }

    @Test
    void batchesAnswerEachEntryWithItsOwnStatus() {
        BatchRecommendResponse r = stub.batchSimilarItems(BatchSimilarItemsRequest.newBuilder()
                .addRequests(similar(item(0), 2))
                .addRequests(similar("no-such-item", 2))
                .addRequests(similar(item(0), 0))
                .addRequests(similar(item(1), 1).setModel(Model.MODEL_EASE))
                .build());
        assertEquals(4, r.getResultsCount());
        assertEquals(0, r.getResults(0).getStatusCode());
        assertEquals(List.of(item(1), item(2)), ids(r.getResults(0).getResponse()));
        assertEquals(Status.Code.NOT_FOUND.value(), r.getResults(1).getStatusCode());
        assertFalse(r.getResults(1).getErrorMessage().isEmpty());
        assertEquals(Status.Code.INVALID_ARGUMENT.value(), r.getResults(2).getStatusCode());
        assertEquals(Status.Code.INVALID_ARGUMENT.value(), r.getResults(3).getStatusCode());

        BatchRecommendResponse users = stub.batchRecommendForUser(BatchRecommendForUserRequest.newBuilder()
                .addRequests(forUser("alice", 3))
                .addRequests(forUser("zed", 1))
                .addRequests(forUser("", 1))
                .build());
        assertEquals(List.of(item(3), item(4), item(5)), ids(users.getResults(0).getResponse()));
        assertTrue(users.getResults(1).getResponse().getFallback());
        assertEquals(Status.Code.INVALID_ARGUMENT.value(), users.getResults(2).getStatusCode());
    }

    @Test
    void batchSizeOutOfRangeFailsTheWholeCall() {
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.batchSimilarItems(BatchSimilarItemsRequest.getDefaultInstance())));
        BatchRecommendForUserRequest.Builder big = BatchRecommendForUserRequest.newBuilder();
        for (int i = 0; i < 1001; i++) {
            big.addRequests(forUser("alice", 1));
        }
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.batchRecommendForUser(big.build())));
    }

    // ---------------------------------------------------------------- deadlines and cancellation

    @Test
    void expiredDeadlineIsDeadlineExceeded() {
        assertEquals(Status.Code.DEADLINE_EXCEEDED, code(() -> stub.withDeadlineAfter(1, TimeUnit.NANOSECONDS)
                .similarItems(similar(item(0), 3).build())));
    }

    @Test
    void serviceChecksTheCallContextBeforeWorking() {
        RecommenderService service = new RecommenderService(models, registry);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (Context.CancellableContext expired = Context.current().withDeadlineAfter(-1, TimeUnit.SECONDS, scheduler)) {
            Recorder<RecommendResponse> recorder = new Recorder<>();
            expired.run(() -> service.similarItems(similar(item(0), 3).build(), recorder));
            assertEquals(Status.Code.DEADLINE_EXCEEDED, recorder.status().getCode());
        } finally {
            scheduler.shutdownNow();
        }
        Context.CancellableContext cancelled = Context.current().withCancellation();
        cancelled.cancel(null);
        Recorder<RecommendResponse> recorder = new Recorder<>();
        cancelled.run(() -> service.recommendForUser(forUser("alice", 3).build(), recorder));
        assertEquals(Status.Code.CANCELLED, recorder.status().getCode());
    }

    @Test
    void unexpectedExceptionsBecomeInternalWithAGenericMessage() {
        Status s = Statuses.toStatus(new IllegalStateException("secret detail"), "Test");
        assertEquals(Status.Code.INTERNAL, s.getCode());
        assertFalse(s.getDescription().contains("secret"));
    }

    // ---------------------------------------------------------------- metrics

    @Test
    void grpcAndModelMetricsAreRecorded() {
        stub.similarItems(similar(item(0), 1).build());
        assertNotNull(registry.find("grpc.server.processing.duration").tag("method", "SimilarItems").timer());
        assertEquals(12.0, registry.get("reco.model.items").gauge().value());
        assertEquals(4.0, registry.get("reco.model.users").gauge().value());
        assertTrue(registry.get("reco.model.loaded.time").gauge().value() > 0);
        assertEquals(1.0, registry.get("reco.model.reloads").counter().count());
        registry.getMeters().forEach(m -> m.getId().getTags().forEach(t ->
                assertFalse(t.getValue().startsWith("item-") || t.getValue().equals("alice"), m.getId().toString())));
    }

    private static double fallbackCount(String reason) {
        return registry.get("reco.recommendations.fallbacks").tag("reason", reason).counter().count();
    }

    /** Captures what a service method sends. */
    static final class Recorder<T> implements StreamObserver<T> {
        final List<T> values = new ArrayList<>();
        Throwable error;
        boolean completed;

        @Override public void onNext(T value) { values.add(value); }
        @Override public void onError(Throwable t) { error = t; }
        @Override public void onCompleted() { completed = true; }

        Status status() {
            assertNotNull(error, "expected an error, got " + values);
            return Status.fromThrowable(error);
        }
    }
}
