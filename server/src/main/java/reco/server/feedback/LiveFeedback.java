package reco.server.feedback;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reco.model.feedback.FeedbackEvent;
import reco.model.feedback.FeedbackLog;
import reco.model.feedback.FeedbackStore;
import reco.model.generation.Generation;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Live feedback of one server: the event log ({@link FeedbackLog}) and the store of recent events
 * ({@link FeedbackStore}) of one feedback directory, their metrics, and their upkeep.
 *
 * <p>Recording appends to the log first (the training input: nothing the store later evicts is lost),
 * then to each user's recent events. When a generation is published whose manifest carries a feedback
 * cut-off ({@value #CUTOFF_PARAMETER}: the trainer read the log up to then), events recorded before the
 * cut-off are retired from the store: the generation holds them now. A maintenance thread flushes the log
 * to disk, drops events past the TTL and evicts users over the cap.
 *
 * <p>Metrics: {@code reco.feedback.events.recorded}, {@code reco.feedback.events.rejected{reason}},
 * {@code reco.feedback.events.evicted{reason=per-user-limit|ttl|capacity}},
 * {@code reco.feedback.events.retired}, {@code reco.feedback.store.users},
 * {@code reco.feedback.store.bytes} and {@code reco.feedback.log.bytes}.
 */
public final class LiveFeedback implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LiveFeedback.class.getName());
    /** Manifest parameter: unix milliseconds before which the generation's trainer read every logged event. */
    public static final String CUTOFF_PARAMETER = FeedbackLog.CUTOFF_PARAMETER;
    /** Default interval of the maintenance pass (log flush, TTL, user cap). */
    public static final Duration DEFAULT_MAINTENANCE_INTERVAL = Duration.ofSeconds(1);

    private final FeedbackLog log;
    private final FeedbackStore store;
    private final LongSupplier clock;
    private final Counter recorded;
    private final Counter rejectedUnknownItem;
    private final Counter evictedPerUser;
    private final Counter evictedTtl;
    private final Counter evictedCapacity;
    private final Counter retired;
    private final ScheduledExecutorService maintenance;
    private volatile long lastRetiredCutoff = Long.MIN_VALUE;
    /** TTL and cap passes read every entry: at most once per {@link #SWEEP_INTERVAL_MILLIS}. */
    private long lastSweepMillis;
    static final long SWEEP_INTERVAL_MILLIS = 60_000;

    private LiveFeedback(FeedbackLog log, FeedbackStore store, LongSupplier clock, MeterRegistry registry,
                         Duration maintenanceInterval) {
        this.log = log;
        this.store = store;
        this.clock = clock;
        this.recorded = Counter.builder("reco.feedback.events.recorded")
                .description("Interactions recorded through RecordInteractions").register(registry);
        this.rejectedUnknownItem = Counter.builder("reco.feedback.events.rejected")
                .description("Interactions not recorded").tag("reason", "unknown-item").register(registry);
        this.evictedPerUser = evicted(registry, "per-user-limit");
        this.evictedTtl = evicted(registry, "ttl");
        this.evictedCapacity = evicted(registry, "capacity");
        this.retired = Counter.builder("reco.feedback.events.retired")
                .description("Events dropped from the live store because a served generation was trained on them")
                .register(registry);
        Gauge.builder("reco.feedback.store.users", store, FeedbackStore::users)
                .description("Users with recent events in the live feedback store").baseUnit("users")
                .strongReference(true).register(registry);
        Gauge.builder("reco.feedback.store.bytes", store, FeedbackStore::bytesUsed)
                .description("Bytes the live feedback store uses in its file").baseUnit("bytes")
                .strongReference(true).register(registry);
        Gauge.builder("reco.feedback.log.bytes", log, l -> {
                    try {
                        return l.sizeBytes();
                    } catch (IOException e) {
                        return Double.NaN;
                    }
                })
                .description("Size of the feedback event log (the training input of the next generation)")
                .baseUnit("bytes").strongReference(true).register(registry);
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reco-feedback-maintenance");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, maintenanceInterval.toMillis());
        maintenance.scheduleWithFixedDelay(this::maintain, period, period, TimeUnit.MILLISECONDS);
    }

    private static Counter evicted(MeterRegistry registry, String reason) {
        return Counter.builder("reco.feedback.events.evicted")
                .description("Events dropped from the live store by its bounds (they stay in the event log)")
                .tag("reason", reason).register(registry);
    }

    /** Opens (creating) the feedback directory {@code dir}. */
    public static LiveFeedback open(Path dir, FeedbackStore.Settings settings, MeterRegistry registry) throws IOException {
        return open(dir, settings, registry, System::currentTimeMillis, DEFAULT_MAINTENANCE_INTERVAL);
    }

    public static LiveFeedback open(Path dir, FeedbackStore.Settings settings, MeterRegistry registry,
                                    LongSupplier clockMillis, Duration maintenanceInterval) throws IOException {
        FeedbackLog log = FeedbackLog.open(dir);
        FeedbackStore store;
        try {
            store = FeedbackStore.open(dir, settings);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        return new LiveFeedback(log, store, clockMillis, registry, maintenanceInterval);
    }

    public long nowMillis() {
        return clock.getAsLong();
    }

    /**
     * Records {@code events} (items the served generation knows, oldest first): appended to the log,
     * then to each user's recent events.
     */
    public void record(List<FeedbackEvent> events) throws IOException {
        if (events.isEmpty()) {
            return;
        }
        List<FeedbackEvent> stamped = log.append(events, clock);
        Map<String, List<FeedbackStore.Recent>> byUser = new LinkedHashMap<>();
        for (FeedbackEvent e : stamped) {
            byUser.computeIfAbsent(e.userId(), u -> new ArrayList<>(4))
                    .add(new FeedbackStore.Recent(e.itemId(), e.weight(), e.eventTimeMillis(), e.recordedAtMillis()));
        }
        long now = stamped.get(0).recordedAtMillis();
        for (Map.Entry<String, List<FeedbackStore.Recent>> user : byUser.entrySet()) {
            FeedbackStore.Dropped dropped = store.add(user.getKey(), user.getValue(), now);
            evictedPerUser.increment(dropped.perUserLimit());
            evictedTtl.increment(dropped.expired());
        }
        recorded.increment(stamped.size());
        if (store.users() > store.settings().maxUsers()) {
            evictedCapacity.increment(store.evictOverCapacity());
        }
    }

    /** Counts interactions refused because the served generation does not know their item. */
    public void rejectedUnknownItems(long n) {
        rejectedUnknownItem.increment(n);
    }

    /** {@code userId}'s recent events, oldest first (empty for a user with none). */
    public List<FeedbackStore.Recent> recent(String userId) {
        return store.recent(userId, clock.getAsLong());
    }

    /**
     * A generation was published: when its trainer read the event log (its manifest has a cut-off), the
     * events recorded before the cut-off are in the generation and leave the store.
     */
    public void generationPublished(Generation generation) {
        Map<String, Object> parameters = generation.manifest().parameters();
        Object cutoff = parameters == null ? null : parameters.get(CUTOFF_PARAMETER);
        if (!(cutoff instanceof Number n) || n.longValue() <= lastRetiredCutoff) {
            return;
        }
        long millis = n.longValue();
        long count;
        try {
            count = store.retireRecordedBefore(millis);
        } catch (RuntimeException e) {
            // the generation is served regardless; the events stay until the next generation or their TTL
            LOG.log(Level.WARNING, "retiring events trained on by generation " + generation.id() + " failed: " + e, e);
            return;
        }
        lastRetiredCutoff = millis;
        retired.increment(count);
        LOG.info("generation " + generation.id() + " was trained on the feedback log up to "
                + java.time.Instant.ofEpochMilli(millis) + ": " + count + " events retired from the live store");
    }

    /** One upkeep pass: flush the log, drop expired events (once a minute), evict users over the cap. */
    void maintain() {
        try {
            log.force();
            long now = clock.getAsLong();
            if (now - lastSweepMillis >= SWEEP_INTERVAL_MILLIS) {
                lastSweepMillis = now;
                evictedTtl.increment(store.expire(now)); // reads skip expired events meanwhile
            }
            evictedCapacity.increment(store.evictOverCapacity()); // O(1) unless over the cap
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "feedback upkeep failed (retried at the next interval): " + e, e);
        }
    }

    public FeedbackStore store() {
        return store;
    }

    public Path logFile() {
        return log.file();
    }

    @Override
    public void close() {
        maintenance.shutdownNow();
        try {
            maintenance.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            log.force();
            log.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing the feedback log: " + e, e);
        }
        store.close();
    }
}
