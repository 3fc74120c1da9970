package reco.cli;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import reco.v1.EchoRequest;
import reco.v1.EchoResponse;
import reco.v1.Model;
import reco.v1.RecommendForItemsRequest;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommendResponse;
import reco.v1.RecommenderGrpc;
import reco.v1.ScoredItem;
import reco.v1.SimilarItemsRequest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real Netty server on an ephemeral loopback port with fixed answers: Echo echoes; SimilarItems
 * answers two items, NOT_FOUND for ids starting with "unknown", and answers ids starting with
 * "slow" after {@link #SLOW_MILLIS}; RecommendForUser answers a fallback for unknown users;
 * RecommendForItems is NOT_FOUND when every id is unknown. It counts what it received: the oracle
 * for the load generator's counts.
 */
final class StubRecommenderServer implements AutoCloseable {
    static final long SLOW_MILLIS = 300;

    final AtomicLong echoCalls = new AtomicLong();
    final AtomicLong similarCalls = new AtomicLong();
    final AtomicLong similarUnknown = new AtomicLong();
    final AtomicLong userCalls = new AtomicLong();
    final AtomicLong userUnknown = new AtomicLong();
    final AtomicLong itemsCalls = new AtomicLong();
    final AtomicLong itemsUnknown = new AtomicLong();

    private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor();
    private final Server server;

    StubRecommenderServer() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .directExecutor()
                .addService(new Service())
                .build()
                .start();
    }

    int port() {
        return server.getPort();
    }

    String target() {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
        delays.shutdownNow();
    }

    private static final RecommendResponse ANSWER = RecommendResponse.newBuilder()
            .addItems(ScoredItem.newBuilder().setItemId("i1").setScore(0.9f))
            .addItems(ScoredItem.newBuilder().setItemId("i2").setScore(0.8f))
            .setServedBy(Model.MODEL_ITEM_KNN)
            .setGenerationId("gen-test")
            .build();

    private final class Service extends RecommenderGrpc.RecommenderImplBase {
        @Override
        public void echo(EchoRequest request, StreamObserver<EchoResponse> response) {
            echoCalls.incrementAndGet();
            response.onNext(EchoResponse.newBuilder().setPayload(request.getPayload()).build());
            response.onCompleted();
        }

        @Override
        public void similarItems(SimilarItemsRequest request, StreamObserver<RecommendResponse> response) {
            similarCalls.incrementAndGet();
            String id = request.getItemId();
            if (id.startsWith("unknown")) {
                similarUnknown.incrementAndGet();
                response.onError(Status.NOT_FOUND.withDescription("unknown item '" + id + "'").asRuntimeException());
            } else if (id.startsWith("slow")) {
                delays.schedule(() -> {
                    response.onNext(ANSWER);
                    response.onCompleted();
                }, SLOW_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                response.onNext(ANSWER);
                response.onCompleted();
            }
        }

        @Override
        public void recommendForUser(RecommendForUserRequest request, StreamObserver<RecommendResponse> response) {
            userCalls.incrementAndGet();
            if (request.getUserId().startsWith("unknown")) {
                userUnknown.incrementAndGet();
                response.onNext(ANSWER.toBuilder().setFallback(true).setFallbackReason("unknown user: popular items")
                        .setServedBy(Model.MODEL_POPULARITY).build());
            } else {
                response.onNext(ANSWER);
            }
            response.onCompleted();
        }

        @Override
        public void recommendForItems(RecommendForItemsRequest request, StreamObserver<RecommendResponse> response) {
            itemsCalls.incrementAndGet();
            if (request.getItemIdsList().stream().allMatch(id -> id.startsWith("unknown"))) {
                itemsUnknown.incrementAndGet();
                response.onError(Status.NOT_FOUND.withDescription("none of the items is known").asRuntimeException());
                return;
            }
            response.onNext(ANSWER);
            response.onCompleted();
        }
    }
}
