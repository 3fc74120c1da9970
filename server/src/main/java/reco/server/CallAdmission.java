package reco.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Decides, for every call of the service it wraps, whether and how long it may use the server. All of
 * it happens before the service method runs, so a refused call costs no model work.
 *
 * <ol>
 *   <li><b>Deadline.</b> From its headers on, a call has at most the maximum call duration (the
 *       client's deadline when earlier). A call whose request has not fully arrived by then (a client
 *       that sends headers and stalls) is closed with DEADLINE_EXCEEDED and counted in
 *       {@code reco.calls.refused{reason=call-duration}}; a running call sees the deadline through its
 *       {@link Context} and stops at its next check (between batch entries, inside MMR loops).</li>
 *   <li><b>Request checks</b>, when the request message arrives: a request that did not parse
 *       ({@link MalformedRequests}) gets INVALID_ARGUMENT and one log line a minute at most; then each
 *       {@link RequestCheck} (the explain right, the cost budget) in order.</li>
 *   <li><b>Concurrency slot</b>, taken when the request arrives, not when the headers do: streams that
 *       never send a request hold no slot, so they cannot lock other clients out. Beyond the limit a
 *       call fails at once with RESOURCE_EXHAUSTED (retry with back-off) instead of queueing without
 *       bound. The slot is held until the call completes or is cancelled.</li>
 * </ol>
 */
final class CallAdmission implements ServerInterceptor {
    private static final Logger LOG = Logger.getLogger(CallAdmission.class.getName());
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    static final String MALFORMED = "malformed";
    static final String CALL_DURATION = "call-duration";

    private final int maxConcurrentCalls;
    private final Semaphore permits; // null = no limit
    private final Duration maxCallDuration; // null = none
    private final ScheduledExecutorService timer;
    private final List<RequestCheck> checks;
    private final MeterRegistry registry;
    private final Counter rejected;
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final AtomicLong lastMalformedLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

    /**
     * @param maxConcurrentCalls calls holding a slot beyond which new ones are refused; 0 = no limit
     * @param maxCallDuration    the server-side deadline; null or zero = none
     * @param timer              runs the deadlines (needed with a maximum call duration)
     * @param checks             run on each request, in order
     */
    CallAdmission(int maxConcurrentCalls, Duration maxCallDuration, ScheduledExecutorService timer,
                  List<RequestCheck> checks, MeterRegistry registry) {
        if (maxConcurrentCalls < 0) {
            throw new IllegalArgumentException("maxConcurrentCalls must be >= 0 (0 = no limit), got " + maxConcurrentCalls);
        }
        this.maxConcurrentCalls = maxConcurrentCalls;
        this.permits = maxConcurrentCalls == 0 ? null : new Semaphore(maxConcurrentCalls);
        this.maxCallDuration = maxCallDuration == null || maxCallDuration.isZero() ? null : maxCallDuration;
        if (this.maxCallDuration != null && timer == null) {
            throw new IllegalArgumentException("a maximum call duration needs a timer");
        }
        this.timer = timer;
        this.checks = List.copyOf(checks);
        this.registry = registry;
        this.rejected = Counter.builder("reco.calls.rejected")
                .description("Calls refused with RESOURCE_EXHAUSTED at the concurrent-call limit")
                .register(registry);
    }

    /** Only the malformed-request check: for services with limits of their own (Admin). */
    static CallAdmission malformedOnly(MeterRegistry registry) {
        return new CallAdmission(0, null, null, List.of(), registry);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Context.CancellableContext context = maxCallDuration == null ? Context.current().withCancellation()
                : Context.current().withDeadlineAfter(maxCallDuration.toNanos(), TimeUnit.NANOSECONDS, timer);
        Gate<Q, R> gate = new Gate<>(call, headers, context);
        if (maxCallDuration != null) {
            context.addListener(cancelled -> {
                if (cancelled.cancellationCause() instanceof TimeoutException) {
                    gate.refuse(Status.DEADLINE_EXCEEDED.withDescription("no complete request within the server's maximum"
                            + " call duration of " + maxCallDuration.toMillis() + " ms"), () -> count(CALL_DURATION));
                }
            }, Runnable::run);
        }
        try {
            gate.delegate = Contexts.interceptCall(context, call, headers, next);
        } catch (RuntimeException | Error e) {
            context.cancel(null);
            throw e;
        }
        return gate;
    }

