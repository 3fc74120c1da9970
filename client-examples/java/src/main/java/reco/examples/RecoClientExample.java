package reco.examples;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import reco.v1.BatchRecommendResponse;
import reco.v1.BatchResult;
import reco.v1.BatchSimilarItemsRequest;
import reco.v1.Filter;
import reco.v1.GetModelInfoRequest;
import reco.v1.ModelInfo;
import reco.v1.RecommendForItemsRequest;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommendResponse;
import reco.v1.RecommenderGrpc;
import reco.v1.ScoredItem;
import reco.v1.SimilarItemsRequest;

/**
 * A walk through the reco.v1 API with the generated Java stubs: health, model info, similar items,
 * recommendations for a known and an unknown user, a basket, a batch (async stub) and the two error
 * codes a client must handle.
 *
 * <p>Usage: {@code java -jar reco-client-example.jar [address [item-id [user-id]]]}, defaults
 * {@code localhost:50051 1 1}. Every step prints one greppable line ({@code similar: item=1 k=5 got=5});
 * the same lines are printed by the Python, Node.js and Go examples. Exit codes: 0 all steps behaved
 * as documented, 1 an unexpected status or answer, 2 bad command line.
 */
public final class RecoClientExample {

  static final String DEFAULT_ADDRESS = "localhost:50051";
  static final String DEFAULT_ITEM_ID = "1";
  static final String DEFAULT_USER_ID = "1";
  /** A user id no generation should contain: the server must answer it with popular items. */
  static final String UNKNOWN_USER_ID = "no-such-user-42";
  /** An item id no generation should contain: SimilarItems must answer NOT_FOUND. */
  static final String UNKNOWN_ITEM_ID = "no-such-item";
  static final int K = 5;
  /** Every call carries a deadline so that a stuck server cannot hang the client. */
  static final long DEADLINE_MILLIS = 2_000;
  /**
   * The health check is the first call, and its deadline also covers connecting (and, in a fresh JVM,
   * loading Netty), which can take seconds on a busy machine.
   */
  static final long FIRST_CALL_DEADLINE_MILLIS = 10_000;

  static final int EXIT_OK = 0;
  static final int EXIT_UNEXPECTED = 1;
  static final int EXIT_USAGE = 2;

  private final RecommenderGrpc.RecommenderBlockingStub blocking;
  private final RecommenderGrpc.RecommenderFutureStub async;
  private final HealthGrpc.HealthBlockingStub health;
  private final PrintStream out;
  /** The step being run, named in the failure message. */
  private String step = "connect";

  RecoClientExample(ManagedChannel channel, PrintStream out) {
    this.blocking = RecommenderGrpc.newBlockingStub(channel);
    this.async = RecommenderGrpc.newFutureStub(channel);
    this.health = HealthGrpc.newBlockingStub(channel);
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the walk-through and returns the process exit code; never calls {@code System.exit}. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 3 || (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help")))) {
      err.println("usage: reco-client-example [address [item-id [user-id]]]   (defaults: "
          + DEFAULT_ADDRESS + " " + DEFAULT_ITEM_ID + " " + DEFAULT_USER_ID + ")");
      return EXIT_USAGE;
    }
    String address = args.length > 0 ? args[0] : DEFAULT_ADDRESS;
    String itemId = args.length > 1 ? args[1] : DEFAULT_ITEM_ID;
    String userId = args.length > 2 ? args[2] : DEFAULT_USER_ID;

    // The example talks plaintext to a local server; use TLS credentials for anything else.
    ManagedChannel channel = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
    RecoClientExample example = new RecoClientExample(channel, out);
    try {
      example.walkThrough(itemId, userId);
      out.println("done");
      return EXIT_OK;
    } catch (UnexpectedAnswerException e) {
      err.println("FAILED at " + example.step + ": " + e.getMessage());
      return EXIT_UNEXPECTED;
    } catch (StatusRuntimeException e) {
      err.println("FAILED at " + example.step + ": unexpected status " + describe(e.getStatus()));
      return EXIT_UNEXPECTED;
    } finally {
      channel.shutdownNow();
    }
  }

