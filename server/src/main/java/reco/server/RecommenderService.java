package reco.server;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reco.model.ModelKind;
import reco.model.generation.Generation;
import reco.model.generation.ItemCatalog;
import reco.model.generation.Manifest;
import reco.model.scoring.Cancellation;
import reco.model.scoring.RankedList;
import reco.model.scoring.Recommendations;
import reco.model.scoring.Recommender;
import reco.v1.BatchRecommendForUserRequest;
import reco.v1.BatchRecommendResponse;
import reco.v1.BatchResult;
import reco.v1.BatchSimilarItemsRequest;
import reco.v1.EchoRequest;
import reco.v1.EchoResponse;
import reco.v1.ExplainRequest;
import reco.v1.ExplainResponse;
import reco.v1.GetModelInfoRequest;
import reco.v1.ModelInfo;
import reco.v1.ModelSummary;
import reco.v1.RecommendForItemsRequest;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommendResponse;
import reco.v1.RecommenderGrpc;
import reco.v1.RecordInteractionsRequest;
import reco.v1.RecordInteractionsResponse;
import reco.v1.ScoredItem;
import reco.v1.SimilarItemsRequest;
import reco.server.feedback.LiveFeedback;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The reco.v1.Recommender service: validates each request, maps ids to the served generation's
 * dense indexes and calls {@link Recommender} (the same scoring the offline evaluation runs); it
 * scores nothing itself. Every call holds a lease on one generation from start to finish, so a
 * model swap never changes the data under a running call.
 */
public final class RecommenderService extends RecommenderGrpc.RecommenderImplBase {
    /** Fallback kinds for the metric tag (bounded; never ids). */
    static final String FALLBACK_UNKNOWN_USER = "unknown-user";
    static final String FALLBACK_NO_HISTORY = "no-history";
    static final String FALLBACK_NO_NEIGHBOURS = "no-neighbours";

    private final ModelHolder models;
    private final Map<String, Counter> fallbacks;
    private final Explanations explanations = new Explanations();
    private final FeedbackRequests feedback;

    public RecommenderService(ModelHolder models, MeterRegistry registry) {
        this(models, registry, null);
    }

    /** @param feedback live feedback (RecordInteractions and the recorded events of users), or null when off */
    public RecommenderService(ModelHolder models, MeterRegistry registry, LiveFeedback feedback) {
        this.models = models;
        this.feedback = new FeedbackRequests(feedback);
        this.fallbacks = Map.of(
                FALLBACK_UNKNOWN_USER, fallbackCounter(registry, FALLBACK_UNKNOWN_USER),
                FALLBACK_NO_HISTORY, fallbackCounter(registry, FALLBACK_NO_HISTORY),
                FALLBACK_NO_NEIGHBOURS, fallbackCounter(registry, FALLBACK_NO_NEIGHBOURS));
    }

    private static Counter fallbackCounter(MeterRegistry registry, String reason) {
        return Counter.builder("reco.recommendations.fallbacks")
                .description("Responses served by a fallback strategy instead of the requested model")
                .tag("reason", reason)
                .register(registry);
    }

    // ---------------------------------------------------------------- RPCs

    @Override
    public void similarItems(SimilarItemsRequest request, StreamObserver<RecommendResponse> responses) {
        unary(responses, "SimilarItems", () -> validate(request), lease -> similarItems(lease, request));
    }

    @Override
    public void recommendForUser(RecommendForUserRequest request, StreamObserver<RecommendResponse> responses) {
        unary(responses, "RecommendForUser", () -> validate(request), lease -> recommendForUser(lease, request));
    }

    @Override
    public void recommendForItems(RecommendForItemsRequest request, StreamObserver<RecommendResponse> responses) {
        unary(responses, "RecommendForItems", () -> validate(request), lease -> recommendForItems(lease, request));
    }

    @Override
    public void batchSimilarItems(BatchSimilarItemsRequest request, StreamObserver<BatchRecommendResponse> responses) {
        unary(responses, "BatchSimilarItems", () -> RequestValidation.batch(request.getRequestsCount()),
                lease -> batch(lease, "BatchSimilarItems", request.getRequestsList(), r -> {
                    validate(r);
                    return similarItems(lease, r);
                }));
    }

    @Override
    public void batchRecommendForUser(BatchRecommendForUserRequest request, StreamObserver<BatchRecommendResponse> responses) {
        unary(responses, "BatchRecommendForUser", () -> RequestValidation.batch(request.getRequestsCount()),
                lease -> batch(lease, "BatchRecommendForUser", request.getRequestsList(), r -> {
                    validate(r);
                    return recommendForUser(lease, r);
                }));
    }

