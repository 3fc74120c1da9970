package reco.server;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import reco.model.feedback.FeedbackEvent;
import reco.model.feedback.FeedbackStore;
import reco.model.generation.Generation;
import reco.server.feedback.LiveFeedback;
import reco.v1.ExplainRequest;
import reco.v1.Interaction;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecordInteractionsRequest;
import reco.v1.RecordInteractionsResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request side of live feedback: validates and records RecordInteractions batches, and folds a
 * user's recorded events into their RecommendForUser and Explain requests, as if the caller had sent
 * them as {@code recent_item_ids} (and, below the generation's --min-weight, as excluded seen items).
 * Everything downstream (profiles, fold-in, neighbour accumulation, the seen set) is the path
 * {@code recent_item_ids} already takes.
 */
final class FeedbackRequests {
    static final int MAX_INTERACTIONS = 1000;
    static final int MAX_UNKNOWN_IDS_LISTED = 100;
    /** How far in the future an event time may lie (clock skew between client and server). */
    static final long MAX_FUTURE_MILLIS = 86_400_000L;

    private final LiveFeedback feedback; // null: live feedback is off

    FeedbackRequests(LiveFeedback feedback) {
        this.feedback = feedback;
    }

    boolean enabled() {
        return feedback != null;
    }

    // ---------------------------------------------------------------- recording

    /** Stateless checks of one batch; INVALID_ARGUMENT names the first bad field. */
    static void validate(RecordInteractionsRequest r, long nowMillis) {
        RequestValidation.size("interactions", r.getInteractionsCount(), 1, MAX_INTERACTIONS);
        for (int i = 0; i < r.getInteractionsCount(); i++) {
            Interaction in = r.getInteractions(i);
            String at = "interactions[" + i + "].";
            loggableId(at + "user_id", in.getUserId());
            loggableId(at + "item_id", in.getItemId());
            if (in.hasWeight() && !Float.isFinite(in.getWeight())) {
                throw Statuses.invalidArgument(at + "weight must be finite, got " + in.getWeight());
            }
            if (in.hasEventTime()) {
                Timestamp t = in.getEventTime();
                if (t.getSeconds() < 0 || t.getNanos() < 0 || t.getNanos() > 999_999_999) {
                    throw Statuses.invalidArgument(at + "event_time must be a valid time after 1970, got " + t.getSeconds()
                            + " s " + t.getNanos() + " ns");
                }
                long millis = t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
                if (millis > nowMillis + MAX_FUTURE_MILLIS) {
                    throw Statuses.invalidArgument(at + "event_time is more than a day in the future ("
                            + java.time.Instant.ofEpochMilli(millis) + ")");
                }
            }
        }
    }

    private static void loggableId(String field, String value) {
        RequestValidation.id(field, value);
        if (!FeedbackEvent.isLoggable(value)) {
            throw Statuses.invalidArgument(field + " must not contain a tab, carriage return or line feed");
        }
    }

    void requireEnabled() {
        if (feedback == null) {
            throw Status.FAILED_PRECONDITION.withDescription(
                    "live feedback is off on this server (start it with `reco serve --feedback DIR`)").asRuntimeException();
        }
    }

    long nowMillis() {
        return feedback == null ? System.currentTimeMillis() : feedback.nowMillis();
    }

    /** Records the batch's known items; counts and lists the unknown ones. */
    RecordInteractionsResponse record(Generation g, RecordInteractionsRequest r) {
        long now = feedback.nowMillis();
        List<FeedbackEvent> known = new ArrayList<>(r.getInteractionsCount());
        long unknown = 0;
        Set<String> unknownIds = new LinkedHashSet<>();
        for (Interaction in : r.getInteractionsList()) {
            if (g.itemIndex().indexOf(in.getItemId()) < 0) {
                unknown++;
                if (unknownIds.size() < MAX_UNKNOWN_IDS_LISTED) {
                    unknownIds.add(in.getItemId());
                }
                continue;
            }
            long eventTime = in.hasEventTime()
                    ? in.getEventTime().getSeconds() * 1000 + in.getEventTime().getNanos() / 1_000_000 : now;
            known.add(new FeedbackEvent(in.getUserId(), in.getItemId(), in.hasWeight() ? in.getWeight() : Float.NaN,
                    eventTime, 0));
        }
        try {
            feedback.record(known);
        } catch (IOException e) {
            throw new UncheckedIOException("appending to the feedback log failed", e);
        }
        feedback.rejectedUnknownItems(unknown);
        return RecordInteractionsResponse.newBuilder()
                .setRecorded(known.size())
                .setUnknownItems(unknown)
                .addAllUnknownItemIds(unknownIds)
                .setGenerationId(g.id())
                .build();
    }

    // ---------------------------------------------------------------- serving

    /** The user's recorded items, split by the generation's positive threshold; null when none. */
    private Recorded recorded(Generation g, String userId) {
        if (feedback == null) {
            return null;
        }
        List<FeedbackStore.Recent> recent = feedback.recent(userId);
        if (recent.isEmpty()) {
            return null;
        }
        float minWeight = minWeight(g);
        // the most recent occurrence of an item decides its place and its weight
        Map<String, Float> last = new java.util.LinkedHashMap<>();
        for (FeedbackStore.Recent e : recent) {
            last.remove(e.itemId());
            last.put(e.itemId(), e.weight());
        }
        List<String> positives = new ArrayList<>(last.size());
        List<String> seenOnly = new ArrayList<>();
        for (Map.Entry<String, Float> e : last.entrySet()) {
            float w = e.getValue();
            // no weight given: a positive interaction, whatever the threshold
            boolean positive = Float.isNaN(w) || w > 0 && w >= minWeight;
            (positive ? positives : seenOnly).add(e.getKey());
        }
        return new Recorded(positives, seenOnly);
    }

    private record Recorded(List<String> positives, List<String> seenOnly) {}

    private static float minWeight(Generation g) {
        Map<String, Object> p = g.manifest().parameters();
        Object w = p == null ? null : p.get("minWeight");
        return w instanceof Number n ? n.floatValue() : Float.NEGATIVE_INFINITY;
    }

    /**
     * {@code r} with the user's recorded positives before its own recent_item_ids (most recent last), and
     * the recorded items below the threshold excluded unless include_seen; {@code r} itself when the user
     * has recorded nothing.
     */
    RecommendForUserRequest withRecorded(Generation g, RecommendForUserRequest r) {
        Recorded rec = recorded(g, r.getUserId());
        if (rec == null) {
            return r;
        }
        RecommendForUserRequest.Builder b = r.toBuilder().clearRecentItemIds()
                .addAllRecentItemIds(rec.positives()).addAllRecentItemIds(r.getRecentItemIdsList());
        if (!r.getIncludeSeen() && !rec.seenOnly().isEmpty()) {
            b.getFilterBuilder().addAllExcludeItemIds(rec.seenOnly());
        }
        return b.build();
    }

    /** {@code r} with the user's recorded positives before its own recent_item_ids. */
    ExplainRequest withRecorded(Generation g, ExplainRequest r) {
        if (r.getUserId().isEmpty()) {
            return r;
        }
        Recorded rec = recorded(g, r.getUserId());
        if (rec == null || rec.positives().isEmpty()) {
            return r;
        }
        return r.toBuilder().clearRecentItemIds().addAllRecentItemIds(rec.positives())
                .addAllRecentItemIds(r.getRecentItemIdsList()).build();
    }
}