  void walkThrough(String itemId, String userId) {
    step = "health";
    checkHealth();
    step = "model-info";
    printModelInfo();
    step = "similar";
    similarItems(itemId);
    step = "user-known";
    recommendForKnownUser(userId);
    step = "user-unknown";
    recommendForUnknownUser();
    step = "items";
    recommendForItems(itemId);
    step = "batch";
    batchSimilarItemsAsync(itemId);
    step = "error-not-found";
    expectNotFound();
    step = "error-invalid-argument";
    expectInvalidArgument(itemId);
  }

  private void checkHealth() {
    HealthCheckResponse response = health.withDeadlineAfter(FIRST_CALL_DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
        .check(HealthCheckRequest.newBuilder().setService("reco.v1.Recommender").build());
    out.println("health: " + response.getStatus());
    if (response.getStatus() != HealthCheckResponse.ServingStatus.SERVING) {
      throw new UnexpectedAnswerException("server is " + response.getStatus()
          + " (no model generation loaded yet?)");
    }
  }

  private void printModelInfo() {
    ModelInfo info = recommender().getModelInfo(GetModelInfoRequest.getDefaultInstance());
    out.printf(Locale.ROOT, "model-info: generation=%s items=%d users=%d interactions=%d default_model=%s%n",
        info.getGenerationId(), info.getItemCount(), info.getUserCount(), info.getInteractionCount(),
        info.getDefaultModel());
  }

  private void similarItems(String itemId) {
    RecommendResponse response = recommender().similarItems(
        SimilarItemsRequest.newBuilder().setItemId(itemId).setK(K).build());
    out.println("similar to " + displayName(itemId) + ":");
    printItems(response.getItemsList());
    out.printf(Locale.ROOT, "similar: item=%s k=%d got=%d served_by=%s%n",
        itemId, K, response.getItemsCount(), response.getServedBy());
  }

  private void recommendForKnownUser(String userId) {
    RecommendResponse response = recommender().recommendForUser(
        RecommendForUserRequest.newBuilder().setUserId(userId).setK(K).build());
    out.println("for user " + userId + ":");
    printItems(response.getItemsList());
    out.printf(Locale.ROOT, "user-known: user=%s got=%d served_by=%s fallback=%b%n",
        userId, response.getItemsCount(), response.getServedBy(), response.getFallback());
  }

  private void recommendForUnknownUser() {
    RecommendResponse response = recommender().recommendForUser(
        RecommendForUserRequest.newBuilder().setUserId(UNKNOWN_USER_ID).setK(K).build());
    out.println("for unknown user " + UNKNOWN_USER_ID + ":");
    printItems(response.getItemsList());
    // The reason is free text, so it goes last on the line.
    out.printf(Locale.ROOT, "user-unknown: fallback=%b user=%s got=%d served_by=%s reason=%s%n",
        response.getFallback(), UNKNOWN_USER_ID, response.getItemsCount(), response.getServedBy(),
        response.getFallbackReason());
  }

  private void recommendForItems(String itemId) {
    List<String> basket = List.of(itemId, neighbourId(itemId));
    RecommendResponse response = recommender().recommendForItems(
        RecommendForItemsRequest.newBuilder().addAllItemIds(basket).setK(K).build());
    out.println("for items " + String.join(",", basket) + ":");
    printItems(response.getItemsList());
    out.printf(Locale.ROOT, "items: items=%s got=%d served_by=%s%n",
        String.join(",", basket), response.getItemsCount(), response.getServedBy());
  }

  /**
   * One call on the async (future) stub: a batch whose second query is for an unknown item, so the
   * batch succeeds as a whole and carries a per-query NOT_FOUND.
   */
  private void batchSimilarItemsAsync(String itemId) {
    BatchSimilarItemsRequest request = BatchSimilarItemsRequest.newBuilder()
        .addRequests(SimilarItemsRequest.newBuilder().setItemId(itemId).setK(K).setOmitMetadata(true))
        .addRequests(SimilarItemsRequest.newBuilder().setItemId(UNKNOWN_ITEM_ID).setK(K))
        .build();
    ListenableFuture<BatchRecommendResponse> future =
        async.withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS).batchSimilarItems(request);
    BatchRecommendResponse response = await(future);
    int ok = 0;
    int notFound = 0;
    for (BatchResult result : response.getResultsList()) {
      if (result.getStatusCode() == Status.Code.OK.value()) {
        ok++;
      } else if (result.getStatusCode() == Status.Code.NOT_FOUND.value()) {
        notFound++;
      }
    }
    out.printf(Locale.ROOT, "batch: results=%d ok=%d not_found=%d%n", response.getResultsCount(), ok, notFound);
  }

