package reco.server;

import io.grpc.Metadata;
import io.grpc.Status;
import reco.model.scoring.RerankOptions;
import reco.v1.BatchRecommendForUserRequest;
import reco.v1.BatchSimilarItemsRequest;
import reco.v1.RecommendForItemsRequest;
import reco.v1.RecommendForUserRequest;
import reco.v1.SimilarItemsRequest;

import java.net.SocketAddress;

/**
 * The per-call cost budget: what one call may ask of the server, whatever its size on the wire. A
 * 10 KB BatchRecommendForUser of 1000 entries x k=1000 with diversity is valid entry by entry, yet asks
 * for a million scored items (a 50-100 MB response) and 5 billion MMR similarity evaluations. Two
 * costs are added up over a call's entries and bounded:
 * <ul>
 *   <li><b>items</b>: the sum of k, i.e. the items the response may hold;</li>
 *   <li><b>diversity work</b>: for each entry with diversity &gt; 0, k x its candidate pool
 *       (max(5k, 200)): the similarity evaluations of its MMR re-ranking.</li>
 * </ul>
 * A call over either limit is refused with INVALID_ARGUMENT naming the limit and the flag that sets it:
 * the same call would be refused on any retry, so it must be split. k values out of range count as
 * their nearest valid value (the entry itself is refused by its own validation).
 *
 * @param maxItems         largest sum of k in one call ({@code --max-items-per-call})
 * @param maxDiversityWork largest sum of k x pool over the diversified entries of one call ({@code --max-diversity-work-per-call})
 */
record CallBudget(long maxItems, long maxDiversityWork) implements RequestCheck {
    /** 100 users x k=1000, or 1000 users x k=100: a few MB of response. */
    static final long DEFAULT_MAX_ITEMS = 100_000;
    /** 4 entries at k=1000 with diversity (5M evaluations each); roughly a second of one core. */
    static final long DEFAULT_MAX_DIVERSITY_WORK = 20_000_000;

    CallBudget {
        long largestEntryWork = diversityWork(RequestValidation.MAX_K, 1);
        if (maxItems < RequestValidation.MAX_K) {
            throw new IllegalArgumentException("the items-per-call limit must be at least " + RequestValidation.MAX_K
                    + " (one request at the largest k), got " + maxItems);
        }
        if (maxDiversityWork < largestEntryWork) {
            throw new IllegalArgumentException("the diversity-work-per-call limit must be at least " + largestEntryWork
                    + " (one request at the largest k with diversity), got " + maxDiversityWork);
        }
    }

    static CallBudget defaults() {
        return new CallBudget(DEFAULT_MAX_ITEMS, DEFAULT_MAX_DIVERSITY_WORK);
    }

    @Override
    public String reason() {
        return "budget";
    }

    @Override
    public Status check(Object request, Metadata headers, SocketAddress peer) {
        long items = 0;
        long work = 0;
        String method;
        switch (request) {
            case BatchRecommendForUserRequest batch -> {
                method = "BatchRecommendForUser";
                for (RecommendForUserRequest r : batch.getRequestsList()) {
                    items += k(r.getK());
                    work += diversityWork(r.getK(), r.getDiversity());
                }
            }
            case BatchSimilarItemsRequest batch -> {
                method = "BatchSimilarItems";
                for (SimilarItemsRequest r : batch.getRequestsList()) {
                    items += k(r.getK());
                }
            }
            case RecommendForUserRequest r -> {
                method = "RecommendForUser";
                items = k(r.getK());
                work = diversityWork(r.getK(), r.getDiversity());
            }
            case RecommendForItemsRequest r -> {
                method = "RecommendForItems";
                items = k(r.getK());
                work = diversityWork(r.getK(), r.getDiversity());
            }
            default -> {
                return null;
            }
        }
        if (items > maxItems) {
            return Status.INVALID_ARGUMENT.withDescription(method + " asks for " + items
                    + " items in one call (the sum of k over its requests); the server allows " + maxItems
                    + " per call (--max-items-per-call): split it into smaller calls");
        }
        if (work > maxDiversityWork) {
            return Status.INVALID_ARGUMENT.withDescription(method + " asks for " + work
                    + " diversity re-ranking steps in one call (k x candidate pool of each request with diversity > 0);"
                    + " the server allows " + maxDiversityWork
                    + " per call (--max-diversity-work-per-call): split it, or lower k or diversity");
        }
        return null;
    }

    private static long k(int k) {
        return Math.clamp(k, 0, RequestValidation.MAX_K);
    }

    private static long diversityWork(int k, float diversity) {
        if (!(diversity > 0)) {
            return 0;
        }
        long kk = k(k);
        return kk * Math.max((long) RerankOptions.POOL_FACTOR * kk, RerankOptions.MIN_POOL);
    }
}
