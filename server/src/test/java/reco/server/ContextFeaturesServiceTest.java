package reco.server;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.model.generation.GenerationFiles;
import reco.v1.Contribution;
import reco.v1.ExplainRequest;
import reco.v1.ExplainResponse;
import reco.v1.Model;
import reco.v1.RecommendForItemsRequest;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommendResponse;
import reco.v1.RecommenderGrpc;
import reco.v1.ScoredItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static reco.server.TestGenerations.item;

/**
 * Explain, re-ranking knobs, reasons and business rules over gRPC, on the {@link TestGenerations}
 * fixture with a block list (item-5) added to the generation.
 */
class ContextFeaturesServiceTest {
    @TempDir
    static Path root;
    static ModelHolder models;
    static InProcessServer fixture;
    static RecommenderGrpc.RecommenderBlockingStub stub;

    @BeforeAll
    static void start() throws Exception {
        TestGenerations.write(root, TestGenerations.BASE_ITEMS, "# withdrawn\nitem-5\n");
        fixture = InProcessServer.start(root);
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

    private static RecommendForUserRequest.Builder alice(int k) {
        return RecommendForUserRequest.newBuilder().setUserId("alice").setK(k).setModel(Model.MODEL_ITEM_KNN);
    }

    // ---------------------------------------------------------------- Explain

    @Test
    void explainDecomposesTheItemKnnScore() {
        // alice: item-0 (5), item-1 (4). item-3 is in item-0's list at 0.3 and item-1's at 0.6: 1.5 + 2.4
        ExplainResponse r = stub.explain(ExplainRequest.newBuilder().setUserId("alice").setItemId(item(3))
                .setModel(Model.MODEL_ITEM_KNN).build());
        assertEquals(3.9f, r.getScore(), 1e-5);
        assertEquals(Model.MODEL_ITEM_KNN, r.getModel());
        assertEquals(2, r.getContributionsCount());
        Contribution top = r.getContributions(0);
        assertEquals(item(1), top.getItemId());
        assertEquals("Movie 1", top.getTitle());
        assertEquals(2.4f, top.getContribution(), 1e-5);
        assertEquals(4f, top.getWeight(), 1e-6);
        assertEquals(0.6f, top.getSimilarity(), 1e-6);
        assertEquals("because you watched Movie 1 and Movie 0", r.getReason());
    }

    @Test
    void explainForItemsListsSharedCategoriesForContent() {
        // content: item-3 (Drama) and item-8 (Drama) share Drama
        ExplainResponse r = stub.explain(ExplainRequest.newBuilder().addItemIds(item(3)).setItemId(item(8))
                .setModel(Model.MODEL_CONTENT).build());
        assertEquals(1, r.getContributionsCount());
        assertEquals(List.of("Drama"), r.getContributions(0).getSharedCategoriesList());
        assertEquals(1f / 6, r.getScore(), 1e-6);
        assertTrue(r.getReason().startsWith("because of Movie 3"));
    }

    @Test
    void explainRejectsBadRequests() {
        assertEquals(Status.Code.NOT_FOUND, code(() -> stub.explain(ExplainRequest.newBuilder().setUserId("alice")
                .setItemId("no-such-item").build())));
        assertEquals(Status.Code.NOT_FOUND, code(() -> stub.explain(ExplainRequest.newBuilder().setUserId("stranger")
                .setItemId(item(3)).build())));
        assertEquals(Status.Code.NOT_FOUND, code(() -> stub.explain(ExplainRequest.newBuilder().addItemIds("nope")
                .setItemId(item(3)).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.explain(ExplainRequest.newBuilder().setUserId("alice")
                .addItemIds(item(1)).setItemId(item(3)).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.explain(ExplainRequest.newBuilder().setItemId(item(3)).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.explain(ExplainRequest.newBuilder().setUserId("alice")
                .setItemId(item(3)).setModel(Model.MODEL_POPULARITY).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.explain(ExplainRequest.newBuilder().setUserId("alice")
                .setItemId(item(3)).setMaxContributions(101).build())));
        // the fixture's ALS stores no fold-in objective: its scores cannot be decomposed
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.explain(ExplainRequest.newBuilder().setUserId("alice")
                .setItemId(item(3)).setModel(Model.MODEL_ALS).build())));
    }

    // ---------------------------------------------------------------- recommend knobs

    @Test
    void explainFlagAttachesReasons() {
        RecommendResponse plain = stub.recommendForUser(alice(3).build());
        assertEquals("", plain.getItems(0).getReason());
        RecommendResponse r = stub.recommendForUser(alice(3).setExplain(true).build());
        assertEquals(ids(plain), ids(r), "explain alone does not re-rank");
        assertEquals(item(3), r.getItems(0).getItemId());
        assertEquals("because you watched Movie 1", r.getItems(0).getReason());
        RecommendResponse unknown = stub.recommendForUser(RecommendForUserRequest.newBuilder().setUserId("stranger")
                .setK(2).setExplain(true).build());
        assertEquals("popular in Action", unknown.getItems(0).getReason());
    }

    @Test
    void diversityChangesTheList() {
        RecommendResponse plain = stub.recommendForUser(alice(4).build());
        RecommendResponse diverse = stub.recommendForUser(alice(4).setDiversity(0.9f).build());
        assertNotEquals(ids(plain), ids(diverse));
        assertEquals(ids(plain).getFirst(), ids(diverse).getFirst(), "the most relevant item still leads");
        RecommendResponse sameAgain = stub.recommendForUser(alice(4).setDiversity(0.9f).build());
        assertEquals(ids(diverse), ids(sameAgain));
    }

    @Test
    void categoryBoostsBuryACategory() {
        RecommendResponse r = stub.recommendForItems(RecommendForItemsRequest.newBuilder().addItemIds(item(0)).setK(6)
                .setModel(Model.MODEL_CONTENT).putCategoryBoosts("Action", 0f).build());
        for (ScoredItem i : r.getItemsList()) {
            assertFalse(i.getCategoriesList().contains("Action"), i.getItemId() + " " + i.getCategoriesList());
        }
    }

    @Test
    void blockListHidesItemsEverywhere() {
        // item-5 would be 6th most popular
        RecommendResponse r = stub.recommendForUser(RecommendForUserRequest.newBuilder().setUserId("stranger").setK(11).build());
        assertFalse(ids(r).contains(item(5)));
        assertEquals(11, r.getItemsCount());
        RecommendResponse similar = stub.similarItems(reco.v1.SimilarItemsRequest.newBuilder().setItemId(item(3)).setK(3)
                .setModel(Model.MODEL_ITEM_KNN).build());
        assertEquals(List.of(item(4), item(6)), ids(similar).subList(0, 2));
    }

    @Test
    void contextWithoutAProfileIsHarmless() {
        // the fixture has no time-of-day file: context_weight changes nothing
        RecommendResponse plain = stub.recommendForUser(alice(3).build());
        RecommendResponse context = stub.recommendForUser(alice(3).setContextWeight(1f)
                .setContextTime(Timestamp.newBuilder().setSeconds(1704744000L)).build());
        assertEquals(ids(plain), ids(context));
    }

    @Test
    void invalidKnobsAreInvalidArgument() {
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.recommendForUser(alice(3).setDiversity(1.5f).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.recommendForUser(alice(3).setExplorationShare(Float.NaN).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.recommendForUser(alice(3).setContextWeight(-0.1f).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.recommendForUser(alice(3).putCategoryBoosts("Drama", -1f).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.recommendForItems(RecommendForItemsRequest.newBuilder()
                .addItemIds(item(0)).setK(3).setDiversity(-1f).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub.recommendForUser(alice(3)
                .setContextTime(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)).build())));
    }
}
