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

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrencyLimitInterceptorTest {
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
                .addService(ServerInterceptors.intercept(blocking, new ConcurrencyLimitInterceptor(1, registry)))
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

    private static EchoRequest echo(String payload) {
        return EchoRequest.newBuilder().setPayload(com.google.protobuf.ByteString.copyFromUtf8(payload)).build();
    }
}
