package reco.server;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.inprocess.InProcessSocketAddress;
import org.junit.jupiter.api.Test;
import reco.v1.BatchRecommendForUserRequest;
import reco.v1.BatchSimilarItemsRequest;
import reco.v1.ExplainRequest;
import reco.v1.RecommendForItemsRequest;
import reco.v1.RecommendForUserRequest;
import reco.v1.SimilarItemsRequest;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request checks {@link CallAdmission} runs: the cost budget and the explain right. */
class RequestChecksTest {
    private static final SocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 40000);
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    private static BatchRecommendForUserRequest batch(int entries, int k, float diversity, boolean explain) {
        BatchRecommendForUserRequest.Builder b = BatchRecommendForUserRequest.newBuilder();
        for (int i = 0; i < entries; i++) {
            b.addRequests(RecommendForUserRequest.newBuilder().setUserId("u" + i).setK(k).setDiversity(diversity).setExplain(explain));
        }
        return b.build();
    }

    @Test
    void theBudgetBoundsItemsAndDiversityWorkPerCall() {
        CallBudget budget = CallBudget.defaults();
        // at the limits: 100 x k=1000 = 100000 items; 4 x (1000 x 5000) = 20M diversity steps
        assertNull(budget.check(batch(100, 1000, 0, false), new Metadata(), REMOTE));
        assertNull(budget.check(batch(4, 1000, 0.5f, false), new Metadata(), REMOTE));
        assertNull(budget.check(RecommendForUserRequest.newBuilder().setK(1000).setDiversity(1).build(), new Metadata(), REMOTE));
        // one over
        Status items = budget.check(batch(101, 1000, 0, false), new Metadata(), REMOTE);
        assertEquals(Status.Code.INVALID_ARGUMENT, items.getCode());
        assertTrue(items.getDescription().contains("101000 items") && items.getDescription().contains("--max-items-per-call"),
                items.getDescription());
        Status work = budget.check(batch(5, 1000, 0.5f, false), new Metadata(), REMOTE);
        assertEquals(Status.Code.INVALID_ARGUMENT, work.getCode());
        assertTrue(work.getDescription().contains("--max-diversity-work-per-call"), work.getDescription());
        // the hostile batch of the issue: 1000 x {k=1000, diversity, explain}
        assertEquals(Status.Code.INVALID_ARGUMENT, budget.check(batch(1000, 1000, 0.3f, true), new Metadata(), REMOTE).getCode());
        BatchSimilarItemsRequest.Builder similar = BatchSimilarItemsRequest.newBuilder();
        for (int i = 0; i < 1000; i++) {
            similar.addRequests(SimilarItemsRequest.newBuilder().setItemId("i").setK(1000));
        }
        assertEquals(Status.Code.INVALID_ARGUMENT, budget.check(similar.build(), new Metadata(), REMOTE).getCode());
        // out-of-range k counts as its nearest valid value (the entry's own validation refuses it)
        assertNull(budget.check(batch(100, Integer.MAX_VALUE, 0, false), new Metadata(), REMOTE));
        assertNull(budget.check(batch(1000, Integer.MIN_VALUE, Float.NaN, false), new Metadata(), REMOTE));
        // a budget that could not serve one valid request is a configuration error
        assertThrows(IllegalArgumentException.class, () -> new CallBudget(999, CallBudget.DEFAULT_MAX_DIVERSITY_WORK));
        assertThrows(IllegalArgumentException.class, () -> new CallBudget(CallBudget.DEFAULT_MAX_ITEMS, 4_999_999));
    }

    @Test
    void userHistoriesAreExplainedOnlyWithTheRight() {
        ExplainRequest forUser = ExplainRequest.newBuilder().setUserId("alice").setItemId("i").build();
        ExplainRequest forItems = ExplainRequest.newBuilder().addItemIds("a").setItemId("i").build();
        RecommendForUserRequest reasons = RecommendForUserRequest.newBuilder().setUserId("alice").setK(3).setExplain(true).build();
        RecommendForItemsRequest itemReasons = RecommendForItemsRequest.newBuilder().addItemIds("a").setK(3).setExplain(true).build();
        Metadata none = new Metadata();
        Metadata withToken = new Metadata();
        withToken.put(ExplainPrivacy.AUTHORIZATION, "Bearer " + TOKEN);
        Metadata wrongToken = new Metadata();
        wrongToken.put(ExplainPrivacy.AUTHORIZATION, "Bearer " + TOKEN.replace('0', '1'));

        ExplainPrivacy off = ExplainPrivacy.off();
        for (Object request : new Object[] {forUser, reasons, batch(3, 5, 0, true)}) {
            Status s = off.check(request, withToken, REMOTE);
            assertEquals(Status.Code.PERMISSION_DENIED, s.getCode(), request.toString());
            assertTrue(s.getDescription().contains("--explain-token-file"), s.getDescription());
            assertNull(off.check(request, none, new InProcessSocketAddress("x")), "in-process callers have the right");
        }
        assertNull(off.check(forItems, none, REMOTE), "the caller's own items need no right");
        assertNull(off.check(itemReasons, none, REMOTE));
        assertNull(off.check(batch(3, 5, 0, false), none, REMOTE));
        assertNull(off.check(RecommendForUserRequest.newBuilder().setUserId("alice").setK(3).build(), none, REMOTE));

        ExplainPrivacy scoped = ExplainPrivacy.withToken(BearerToken.of(TOKEN, "explain token"));
        assertNull(scoped.check(forUser, withToken, REMOTE));
        assertNull(scoped.check(reasons, withToken, REMOTE));
        assertEquals(Status.Code.PERMISSION_DENIED, scoped.check(forUser, none, REMOTE).getCode());
        assertEquals(Status.Code.PERMISSION_DENIED, scoped.check(forUser, wrongToken, REMOTE).getCode());
    }
}
