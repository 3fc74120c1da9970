package reco.examples;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import reco.v1.BatchRecommendForUserRequest;
import reco.v1.BatchRecommendResponse;
import reco.v1.BatchResult;
import reco.v1.BatchSimilarItemsRequest;
import reco.v1.EchoRequest;
import reco.v1.EchoResponse;
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

/**
 * A stand-in for the reco server, for testing the client examples only: a fixed ten-item catalogue,
 * five known users, fixed scores, and the documented status codes (INVALID_ARGUMENT for k outside
 * 1..1000 or an empty id, NOT_FOUND for an unknown item). It serves health (service "" and
 * "reco.v1.Recommender") and reflection v1 like the real server, over TCP so that the Python, Node.js
 * and Go examples can reach it.
 *
 * <p>Run standalone with {@code main [port]} to try the examples by hand.
 */
final class FakeRecommenderServer implements AutoCloseable {

  static final String GENERATION_ID = "fake-generation-1";
  static final int ITEM_COUNT = 10;
  static final int USER_COUNT = 5;
  static final long INTERACTION_COUNT = 42;
  static final String UNKNOWN_USER_REASON = "unknown user: popular items";
  private static final int MAX_K = 1000;

  /** Item id -> title and categories; ids "1".."10" like the demo catalogue's integer ids. */
  private static final Map<String, FakeItem> CATALOGUE = catalogue();

  private final Server server;
  private final HealthStatusManager health;

  private FakeRecommenderServer(Server server, HealthStatusManager health) {
    this.server = server;
    this.health = health;
  }

