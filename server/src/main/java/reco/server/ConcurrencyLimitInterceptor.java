package reco.server;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Caps calls in progress (running or queued for the executor); beyond the cap a call fails at once
 * with RESOURCE_EXHAUSTED (retry with back-off, as recommender.proto says) instead of queueing
 * without bound and timing out later. A permit is held from the call's start until it completes
 * or is cancelled.
 */
final class ConcurrencyLimitInterceptor implements ServerInterceptor {
    private final int limit;
    private final Semaphore permits;
    private final Counter rejected;

    ConcurrencyLimitInterceptor(int limit, MeterRegistry registry) {
        if (limit < 1) {
            throw new IllegalArgumentException("maxConcurrentCalls must be >= 1, got " + limit);
        }
        this.limit = limit;
        this.permits = new Semaphore(limit);
        this.rejected = Counter.builder("reco.calls.rejected")
                .description("Calls refused with RESOURCE_EXHAUSTED at the concurrent-call limit")
                .register(registry);
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        if (!permits.tryAcquire()) {
            rejected.increment();
            call.close(Status.RESOURCE_EXHAUSTED.withDescription(
                    "the server is at its limit of " + limit + " concurrent calls; retry with back-off"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        };
        ServerCall.Listener<ReqT> delegate;
        try {
            delegate = next.startCall(call, headers);
        } catch (RuntimeException | Error e) {
            release.run();
            throw e;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onComplete() {
                try {
                    super.onComplete();
                } finally {
                    release.run();
                }
            }

            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    release.run();
                }
            }
        };
    }
}