  private void expectNotFound() {
    expectStatus("error-not-found", Status.Code.NOT_FOUND, () -> recommender().similarItems(
        SimilarItemsRequest.newBuilder().setItemId(UNKNOWN_ITEM_ID).setK(K).build()));
  }

  private void expectInvalidArgument(String itemId) {
    expectStatus("error-invalid-argument", Status.Code.INVALID_ARGUMENT, () -> recommender().similarItems(
        SimilarItemsRequest.newBuilder().setItemId(itemId).setK(0).build()));
  }

  private void expectStatus(String step, Status.Code expected, Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == expected) {
        out.println(expected + " as expected: " + e.getStatus().getDescription());
        out.println(step + ": ok");
        return;
      }
      throw new UnexpectedAnswerException(step + ": expected " + expected + ", got " + describe(e.getStatus()));
    }
    throw new UnexpectedAnswerException(step + ": expected " + expected + ", but the call succeeded");
  }

  /**
   * The query item's title, looked up with a one-item allow-list; the id when the server has no title
   * for it. The lookup is best effort: the example must not fail because of it.
   */
  private String displayName(String itemId) {
    try {
      RecommendResponse response = recommender().recommendForItems(RecommendForItemsRequest.newBuilder()
          .addItemIds(itemId).setK(1).setIncludeInputItems(true)
          .setFilter(Filter.newBuilder().addAllowItemIds(itemId))
          .build());
      for (ScoredItem item : response.getItemsList()) {
        if (item.getItemId().equals(itemId) && !item.getTitle().isEmpty()) {
          return item.getTitle();
        }
      }
    } catch (StatusRuntimeException e) {
      // Fall through: an id is a fine display name.
    }
    return itemId;
  }

  private void printItems(List<ScoredItem> items) {
    int rank = 1;
    for (ScoredItem item : items) {
      out.printf(Locale.ROOT, "  %d. item=%s score=%.4f title=%s categories=%s%n", rank++,
          item.getItemId(), item.getScore(), item.getTitle(),
          item.getCategoriesList().stream().collect(Collectors.joining("|")));
    }
  }

  /** The blocking stub with a fresh deadline: a deadline is absolute, so it is set per call. */
  private RecommenderGrpc.RecommenderBlockingStub recommender() {
    return blocking.withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** A second item for the basket: the numeric successor in the demo catalogue, else the item twice. */
  private static String neighbourId(String itemId) {
    try {
      return Long.toString(Long.parseLong(itemId) + 1);
    } catch (NumberFormatException e) {
      return itemId;
    }
  }

  private static <T> T await(ListenableFuture<T> future) {
    try {
      // The call's own deadline bounds it; the extra second only guards against a lost callback.
      return future.get(DEADLINE_MILLIS + 1_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException statusException) {
        throw statusException;
      }
      throw new UnexpectedAnswerException("async call failed: " + e.getCause());
    } catch (TimeoutException e) {
      throw new UnexpectedAnswerException("async call did not complete within its deadline");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnexpectedAnswerException("interrupted while waiting for an async call");
    }
  }

  private static String describe(Status status) {
    return status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
  }

  /** A call succeeded but its answer contradicts the documented contract. */
  static final class UnexpectedAnswerException extends RuntimeException {
    UnexpectedAnswerException(String message) {
      super(message);
    }
  }
}
