package reco.server;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reco.v1.EchoRequest;
import reco.v1.EchoResponse;
import reco.v1.RecommenderGrpc;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.AfterEach;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link CallAdmission} in-process: slots at message arrival, the server-side deadline, malformed requests, checks. */
class CallAdmissionTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private CallAdmission admission(int limit, Duration maxCallDuration, SimpleMeterRegistry registry, RequestCheck... checks) {
        return new CallAdmission(limit, maxCallDuration, timer, List.of(checks), registry);
    }

    @Test
    void callsBeyondTheLimitFailFastAndPermitsComeBack() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        RecommenderGrpc.RecommenderImplBase blocking = new RecommenderGrpc.RecommenderImplBase() {
            @Override
            public void echo(EchoRequest request, StreamObserver<EchoResponse> responses) {
                if (request.getPayload().toStringUtf8().equals("block")) {
                    entered.countDown();
                    try {
                        proceed.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                responses.onNext(EchoResponse.newBuilder().setPayload(request.getPayload()).build());
                responses.onCompleted();
            }
        };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String name = InProcessServerBuilder.generateName();
        ExecutorService executor = Executors.newCachedThreadPool();
        Server server = InProcessServerBuilder.forName(name).executor(executor)
                .addService(ServerInterceptors.intercept(MalformedRequests.tolerant(blocking.bindService()),
                        admission(1, Duration.ofSeconds(60), registry)))
                .build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            ListenableFuture<EchoResponse> first = RecommenderGrpc.newFutureStub(channel).echo(echo("block"));
            assertTrue(entered.await(30, TimeUnit.SECONDS));
            RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(channel);
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.echo(echo("second")));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
            assertEquals(1.0, registry.get("reco.calls.rejected").counter().count());
            proceed.countDown();
            assertEquals("block", first.get(30, TimeUnit.SECONDS).getPayload().toStringUtf8());
            // the permit is released when the first call completes (asynchronously, after its response)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    assertEquals("third", stub.echo(echo("third")).getPayload().toStringUtf8());
                    break;
                } catch (StatusRuntimeException retry) {
                    assertEquals(Status.Code.RESOURCE_EXHAUSTED, retry.getStatus().getCode());
                    assertTrue(System.nanoTime() < deadline, "permit never released");
                    Thread.sleep(10);
                }
            }
        } finally {
            proceed.countDown();
            channel.shutdownNow();
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            executor.shutdownNow();
        }
    }

    @Test
    void headerOnlyCallsHoldNoSlotAndAreCancelledAtTheMaximumCallDuration() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(MalformedRequests.tolerant(new EchoOnly().bindService()),
                        admission(2, Duration.ofMillis(300), registry)))
                .build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        try {
            List<CompletableFuture<Status>> stalled = new ArrayList<>();
            for (int i = 0; i < 10; i++) { // five times the slots: headers only, never a message
                ClientCall<EchoRequest, EchoResponse> call = channel.newCall(RecommenderGrpc.getEchoMethod(), CallOptions.DEFAULT);
                CompletableFuture<Status> closed = new CompletableFuture<>();
                call.start(new ClientCall.Listener<>() {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        closed.complete(status);
                    }
                }, new Metadata());
                call.request(1);
                stalled.add(closed);
            }
            RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(channel);
            assertEquals("through", stub.echo(echo("through")).getPayload().toStringUtf8(), "stalled calls hold no slot");
            for (CompletableFuture<Status> closed : stalled) {
                Status status = closed.get(30, TimeUnit.SECONDS);
                assertEquals(Status.Code.DEADLINE_EXCEEDED, status.getCode(), status.toString());
                assertTrue(status.getDescription().contains("maximum call duration"), status.toString());
            }
            assertEquals(10.0, registry.get("reco.calls.refused").tag("reason", "call-duration").counter().count());
        } finally {
            channel.shutdownNow();
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void requestsThatDoNotParseAreInvalidArgumentAndTheNextCallWorks() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(MalformedRequests.tolerant(new EchoOnly().bindService()),
                        admission(4, Duration.ofSeconds(60), registry)))
                .build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        MethodDescriptor<byte[], byte[]> rawSimilar = raw("reco.v1.Recommender/SimilarItems");
        try {
            // field 1 (item_id), length 2, bytes C3 28: invalid UTF-8
            StatusRuntimeException utf8 = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
                    channel, rawSimilar, CallOptions.DEFAULT, new byte[] {0x0a, 0x02, (byte) 0xc3, 0x28}));
            assertEquals(Status.Code.INVALID_ARGUMENT, utf8.getStatus().getCode());
            assertTrue(utf8.getStatus().getDescription().contains("UTF-8"), utf8.getStatus().toString());
            // field 1, length 10, but only 3 bytes follow: truncated
            StatusRuntimeException truncated = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
                    channel, rawSimilar, CallOptions.DEFAULT, new byte[] {0x0a, 0x0a, 'a', 'b', 'c'}));
            assertEquals(Status.Code.INVALID_ARGUMENT, truncated.getStatus().getCode(), truncated.getStatus().toString());
            assertEquals(2.0, registry.get("reco.calls.refused").tag("reason", "malformed").counter().count());
            assertEquals("fine", RecommenderGrpc.newBlockingStub(channel).echo(echo("fine")).getPayload().toStringUtf8());
        } finally {
            channel.shutdownNow();
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRefusingCheckClosesTheCallBeforeTheMethodRuns() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RequestCheck noFoo = new RequestCheck() {
            @Override
            public Status check(Object request, Metadata headers, java.net.SocketAddress peer) {
                return request instanceof EchoRequest e && e.getPayload().toStringUtf8().equals("foo")
                        ? Status.INVALID_ARGUMENT.withDescription("no foo") : null;
            }

            @Override
            public String reason() {
                return "foo";
            }
        };
        EchoOnly service = new EchoOnly();
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(MalformedRequests.tolerant(service.bindService()),
                        admission(1, Duration.ofSeconds(60), registry, noFoo)))
                .build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        try {
            RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(channel);
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.echo(echo("foo")));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertEquals(0, service.calls.get(), "the method never ran");
            // a refused call gave its slot back (limit 1)
            assertEquals("bar", stub.echo(echo("bar")).getPayload().toStringUtf8());
            assertEquals(1.0, registry.get("reco.calls.refused").tag("reason", "foo").counter().count());
        } finally {
            channel.shutdownNow();
            server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static final class EchoOnly extends RecommenderGrpc.RecommenderImplBase {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void echo(EchoRequest request, StreamObserver<EchoResponse> responses) {
            calls.incrementAndGet();
            responses.onNext(EchoResponse.newBuilder().setPayload(request.getPayload()).build());
            responses.onCompleted();
        }
    }

    static MethodDescriptor<byte[], byte[]> raw(String fullMethodName) {
        MethodDescriptor.Marshaller<byte[]> bytes = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(byte[] value) {
                return new ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(fullMethodName).setRequestMarshaller(bytes).setResponseMarshaller(bytes).build();
    }

    private static EchoRequest echo(String payload) {
        return EchoRequest.newBuilder().setPayload(com.google.protobuf.ByteString.copyFromUtf8(payload)).build();
    }
}
