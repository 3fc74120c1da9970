package reco.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import reco.model.ModelKind;
import reco.model.format.ModelFormatException;
import reco.model.generation.Generation;
import reco.model.generation.Manifest;
import reco.model.scoring.ItemFilter;
import reco.model.scoring.Recommender;
import reco.model.scoring.UnsupportedModelException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The generation being served, swapped without blocking requests. A new generation is opened (which
 * validates every file) and warmed up off the request path, then published through an
 * {@link AtomicReference}; the replaced one is unmapped only after its in-flight calls release their
 * leases. A generation that fails to open or warm up is refused: the old one keeps serving, the
 * refusal is logged with the {@link ModelFormatException} message and counted.
 *
 * <p>A watcher thread polls {@code ROOT/CURRENT} ({@link #startWatching}); {@link #requestReload()}
 * (e.g. on SIGHUP) checks at once and also retries a generation refused before.
 */
public final class ModelHolder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ModelHolder.class.getName());
    /** Default interval between two looks at ROOT/CURRENT. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    private static final int WARM_UP_K = 10;

    private final Path root;
    private final Function<Generation, Recommender> recommenderFactory;
    private final MeterRegistry registry;
    private final AtomicReference<ServedGeneration> current = new AtomicReference<>();
    private final List<Consumer<ServedGeneration>> publishListeners = new CopyOnWriteArrayList<>();
    private final Counter reloads;
    /** reco.model.generation{generation=ID} = 1 for the served generation only (one row: bounded). */
    private final MultiGauge generationInfo;
    /** Wall time of the last successful load (open, validate, warm up), for the load-time gauge. */
    private volatile long lastLoadNanos = -1;
    /** Directory name of the last generation refused: not retried until CURRENT changes (or a forced reload). */
    private String lastRefused;
    /** Last problem the watcher logged, so an unchanged problem is logged once, not every poll. */
    private String lastWatcherProblem;
    private ScheduledExecutorService watcher;
    private volatile boolean closed;

    /** Serves generations under {@code root} (a model root holding CURRENT), scored by a plain {@link Recommender}. */
    public ModelHolder(Path root, MeterRegistry registry) {
        this(root, registry, Recommender::new);
    }

    /**
     * @param recommenderFactory builds the scorer of each generation (e.g. with an embedding fold-in);
     *                           called on the loading thread
     */
    public ModelHolder(Path root, MeterRegistry registry, Function<Generation, Recommender> recommenderFactory) {
        this.root = Objects.requireNonNull(root, "root");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.recommenderFactory = Objects.requireNonNull(recommenderFactory, "recommenderFactory");
        this.reloads = Counter.builder("reco.model.reloads")
                .description("Generations loaded and published (the first one included)")
                .register(registry);
        Gauge.builder("reco.model.loaded.time", this, h -> h.servedValue(s -> s.loadedAt().toEpochMilli() / 1000.0))
                .description("When the served generation was loaded (seconds since the epoch; NaN when none)")
                .baseUnit("seconds").strongReference(true).register(registry);
        Gauge.builder("reco.model.load.duration", this,
                        h -> h.lastLoadNanos < 0 ? Double.NaN : h.lastLoadNanos / 1e9)
                .description("How long the served generation took to open, validate and warm up")
                .baseUnit("seconds").strongReference(true).register(registry);
        this.generationInfo = MultiGauge.builder("reco.model.generation")
                .description("1 for the generation being served, tagged with its id (one series at a time)")
                .register(registry);
        Gauge.builder("reco.model.items", this, h -> h.servedValue(s -> s.generation().itemCount()))
                .description("Items in the served generation").baseUnit("items").strongReference(true).register(registry);
        Gauge.builder("reco.model.users", this, h -> h.servedValue(s -> s.generation().userCount()))
                .description("Users in the served generation").baseUnit("users").strongReference(true).register(registry);
    }

    private double servedValue(Function<ServedGeneration, Number> f) {
        ServedGeneration s = current.get();
        return s == null ? Double.NaN : f.apply(s).doubleValue();
    }

    public Path root() {
        return root;
    }

    /** Called (on the loading thread) each time a generation is published, e.g. to mark health SERVING. */
    public void onPublish(Consumer<ServedGeneration> listener) {
        publishListeners.add(listener);
        ServedGeneration s = current.get();
        if (s != null) {
            listener.accept(s);
        }
    }

    /** True once a generation has been published (and until {@link #close()}). */
    public boolean isLoaded() {
        return current.get() != null;
    }

    /** The generation served now, without a lease: for reporting only, never to read model data from. */
    public ServedGeneration peek() {
        return current.get();
    }

    /**
     * A lease on the served generation for one call (close it when the call is done), or null when no
     * generation is loaded.
     */
    public ServedGeneration.Lease acquire() {
        while (true) {
            ServedGeneration s = current.get();
            if (s == null) {
                return null;
            }
            ServedGeneration.Lease lease = s.tryAcquire();
            if (lease != null) {
                return lease;
            }
            // s was replaced and closed between get() and tryAcquire(): current holds its successor
        }
    }

    /**
     * Loads the generation ROOT/CURRENT names unless it is already served or was refused before.
     *
     * @return true when a new generation was published
     * @throws IOException when CURRENT is missing or unreadable, or the generation is refused (already logged and counted)
     */
    public synchronized boolean loadCurrent() throws IOException {
        return loadCurrent(false);
    }

    /**
     * Loads the generation ROOT/CURRENT names now, on the caller's thread, unless it is already served;
     * unlike {@link #loadCurrent()} a generation refused before is tried again. This is the admin
     * reload: it waits for a poll or SIGHUP reload in progress and returns when this one is done.
     *
     * @return true when a new generation was published
     * @throws IOException when CURRENT is missing or unreadable, or the generation is refused (already logged and counted)
     */
    public synchronized boolean reloadNow() throws IOException {
        return loadCurrent(true);
    }

    private synchronized boolean loadCurrent(boolean retryRefused) throws IOException {
        if (closed) {
            return false;
        }
        Path dir = Generation.currentDirectory(root);
        String name = dir.getFileName().toString();
        ServedGeneration served = current.get();
        if (served != null && served.generation().directory().getFileName().toString().equals(name)) {
            return false;
        }
        if (!retryRefused && name.equals(lastRefused)) {
            return false;
        }
        load(dir);
        return true;
    }

    /** Opens, validates, warms up and publishes the generation in {@code dir}; on failure the old one keeps serving. */
    public synchronized void load(Path dir) throws IOException {
        long started = System.nanoTime();
        String name = dir.getFileName().toString();
        Generation generation;
        try {
            generation = Generation.openDeferringIdMaps(dir, true);
        } catch (IOException | RuntimeException e) {
            throw refuse(name, dir, refusalReason(e), e);
        }
        Recommender recommender;
        try {
            recommender = recommenderFactory.apply(generation);
            // the first generation is on the critical path to SERVING: one query of the default model
            // proves it scores; a replacement is warmed on every model while the old one still serves
            warmUp(recommender, generation, current.get() != null);
        } catch (RuntimeException e) {
            generation.close();
            throw refuse(name, dir, "warm-up", new IOException("generation " + dir + " failed its warm-up queries: " + e, e));
        }
        if (closed) {
            generation.close();
            return;
        }
        ServedGeneration next = new ServedGeneration(generation, recommender, Instant.now());
        ServedGeneration previous = current.getAndSet(next);
        lastRefused = null;
        lastLoadNanos = System.nanoTime() - started;
        generationInfo.register(List.of(MultiGauge.Row.of(Tags.of("generation", generation.id()), 1)), true);
        reloads.increment();
        LOG.info(String.format(Locale.ROOT, "serving generation %s (%d items, %d users, default model %s) from %s; loaded in %d ms",
                generation.id(), generation.itemCount(), generation.userCount(), generation.defaultModel(), dir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
        for (Consumer<ServedGeneration> l : publishListeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "publish listener failed", e);
            }
        }
        // the id maps' seconds of run-time compilation start only now that the generation serves
        // (lookups binary-search the id lists meanwhile)
        if (previous != null) {
            previous.retire();
        }
    }

    /** A generation that failed to open or warm up; already logged and counted when thrown. */
    public static final class GenerationRefusedException extends IOException {
        GenerationRefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private GenerationRefusedException refuse(String name, Path dir, String reason, Exception cause) {
        lastRefused = name;
        Counter.builder("reco.model.refused")
                .description("Generations refused (corrupt, truncated, incompatible, failed warm-up); the old one kept serving")
                .tag("reason", reason)
                .register(registry).increment();
        ServedGeneration served = current.get();
        LOG.warning("refused generation " + dir + ": " + cause.getMessage() + "; "
                + (served == null ? "no generation is served" : "still serving " + served.id()));
        return new GenerationRefusedException(cause instanceof IOException ? cause.getMessage()
                : "generation " + dir + " cannot be served: " + cause, cause);
    }

    /** Bounded tag values: the ModelFormatException kind, or io / invalid. */
    private static String refusalReason(Exception e) {
        if (e instanceof ModelFormatException m) {
            return m.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        return e instanceof IOException ? "io" : "invalid";
    }

    /**
     * A few real queries per model before the generation takes traffic: they touch the mapped pages and
     * the scoring code, and a generation whose files validate but cannot be scored is refused here
     * rather than failing requests.
     */
    private static void warmUp(Recommender recommender, Generation generation, boolean everyModel) {
        recommender.popular(WARM_UP_K, ItemFilter.ALLOW_ALL, null, null);
        if (generation.itemCount() == 0) {
            return;
        }
        if (!everyModel) {
            if (generation.userCount() > 0) {
                recommender.recommendForUser(0, new int[0], WARM_UP_K, null, ItemFilter.ALLOW_ALL, false);
            }
            return;
        }
        generation.itemIds().id(0);
        generation.itemIndex().indexOf(generation.itemIds().id(generation.itemCount() - 1));
        if (generation.catalog() != null) {
            generation.catalog().title(0);
            generation.catalog().categories(0);
        }
        Set<ModelKind> models = EnumSet.of(generation.defaultModel());
        for (Manifest.ModelEntry m : generation.manifest().models()) {
            models.add(ModelKind.fromId(m.name()));
        }
        int[] oneItem = {0};
        for (ModelKind model : models) {
            try {
                recommender.similarItems(0, WARM_UP_K, model, ItemFilter.ALLOW_ALL);
            } catch (UnsupportedModelException expected) {
                // e.g. an embedding-only model without neighbour lists: not a fault of the generation
            }
            recommender.recommendForItems(oneItem, WARM_UP_K, model, ItemFilter.ALLOW_ALL, false);
            if (generation.userCount() > 0) {
                recommender.recommendForUser(0, new int[0], WARM_UP_K, model, ItemFilter.ALLOW_ALL, false);
            }
        }
    }

    /** Starts polling ROOT/CURRENT every {@code interval} on a daemon thread. */
    public synchronized void startWatching(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive, got " + interval);
        }
        if (watcher != null) {
            throw new IllegalStateException("already watching " + root);
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reco-model-watcher");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, interval.toMillis());
        watcher.scheduleWithFixedDelay(() -> check(false), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Checks ROOT/CURRENT now on the watcher thread (or the caller's when not watching), retrying a refused generation. */
    public void requestReload() {
        ScheduledExecutorService w;
        synchronized (this) {
            w = watcher;
        }
        if (w != null) {
            w.execute(() -> check(true));
        } else {
            check(true);
        }
    }

    private void check(boolean retryRefused) {
        try {
            loadCurrent(retryRefused);
            lastWatcherProblem = null;
        } catch (IOException | RuntimeException e) {
            // refusals are logged by load(); other problems (no CURRENT, unreadable root) once each
            String problem = String.valueOf(e.getMessage());
            if (!(e instanceof GenerationRefusedException) && !problem.equals(lastWatcherProblem)) {
                LOG.warning("cannot check " + root + " for a new generation: " + problem);
            }
            lastWatcherProblem = problem;
        } catch (Error e) {
            LOG.log(Level.SEVERE, "model watcher failed", e);
            throw e;
        }
    }

    /** Stops watching and unmaps the served generation once its in-flight calls finish. */
    @Override
    public void close() {
        ScheduledExecutorService w;
        synchronized (this) {
            closed = true;
            w = watcher;
            watcher = null;
        }
        if (w != null) {
            w.shutdownNow();
            try {
                w.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            ServedGeneration s = current.getAndSet(null);
            generationInfo.register(List.of(), true);
            if (s != null) {
                s.retire();
            }
        }
    }
}