    @Override
    public void getModelInfo(GetModelInfoRequest request, StreamObserver<ModelInfo> responses) {
        unary(responses, "GetModelInfo", () -> { }, this::modelInfo);
    }

    @Override
    public void explain(ExplainRequest request, StreamObserver<ExplainResponse> responses) {
        unary(responses, "Explain", () -> Explanations.validate(request),
                lease -> explanations.explain(lease, feedback.withRecorded(lease.generation(), request)));
    }

    @Override
    public void recordInteractions(RecordInteractionsRequest request, StreamObserver<RecordInteractionsResponse> responses) {
        unary(responses, "RecordInteractions", () -> {
            feedback.requireEnabled();
            FeedbackRequests.validate(request, feedback.nowMillis());
        }, lease -> feedback.record(lease.generation(), request));
    }

    @Override
    public StreamObserver<RecordInteractionsRequest> recordInteractionsStream(
            StreamObserver<RecordInteractionsResponse> responses) {
        return new StreamObserver<>() {
            private final RecordInteractionsResponse.Builder total = RecordInteractionsResponse.newBuilder();
            private boolean failed;

            @Override
            public void onNext(RecordInteractionsRequest batch) {
                if (failed) {
                    return;
                }
                try {
                    Statuses.checkNotCancelled();
                    feedback.requireEnabled();
                    FeedbackRequests.validate(batch, feedback.nowMillis());
                    try (ServedGeneration.Lease lease = models.acquire()) {
                        if (lease == null) {
                            throw Statuses.unavailable();
                        }
                        RecordInteractionsResponse r = feedback.record(lease.generation(), batch);
                        total.setRecorded(total.getRecorded() + r.getRecorded())
                                .setUnknownItems(total.getUnknownItems() + r.getUnknownItems())
                                .setGenerationId(r.getGenerationId());
                        for (String id : r.getUnknownItemIdsList()) {
                            if (total.getUnknownItemIdsCount() < FeedbackRequests.MAX_UNKNOWN_IDS_LISTED
                                    && !total.getUnknownItemIdsList().contains(id)) {
                                total.addUnknownItemIds(id);
                            }
                        }
                    }
                } catch (RuntimeException | Error e) {
                    failed = true;
                    try {
                        responses.onError(Statuses.toStatus(e, "RecordInteractionsStream").asRuntimeException());
                    } catch (RuntimeException ignored) {
                        // the call is already closed
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                failed = true; // the client gave up: the batches already received stay recorded
            }

            @Override
            public void onCompleted() {
                if (!failed) {
                    responses.onNext(total.build());
                    responses.onCompleted();
                }
            }
        };
    }

    @Override
    public void echo(EchoRequest request, StreamObserver<EchoResponse> responses) {
        // no lease, no model: measures the transport alone and works before any generation is loaded
        responses.onNext(EchoResponse.newBuilder().setPayload(request.getPayload()).build());
        responses.onCompleted();
    }

    // ---------------------------------------------------------------- call plumbing

    /**
     * Runs one call: cancellation check, stateless validation (so bad requests fail the same way with
     * or without a model), a lease on the served generation, the answer (long scoring loops check the
     * call's deadline through {@link Cancellation}); every failure goes through {@link Statuses}. An
     * {@code Error} is answered with INTERNAL and then rethrown, never swallowed (the JVM's policy, e.g.
     * {@code -XX:+ExitOnOutOfMemoryError}, decides what happens next), except the {@code InternalError}
     * of a mapped page that went away, which is handed to the generation's re-validation instead.
     */
    private <T> void unary(StreamObserver<T> responses, String method, Runnable validation,
                           Function<ServedGeneration.Lease, T> answer) {
        T response;
        boolean faultReported = false;
        try {
            Statuses.checkNotCancelled();
            validation.run();
            try (ServedGeneration.Lease lease = models.acquire()) {
                if (lease == null) {
                    throw Statuses.unavailable();
                }
                try {
                    response = Cancellation.checking(Statuses::checkNotCancelled, () -> answer.apply(lease));
                } catch (InternalError mappedPageFault) {
                    lease.reportFault(mappedPageFault); // the generation's files changed under it: re-validate
                    faultReported = true;
                    throw mappedPageFault;
                }
            }
            Statuses.checkNotCancelled();
        } catch (RuntimeException | Error e) {
            Status status = Statuses.toStatus(e, method);
            try {
                responses.onError(status.asRuntimeException());
            } catch (RuntimeException ignored) {
                // the call is already closed (e.g. cancelled): nobody is listening
            }
            if (e instanceof Error error && !faultReported) {
                throw error;
            }
            return;
        }
        responses.onNext(response);
        responses.onCompleted();
    }

    private <R> BatchRecommendResponse batch(ServedGeneration.Lease lease, String method, List<R> requests,
                                             Function<R, RecommendResponse> answer) {
        BatchRecommendResponse.Builder out = BatchRecommendResponse.newBuilder();
        for (R request : requests) {
            Statuses.checkNotCancelled(); // a dead call fails as a whole, not entry by entry
            BatchResult.Builder result = BatchResult.newBuilder();
            try {
                result.setResponse(answer.apply(request));
            } catch (RuntimeException e) {
                Status status = Statuses.toStatus(e, method);
                result.setStatusCode(status.getCode().value());
                result.setErrorMessage(status.getDescription() == null ? status.getCode().name() : status.getDescription());
            }
            out.addResults(result);
        }
        return out.build();
    }

    // ---------------------------------------------------------------- validation

    private static void validate(SimilarItemsRequest r) {
        RequestValidation.id("item_id", r.getItemId());
        RequestValidation.k(r.getK());
        ModelKinds.fromProto(r.getModel());
        RequestValidation.filter(r.getFilter());
    }

    private static void validate(RecommendForUserRequest r) {
        RequestValidation.id("user_id", r.getUserId());
        RequestValidation.k(r.getK());
        ModelKinds.fromProto(r.getModel());
        RequestValidation.filter(r.getFilter());
        RequestValidation.ids("recent_item_ids", r.getRecentItemIdsList(), 0, RequestValidation.MAX_RECENT_ITEM_IDS);
        RerankRequests.validate(RerankRequests.of(r));
    }

    private static void validate(RecommendForItemsRequest r) {
        RequestValidation.ids("item_ids", r.getItemIdsList(), 1, RequestValidation.MAX_ITEM_IDS);
        RequestValidation.k(r.getK());
        ModelKinds.fromProto(r.getModel());
        RequestValidation.filter(r.getFilter());
        RerankRequests.validate(RerankRequests.of(r));
    }

    // ---------------------------------------------------------------- answers

    private RecommendResponse similarItems(ServedGeneration.Lease lease, SimilarItemsRequest r) {
        Generation g = lease.generation();
        Recommender recommender = lease.recommender();
        ModelKind model = recommender.resolve(ModelKinds.fromProto(r.getModel()));
        int item = g.itemIndex().indexOf(r.getItemId());
        if (item < 0) {
            throw Statuses.notFound("item_id '" + r.getItemId() + "' is not in generation " + g.id());
        }
        Recommendations result = recommender.similarItems(item, r.getK(), model, Filters.toItemFilter(g, r.getFilter()));
        return response(g, result, r.getOmitMetadata(), FALLBACK_NO_NEIGHBOURS);
    }

    private RecommendResponse recommendForUser(ServedGeneration.Lease lease, RecommendForUserRequest request) {
        Generation g = lease.generation();
        // recorded events join the request as recent items (and seen items): the path recent_item_ids takes
        RecommendForUserRequest r = feedback.withRecorded(g, request);
        Recommender recommender = lease.recommender();
        ModelKind model = recommender.resolve(ModelKinds.fromProto(r.getModel()));
        int user = g.userIndex().indexOf(r.getUserId());
        int[] recent = knownItems(g, r.getRecentItemIdsList());
        RerankRequests.Knobs knobs = RerankRequests.of(r);
        Recommendations result;
        String[] reasons = null;
        if (knobs.any()) {
            RankedList ranked = explanations.ranker(lease).recommendForUser(user, recent, r.getK(), model,
                    Filters.toItemFilter(g, r.getFilter()), r.getIncludeSeen(), RerankRequests.options(g, knobs));
            result = ranked.recommendations();
            reasons = ranked.reasons();
        } else {
            result = recommender.recommendForUser(user, recent, r.getK(), model,
                    Filters.toItemFilter(g, r.getFilter()), r.getIncludeSeen());
        }
        String fallbackKind;
        if (user < 0) {
            fallbackKind = FALLBACK_UNKNOWN_USER;
        } else if (result.isFallback() && result.servedBy() == ModelKind.POPULARITY && recent.length == 0
                && positiveHistoryIsEmpty(g, user)) {
            fallbackKind = FALLBACK_NO_HISTORY;
        } else {
            fallbackKind = FALLBACK_NO_NEIGHBOURS;
        }
        return response(g, result, r.getOmitMetadata(), fallbackKind, reasons);
    }

    private RecommendResponse recommendForItems(ServedGeneration.Lease lease, RecommendForItemsRequest r) {
        Generation g = lease.generation();
        Recommender recommender = lease.recommender();
        ModelKind model = recommender.resolve(ModelKinds.fromProto(r.getModel()));
        int[] items = knownItems(g, r.getItemIdsList());
        if (items.length == 0) {
            throw Statuses.notFound("none of the " + r.getItemIdsCount() + " item_ids is in generation " + g.id());
        }
        RerankRequests.Knobs knobs = RerankRequests.of(r);
        if (knobs.any()) {
            RankedList ranked = explanations.ranker(lease).recommendForItems(items, r.getK(), model,
                    Filters.toItemFilter(g, r.getFilter()), r.getIncludeInputItems(), RerankRequests.options(g, knobs));
            return response(g, ranked.recommendations(), r.getOmitMetadata(), FALLBACK_NO_NEIGHBOURS, ranked.reasons());
        }
        Recommendations result = recommender.recommendForItems(items, r.getK(), model,
                Filters.toItemFilter(g, r.getFilter()), r.getIncludeInputItems());
        return response(g, result, r.getOmitMetadata(), FALLBACK_NO_NEIGHBOURS);
    }

    private static boolean positiveHistoryIsEmpty(Generation g, int user) {
        for (long p = g.histories().start(user), end = g.histories().end(user); p < end; p++) {
            if (g.histories().strength(p) > 0) {
                return false;
            }
        }
        return true;
    }

    /** Dense indexes of the known ids, in order; unknown ids are dropped. */
    private static int[] knownItems(Generation g, List<String> ids) {
        int[] items = new int[ids.size()];
        int n = 0;
        for (String id : ids) {
            int item = g.itemIndex().indexOf(id);
            if (item >= 0) {
                items[n++] = item;
            }
        }
        return n == items.length ? items : java.util.Arrays.copyOf(items, n);
    }

    private RecommendResponse response(Generation g, Recommendations result, boolean omitMetadata, String fallbackKind) {
        return response(g, result, omitMetadata, fallbackKind, null);
    }

    /** {@code reasons}: one per item (the request's explain flag), or null. */
    private RecommendResponse response(Generation g, Recommendations result, boolean omitMetadata, String fallbackKind,
                                       String[] reasons) {
        RecommendResponse.Builder b = RecommendResponse.newBuilder()
                .setServedBy(ModelKinds.toProto(result.servedBy()))
                .setFallback(result.isFallback())
                .setGenerationId(g.id());
        if (result.isFallback()) {
            b.setFallbackReason(result.fallbackReason());
            fallbacks.get(fallbackKind).increment();
        }
        ItemCatalog catalog = omitMetadata ? null : g.catalog();
        int[] items = result.items();
        float[] scores = result.scores();
        for (int i = 0; i < items.length; i++) {
            ScoredItem.Builder item = ScoredItem.newBuilder()
                    .setItemId(g.itemIds().id(items[i]))
                    .setScore(scores[i]);
            if (catalog != null) {
                item.setTitle(catalog.title(items[i])).addAllCategories(catalog.categories(items[i]));
            }
            if (reasons != null && reasons[i] != null) {
                item.setReason(reasons[i]);
            }
            b.addItems(item);
        }
        return b.build();
    }

    private ModelInfo modelInfo(ServedGeneration.Lease lease) {
        Generation g = lease.generation();
        Manifest m = g.manifest();
        ModelInfo.Builder info = ModelInfo.newBuilder()
                .setGenerationId(g.id())
                .setLoadedAt(timestamp(lease.served().loadedAt()))
                .setItemCount(g.itemCount())
                .setUserCount(g.userCount())
                .setInteractionCount(m.counts().interactions())
                .setDefaultModel(ModelKinds.toProto(g.defaultModel()))
                .setFormatVersion(m.formatVersion());
        if (m.trainerVersion() != null) {
            info.setTrainerVersion(m.trainerVersion());
        }
        if (m.createdAt() != null) {
            try {
                info.setCreatedAt(timestamp(Instant.parse(m.createdAt())));
            } catch (DateTimeParseException e) {
                // an unparseable creation time is reported as absent, not as a failed call
            }
        }
        boolean popularityListed = false;
        for (Manifest.ModelEntry entry : m.models()) {
            ModelKind kind = ModelKind.fromId(entry.name());
            popularityListed |= kind == ModelKind.POPULARITY;
            info.addModels(ModelSummary.newBuilder()
                    .setModel(ModelKinds.toProto(kind))
                    .setNeighborsPerItem(entry.neighborsPerItem())
                    .setDimensions(entry.dimensions())
                    .setRecommendsForUsers(entry.recommendsForUsers()));
        }
        if (!popularityListed) {
            // every generation ranks by popularity (it is the fallback), listed in the manifest or not
            info.addModels(ModelSummary.newBuilder().setModel(reco.v1.Model.MODEL_POPULARITY).setRecommendsForUsers(true));
        }
        return info.build();
    }

    private static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }
}
