package reco.loadtest;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reco.v1.RecommendResponse;

import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives unary calls over ready channels with async stubs and records their latency and status.
 *
 * <p>One dispatcher thread (the caller's) builds and starts calls; completions arrive on the
 * channels' transport threads (channels should use {@code directExecutor()}) and only record and
 * free a slot. Outstanding calls are bounded by a semaphore of {@link LoadSettings#concurrency()}
 * permits: in a closed loop the dispatcher starts a call as soon as a permit frees; in an open loop
 * it first waits for the call's scheduled time.
 */
public final class LoadGenerator {
    /** Latencies up to a minute are recorded exactly (3 significant digits); longer ones are clamped. */
    public static final long MAX_RECORDED_MICROS = 60_000_000L;
    static final int SIGNIFICANT_DIGITS = 3;
    static final int MAX_ERROR_MESSAGES = 10;
    /** Quoted parts of error descriptions (ids, mostly) are masked so that one kind of error is one line. */
    private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile("'[^']*'");
    /**
     * The open-loop dispatcher parks until this close to a call's scheduled time and spins the rest:
     * a park overshoots by tens of microseconds, which would be charged to the server as latency.
     */
    private static final long SPIN_NANOS = 50_000;
    /** After the run, outstanding calls get their deadline plus this to finish. */
    private static final long DRAIN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final List<? extends Channel> channels;
    private final RequestFactory requests;

    public LoadGenerator(List<? extends Channel> channels, RequestFactory requests) {
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("no channels to drive");
        }
        this.channels = List.copyOf(channels);
        this.requests = requests;
    }

    /**
     * Runs warm-up then the measured phase, waits for outstanding calls, and returns the measured
     * calls' statistics. Progress lines go to {@code progress} (may be null).
     */
    public RunResult run(String label, RequestMix mix, LoadSettings settings, PrintWriter progress) throws InterruptedException {
        requests.checkCanBuild(mix);
        Recording recording = new Recording(mix);
        Semaphore slots = new Semaphore(settings.concurrency());
        SplittableRandom random = new SplittableRandom(settings.seed());
        long timeoutNanos = settings.timeout().toNanos();
        long warmupNanos = settings.warmup().toNanos();

        long start = System.nanoTime();
        long measureStart = start + warmupNanos;
        long stopAt = measureStart + settings.duration().toNanos();
        double nanosPerCall = settings.openLoop() ? 1e9 / settings.rate() : 0;
        long measuredSent = 0;
        long scheduled = 0;
        if (progress != null) {
            progress.printf("%s: %s%s, then measuring %s%s%n", label, settings.describe(),
                    warmupNanos > 0 ? ", warming up " + DurationText.format(settings.warmup()) : "",
                    DurationText.format(settings.duration()), settings.requests() > 0 ? " or " + settings.requests() + " calls" : "");
            progress.flush();
        }
        boolean warmupAnnounced = warmupNanos == 0;
        int nextChannel = 0;
        for (long i = 0; ; i++) {
            long intended;
            if (settings.openLoop()) {
                intended = start + (long) (i * nanosPerCall);
                if (intended >= stopAt) {
                    break;
                }
                if (intended >= measureStart) {
                    scheduled++;
                }
                awaitTime(intended);
                long wait = stopAt - System.nanoTime();
                if (wait <= 0 || !slots.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                    // Outstanding calls never fell below the cap before the end: the rest of the schedule stays unsent.
                    for (long j = i + 1; ; j++) {
                        long later = start + (long) (j * nanosPerCall);
                        if (later >= stopAt) {
                            break;
                        }
                        if (later >= measureStart) {
                            scheduled++;
                        }
                    }
                    break;
                }
            } else {
                long wait = stopAt - System.nanoTime();
                if (wait <= 0 || !slots.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                    break;
                }
                intended = System.nanoTime();
                if (intended >= stopAt) {
                    slots.release();
                    break;
                }
            }
            boolean measured = intended >= measureStart;
            if (measured) {
                if (settings.requests() > 0 && measuredSent >= settings.requests()) {
                    slots.release();
                    break;
                }
                measuredSent++;
                if (!warmupAnnounced && progress != null) {
                    progress.printf("%s: warm-up done, measuring%n", label);
                    progress.flush();
                    warmupAnnounced = true;
                }
            }
            CallKind kind = mix.pick(random.nextDouble());
            Message request = requests.build(kind, random);
            Channel channel = channels.get(nextChannel);
            nextChannel = nextChannel + 1 == channels.size() ? 0 : nextChannel + 1;
            start(channel, kind, request, timeoutNanos, new Completion(recording, slots, kind, intended, measured));
        }
        if (settings.openLoop() && settings.requests() > 0) {
            // The schedule is cut at the count limit: slots past it were never meant to be sent.
            scheduled = Math.min(scheduled, settings.requests());
        }
        // Wait for the stragglers: every call ends by its deadline.
        if (!slots.tryAcquire(settings.concurrency(), timeoutNanos + DRAIN_GRACE_NANOS, TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException(label + ": " + (settings.concurrency() - slots.availablePermits())
                    + " calls still outstanding " + DurationText.format(settings.timeout()) + " after their deadline");
        }
        long end = Math.max(recording.lastCompletion.get(), measureStart);
        long unsent = settings.openLoop() ? Math.max(0, scheduled - measuredSent) : 0;
        return recording.result(label, mix, settings, channels.size(), end - measureStart,
                settings.openLoop() ? scheduled : 0, unsent);
    }

    @SuppressWarnings("unchecked")
    private static <Q, R> void start(Channel channel, CallKind kind, Message request, long timeoutNanos, StreamObserver<Object> observer) {
        MethodDescriptor<Q, R> method = (MethodDescriptor<Q, R>) kind.method();
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
        ClientCalls.asyncUnaryCall(channel.newCall(method, options), (Q) request, (StreamObserver<R>) observer);
    }

    private static void awaitTime(long target) {
        long remaining;
        while ((remaining = target - System.nanoTime()) > SPIN_NANOS) {
            LockSupport.parkNanos(remaining - SPIN_NANOS);
        }
        while (target - System.nanoTime() > 0) {
            Thread.onSpinWait();
        }
    }

    /** Records one call's outcome, then frees its slot (in that order, so a drained run is fully recorded). */
    private static final class Completion implements StreamObserver<Object> {
        private final Recording recording;
        private final Semaphore slots;
        private final CallKind kind;
        private final long intended;
        private final boolean measured;
        private boolean fallback;

        Completion(Recording recording, Semaphore slots, CallKind kind, long intended, boolean measured) {
            this.recording = recording;
            this.slots = slots;
            this.kind = kind;
            this.intended = intended;
            this.measured = measured;
        }

        @Override
        public void onNext(Object response) {
            if (response instanceof RecommendResponse r && r.getFallback()) {
                fallback = true;
            }
        }

        @Override
        public void onError(Throwable t) {
            finish(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            finish(Status.OK);
        }

        private void finish(Status status) {
            try {
                if (measured) {
                    recording.record(kind, status, System.nanoTime() - intended, fallback);
                }
            } finally {
                slots.release();
            }
        }
    }

    /** Thread-safe accumulation of the measured calls' outcomes. */
    private static final class Recording {
        private final Map<CallKind, Recorder> latency = new EnumMap<>(CallKind.class);
        private final Map<CallKind, LongAdder[]> statuses = new EnumMap<>(CallKind.class);
        private final Map<CallKind, LongAdder> fallbacks = new EnumMap<>(CallKind.class);
        private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        private final Map<Status.Code, AtomicLong> distinctErrorMessages = new ConcurrentHashMap<>();
        private final LongAdder clamped = new LongAdder();
        private final AtomicLong lastCompletion = new AtomicLong(Long.MIN_VALUE);

        Recording(RequestMix mix) {
            for (CallKind kind : mix.kinds()) {
                latency.put(kind, new Recorder(MAX_RECORDED_MICROS, SIGNIFICANT_DIGITS));
                LongAdder[] counts = new LongAdder[Status.Code.values().length];
                for (int c = 0; c < counts.length; c++) {
                    counts[c] = new LongAdder();
                }
                statuses.put(kind, counts);
                fallbacks.put(kind, new LongAdder());
            }
        }

        void record(CallKind kind, Status status, long latencyNanos, boolean fallback) {
            long now = System.nanoTime();
            long micros = Math.max(0, latencyNanos / 1000);
            if (micros > MAX_RECORDED_MICROS) {
                micros = MAX_RECORDED_MICROS;
                clamped.increment();
            }
            latency.get(kind).recordValue(micros);
            statuses.get(kind)[status.getCode().ordinal()].increment();
            if (fallback && status.isOk()) {
                fallbacks.get(kind).increment();
            }
            if (!status.isOk()) {
                countError(status);
            }
            lastCompletion.accumulateAndGet(now, Math::max);
        }

        private void countError(Status status) {
            String description = status.getDescription() == null ? "" : QUOTED.matcher(status.getDescription()).replaceAll("'*'");
            String message = status.getCode() + ": " + description;
            LongAdder counter = errors.get(message);
            if (counter == null) {
                // Unquoted ids would still make every message distinct: keep a few per code, lump the rest.
                AtomicLong distinct = distinctErrorMessages.computeIfAbsent(status.getCode(), c -> new AtomicLong());
                if (distinct.get() >= MAX_ERROR_MESSAGES) {
                    message = status.getCode() + ": (other messages)";
                    counter = errors.computeIfAbsent(message, m -> new LongAdder());
                } else {
                    counter = errors.computeIfAbsent(message, m -> {
                        distinct.incrementAndGet();
                        return new LongAdder();
                    });
                }
            }
            counter.increment();
        }

        RunResult result(String label, RequestMix mix, LoadSettings settings, int connections, long elapsedNanos,
                         long scheduled, long unsent) {
            Histogram all = new Histogram(MAX_RECORDED_MICROS, SIGNIFICANT_DIGITS);
            Map<Status.Code, Long> allStatuses = new EnumMap<>(Status.Code.class);
            Map<CallKind, RunResult.KindResult> perKind = new LinkedHashMap<>();
            long totalFallbacks = 0;
            for (CallKind kind : mix.kinds()) {
                Histogram h = latency.get(kind).getIntervalHistogram();
                all.add(h);
                Map<Status.Code, Long> counts = new EnumMap<>(Status.Code.class);
                LongAdder[] adders = statuses.get(kind);
                for (Status.Code code : Status.Code.values()) {
                    long n = adders[code.ordinal()].sum();
                    if (n > 0) {
                        counts.put(code, n);
                        allStatuses.merge(code, n, Long::sum);
                    }
                }
                long fb = fallbacks.get(kind).sum();
                totalFallbacks += fb;
                perKind.put(kind, new RunResult.KindResult(h.getTotalCount(), h, counts, fb));
            }
            Map<String, Long> errorCounts = new LinkedHashMap<>();
            errors.entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                    .forEach(e -> errorCounts.put(e.getKey(), e.getValue().sum()));
            return new RunResult(label, mix, settings, connections, all.getTotalCount(), elapsedNanos, all, allStatuses,
                    errorCounts, perKind, scheduled, unsent, totalFallbacks, clamped.sum());
        }
    }
}