    private void count(String reason) {
        refused.computeIfAbsent(reason, r -> Counter.builder("reco.calls.refused")
                .description("Calls refused before their method ran: malformed (did not parse), explain-permission, "
                        + "budget (cost over the per-call budget), call-duration (no complete request in time)")
                .tag("reason", r)
                .register(registry)).increment();
    }

    private void logMalformed(String method, SocketAddress peer, String reason) {
        long now = System.nanoTime();
        long last = lastMalformedLog.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastMalformedLog.compareAndSet(last, now)) {
            LOG.warning("refused a malformed request to " + method + " from " + peer + " with INVALID_ARGUMENT: " + reason
                    + " (further ones are counted in reco_calls_refused_total{reason=\"malformed\"}, logged at most once a minute)");
        }
    }

    /** The call's listener: admits the request, or closes the call before the service sees it. */
    private final class Gate<Q, R> extends ServerCall.Listener<Q> {
        private static final int ARRIVING = 0; // headers only
        private static final int ADMITTED = 1; // request received, slot held
        private static final int RUNNING = 2;  // the method runs (or ran): it closes the call itself
        private static final int CLOSED = 3;   // refused here
        private static final int DONE = 4;     // completed or cancelled

        private final ServerCall<Q, R> call;
        private final Metadata headers;
        private final Context.CancellableContext context;
        volatile ServerCall.Listener<Q> delegate;
        private int state = ARRIVING; // guarded by this
        private boolean holdsPermit; // guarded by this

        Gate(ServerCall<Q, R> call, Metadata headers, Context.CancellableContext context) {
            this.call = call;
            this.headers = headers;
            this.context = context;
        }

        @Override
        public void onMessage(Q message) {
            boolean first;
            synchronized (this) {
                if (state >= CLOSED) {
                    return;
                }
                first = state == ARRIVING;
            }
            SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            if (message instanceof MalformedRequests.Malformed malformed) {
                String method = call.getMethodDescriptor().getFullMethodName();
                refuse(Status.INVALID_ARGUMENT.withDescription("the request to " + method
                        + " is not a valid protobuf message: " + malformed.reason()), () -> {
                    count(MALFORMED);
                    logMalformed(method, peer, malformed.reason());
                });
                return;
            }
            for (RequestCheck check : checks) {
                Status refusal = check.check(message, headers, peer);
                if (refusal != null) {
                    refuse(refusal, () -> count(check.reason()));
                    return;
                }
            }
            if (first && permits != null) {
                if (!permits.tryAcquire()) {
                    refuse(Status.RESOURCE_EXHAUSTED.withDescription("the server is at its limit of "
                            + maxConcurrentCalls + " concurrent calls; retry with back-off"), rejected::increment);
                    return;
                }
                synchronized (this) {
                    if (state >= CLOSED) { // refused or cancelled meanwhile
                        permits.release();
                        return;
                    }
                    holdsPermit = true;
                }
            }
            synchronized (this) {
                if (state >= CLOSED) {
                    return;
                }
                if (state == ARRIVING) {
                    state = ADMITTED;
                }
            }
            delegate.onMessage(message);
        }

        @Override
        public void onHalfClose() {
            synchronized (this) {
                if (state >= CLOSED) {
                    return;
                }
                state = RUNNING;
            }
            delegate.onHalfClose();
        }

        @Override
        public void onReady() {
            synchronized (this) {
                if (state >= CLOSED) {
                    return;
                }
            }
            delegate.onReady();
        }

        @Override
        public void onCancel() {
            try {
                delegate.onCancel();
            } finally {
                finish();
            }
        }

        @Override
        public void onComplete() {
            try {
                delegate.onComplete();
            } finally {
                finish();
            }
        }

        private void finish() {
            synchronized (this) {
                state = DONE;
                releasePermit();
            }
            context.cancel(null); // stops the deadline timer
        }

        /**
         * Closes the call with {@code status} unless its method runs already; {@code account} (metrics, log)
         * runs first, so that a client that sees the status also sees it counted.
         */
        void refuse(Status status, Runnable account) {
            synchronized (this) {
                if (state >= RUNNING) {
                    return;
                }
                state = CLOSED;
                releasePermit();
            }
            account.run();
            try {
                call.close(status, new Metadata());
            } catch (IllegalStateException alreadyClosed) {
                // the transport closed it first (e.g. the client went away): nothing to tell anyone
            }
        }

        private void releasePermit() { // holds this
            if (holdsPermit) {
                holdsPermit = false;
                permits.release();
            }
        }
    }
}