  /** Starts on 127.0.0.1:{@code port}; port 0 picks a free one (see {@link #port()}). */
  static FakeRecommenderServer start(int port) throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .addService(new FakeRecommenderService())
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .build()
        .start();
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(RecommenderGrpc.SERVICE_NAME, ServingStatus.SERVING);
    return new FakeRecommenderServer(server, health);
  }

  int port() {
    return server.getPort();
  }

  String address() {
    return "127.0.0.1:" + port();
  }

  @Override
  public void close() throws InterruptedException {
    health.enterTerminalState();
    server.shutdown();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      server.shutdownNow();
    }
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 50051;
    try (FakeRecommenderServer fake = start(port)) {
      System.err.println("fake reco server on " + fake.address() + "; Ctrl-C to stop");
      fake.server.awaitTermination();
    }
  }

  private record FakeItem(String id, String title, List<String> categories) {}

  private static Map<String, FakeItem> catalogue() {
    String[] genres = {"Comedy", "Drama", "Action"};
    Map<String, FakeItem> items = new LinkedHashMap<>();
    for (int i = 1; i <= ITEM_COUNT; i++) {
      String id = Integer.toString(i);
      items.put(id, new FakeItem(id, "Fake Movie " + i + " (19" + (70 + i) + ")",
          List.of(genres[i % genres.length], genres[(i + 1) % genres.length])));
    }
    return items;
  }

  private static final class FakeRecommenderService extends RecommenderGrpc.RecommenderImplBase {

    @Override
    public void similarItems(SimilarItemsRequest request, StreamObserver<RecommendResponse> observer) {
      answer(observer, () -> similar(request));
    }

    @Override
    public void recommendForUser(RecommendForUserRequest request, StreamObserver<RecommendResponse> observer) {
      answer(observer, () -> forUser(request));
    }

    @Override
    public void recommendForItems(RecommendForItemsRequest request, StreamObserver<RecommendResponse> observer) {
      answer(observer, () -> {
        checkK(request.getK());
        if (request.getItemIdsCount() == 0) {
          throw invalid("item_ids must hold 1..1000 ids, got 0");
        }
        List<String> known = request.getItemIdsList().stream().filter(CATALOGUE::containsKey).toList();
        if (known.isEmpty()) {
          throw Status.NOT_FOUND.withDescription("none of the item_ids is known: " + request.getItemIdsList())
              .asException();
        }
        Set<String> excluded = request.getIncludeInputItems() ? Set.of() : new HashSet<>(known);
        return ranking(request.getK(), request.getFilter(), excluded, request.getOmitMetadata(),
            Integer.parseInt(known.getLast()), Model.MODEL_ITEM_KNN, "");
      });
    }

    @Override
    public void batchSimilarItems(BatchSimilarItemsRequest request, StreamObserver<BatchRecommendResponse> observer) {
      answer(observer, () -> {
        checkBatchSize(request.getRequestsCount());
        BatchRecommendResponse.Builder response = BatchRecommendResponse.newBuilder();
        for (SimilarItemsRequest single : request.getRequestsList()) {
          response.addResults(batchResult(() -> similar(single)));
        }
        return response.build();
      });
    }

    @Override
    public void batchRecommendForUser(BatchRecommendForUserRequest request,
        StreamObserver<BatchRecommendResponse> observer) {
      answer(observer, () -> {
        checkBatchSize(request.getRequestsCount());
        BatchRecommendResponse.Builder response = BatchRecommendResponse.newBuilder();
        for (RecommendForUserRequest single : request.getRequestsList()) {
          response.addResults(batchResult(() -> forUser(single)));
        }
        return response.build();
      });
    }

    @Override
    public void getModelInfo(GetModelInfoRequest request, StreamObserver<ModelInfo> observer) {
      Timestamp fixedTime = Timestamp.newBuilder().setSeconds(1_700_000_000L).build();
      observer.onNext(ModelInfo.newBuilder()
          .setGenerationId(GENERATION_ID)
          .setCreatedAt(fixedTime)
          .setLoadedAt(fixedTime)
          .setItemCount(ITEM_COUNT)
          .setUserCount(USER_COUNT)
          .setInteractionCount(INTERACTION_COUNT)
          .addModels(ModelSummary.newBuilder().setModel(Model.MODEL_POPULARITY).setRecommendsForUsers(true))
          .addModels(ModelSummary.newBuilder().setModel(Model.MODEL_ITEM_KNN).setNeighborsPerItem(9)
              .setRecommendsForUsers(true))
          .setDefaultModel(Model.MODEL_ITEM_KNN)
          .setFormatVersion(1)
          .setTrainerVersion("fake")
          .build());
      observer.onCompleted();
    }

    @Override
    public void echo(EchoRequest request, StreamObserver<EchoResponse> observer) {
      observer.onNext(EchoResponse.newBuilder().setPayload(ByteString.copyFrom(request.getPayload().toByteArray()))
          .build());
      observer.onCompleted();
    }

    private static RecommendResponse similar(SimilarItemsRequest request) throws StatusException {
      checkK(request.getK());
      checkId("item_id", request.getItemId());
      if (!CATALOGUE.containsKey(request.getItemId())) {
        throw Status.NOT_FOUND.withDescription("unknown item_id '" + request.getItemId() + "'").asException();
      }
      return ranking(request.getK(), request.getFilter(), Set.of(request.getItemId()), request.getOmitMetadata(),
          Integer.parseInt(request.getItemId()), Model.MODEL_ITEM_KNN, "");
    }

    private static RecommendResponse forUser(RecommendForUserRequest request) throws StatusException {
      checkK(request.getK());
      checkId("user_id", request.getUserId());
      boolean known = isKnownUser(request.getUserId());
      // Known user u has "seen" item u; an unknown user is ranked by popularity (item 1 first).
      Set<String> seen = known && !request.getIncludeSeen() ? Set.of(request.getUserId()) : Set.of();
      return known
          ? ranking(request.getK(), request.getFilter(), seen, request.getOmitMetadata(),
              Integer.parseInt(request.getUserId()), Model.MODEL_ITEM_KNN, "")
          : ranking(request.getK(), request.getFilter(), seen, request.getOmitMetadata(), 0,
              Model.MODEL_POPULARITY, UNKNOWN_USER_REASON);
    }

    private static boolean isKnownUser(String userId) {
      try {
        int user = Integer.parseInt(userId);
        return user >= 1 && user <= USER_COUNT;
      } catch (NumberFormatException e) {
        return false;
      }
    }

    /**
     * Every catalogue item not excluded, scored by closeness of its number to {@code anchor}
     * (1 / (1 + distance)), best first, ties by id: deterministic answers that look like a ranking.
     */
    private static RecommendResponse ranking(int k, Filter filter, Set<String> excluded, boolean omitMetadata,
        int anchor, Model servedBy, String fallbackReason) {
      List<ScoredItem> candidates = new ArrayList<>();
      for (FakeItem item : CATALOGUE.values()) {
        if (excluded.contains(item.id()) || !passes(filter, item)) {
          continue;
        }
        float score = 1f / (1 + Math.abs(Integer.parseInt(item.id()) - anchor));
        ScoredItem.Builder scored = ScoredItem.newBuilder().setItemId(item.id()).setScore(score);
        if (!omitMetadata) {
          scored.setTitle(item.title()).addAllCategories(item.categories());
        }
        candidates.add(scored.build());
      }
      candidates.sort(Comparator.comparing(ScoredItem::getScore).reversed()
          .thenComparing(s -> Integer.parseInt(s.getItemId())));
      return RecommendResponse.newBuilder()
          .addAllItems(candidates.subList(0, Math.min(k, candidates.size())))
          .setServedBy(servedBy)
          .setFallback(!fallbackReason.isEmpty())
          .setFallbackReason(fallbackReason)
          .setGenerationId(GENERATION_ID)
          .build();
    }

    private static boolean passes(Filter filter, FakeItem item) {
      if (filter.getExcludeItemIdsList().contains(item.id())) {
        return false;
      }
      if (filter.getAllowItemIdsCount() > 0 && !filter.getAllowItemIdsList().contains(item.id())) {
        return false;
      }
      if (filter.getIncludeCategoriesCount() > 0
          && item.categories().stream().noneMatch(filter.getIncludeCategoriesList()::contains)) {
        return false;
      }
      return item.categories().stream().noneMatch(filter.getExcludeCategoriesList()::contains);
    }

    private static void checkK(int k) throws StatusException {
      if (k < 1 || k > MAX_K) {
        throw invalid("k must be in 1.." + MAX_K + ", got " + k);
      }
    }

    private static void checkId(String field, String id) throws StatusException {
      if (id.isEmpty()) {
        throw invalid(field + " must not be empty");
      }
    }

    private static void checkBatchSize(int size) throws StatusException {
      if (size < 1 || size > MAX_K) {
        throw invalid("a batch must hold 1.." + MAX_K + " requests, got " + size);
      }
    }

    private static StatusException invalid(String description) {
      return Status.INVALID_ARGUMENT.withDescription(description).asException();
    }

    private static BatchResult batchResult(StatusCall<RecommendResponse> call) {
      try {
        return BatchResult.newBuilder().setStatusCode(Status.Code.OK.value()).setResponse(call.call()).build();
      } catch (StatusException e) {
        return BatchResult.newBuilder().setStatusCode(e.getStatus().getCode().value())
            .setErrorMessage(String.valueOf(e.getStatus().getDescription())).build();
      }
    }

    private static <T> void answer(StreamObserver<T> observer, StatusCall<T> call) {
      T response;
      try {
        response = call.call();
      } catch (StatusException e) {
        observer.onError(e);
        return;
      }
      observer.onNext(response);
      observer.onCompleted();
    }
  }

  @FunctionalInterface
  private interface StatusCall<T> {
    T call() throws StatusException;
  }
}
