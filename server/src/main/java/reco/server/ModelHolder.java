package reco.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import reco.model.ModelKind;
import reco.model.format.ModelFormatException;
import reco.model.generation.Generation;
import reco.model.generation.GenerationFiles;
import reco.model.generation.GenerationWriter;
import reco.model.generation.Manifest;
import reco.model.scoring.ItemFilter;
import reco.model.scoring.Recommender;
import reco.model.scoring.UnsupportedModelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
import java.util.concurrent.RejectedExecutionException;
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
 * (e.g. on SIGHUP) checks at once and also retries a generation refused before. A CURRENT that holds
 * no generation name, or names a missing directory, is refused like a damaged generation.
 *
 * <p>Faults (docs/reliability.md): at a cold start, when CURRENT's generation is refused, the newest
 * other generation that validates is served instead of nothing. The watcher never dies: every failure
 * is logged and counted and the next poll tries again. Each poll also checks that the served
 * generation's mapped files were not changed in place; such a change, or a call that faulted reading
 * a mapped page ({@link ServedGeneration.Lease#reportFault}), re-validates the generation and replaces
 * it by the newest one that validates, or withdraws it when none does. Replaced generations are
 * unmapped on their own thread once their last call is done.
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
    /** reco.model.generation.info{generation=ID} = 1 for the served generation only (one row: bounded). */
    private final MultiGauge generationInfo;
    /** Wall time of the last successful load (open, validate, warm up), for the load-time gauge. */
    private volatile long lastLoadNanos = -1;
    /** Directory name of the last generation refused: not retried until CURRENT changes (or a forced reload). */
    private String lastRefused;
    /** Last problem the watcher logged, so an unchanged problem is logged once, not every poll. */
    private volatile String lastWatcherProblem;
    /** Wall time of the last look at the root that completed; -1 before the first. */
    private volatile long lastSuccessfulPollMillis = -1;
    /** Guards {@link #watcher} only: a request thread reporting a fault must never wait for a load. */
    private final Object watcherLock = new Object();
    private ScheduledExecutorService watcher;
    /** Unmaps replaced generations, off the threads that released them (often a call's). */
    private final java.util.concurrent.ExecutorService unmapper = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "reco-generation-unmapper");
        t.setDaemon(true);
        return t;
    });
    private final List<Runnable> withdrawListeners = new CopyOnWriteArrayList<>();
    /** The generation a re-validation is pending for: a burst of faulting calls triggers one, not one each. */
    private final AtomicReference<ServedGeneration> revalidating = new AtomicReference<>();
    private final Counter callFaults;
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
        this.callFaults = Counter.builder("reco.model.call.faults")
                .description("Calls that failed reading the served generation's mapped files (e.g. a file truncated in place)")
                .register(registry);
        pollFailures("io"); // exported at 0 from the start, so rate() and alerts see the series
        pollFailures("error");
        Gauge.builder("reco.model.poll.last.success", this,
                        h -> h.lastSuccessfulPollMillis < 0 ? Double.NaN : h.lastSuccessfulPollMillis / 1000.0)
                .description("When the model watcher last looked at the model root without failing (seconds since the "
                        + "epoch; NaN before the first look); alert when it falls behind the poll interval")
                .baseUnit("seconds").strongReference(true).register(registry);
        Gauge.builder("reco.model.loaded.time", this, h -> h.servedValue(s -> s.loadedAt().toEpochMilli() / 1000.0))
                .description("When the served generation was loaded (seconds since the epoch; NaN when none)")
                .baseUnit("seconds").strongReference(true).register(registry);
        Gauge.builder("reco.model.load.duration", this,
                        h -> h.lastLoadNanos < 0 ? Double.NaN : h.lastLoadNanos / 1e9)
                .description("How long the served generation took to open, validate and warm up")
                .baseUnit("seconds").strongReference(true).register(registry);
        Gauge.builder("reco.model.age", this, h -> h.servedValue(ModelHolder::ageSeconds))
                .description("Age of the served generation: seconds since its trainer created it (NaN when none); "
                        + "alert when retraining falls behind its schedule")
                .baseUnit("seconds").strongReference(true).register(registry);
        this.generationInfo = MultiGauge.builder("reco.model.generation.info")
                .description("1 for the generation being served, tagged with its id (one series at a time)")
                .register(registry);
        Gauge.builder("reco.model.items", this, h -> h.servedValue(s -> s.generation().itemCount()))
                .description("Items in the served generation").baseUnit("items").strongReference(true).register(registry);
        Gauge.builder("reco.model.users", this, h -> h.servedValue(s -> s.generation().userCount()))
                .description("Users in the served generation").baseUnit("users").strongReference(true).register(registry);
    }

    private static double ageSeconds(ServedGeneration served) {
        String created = served.generation().manifest().createdAt();
        try {
            return created == null ? Double.NaN
                    : Duration.between(Instant.parse(created), Instant.now()).toMillis() / 1000.0;
        } catch (java.time.format.DateTimeParseException e) {
            return Double.NaN;
        }
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
        if (!Files.exists(root.resolve(GenerationFiles.CURRENT), LinkOption.NOFOLLOW_LINKS)) {
            // nothing was ever published: not a refusal, and nothing to fall back on
            throw new ModelFormatException(ModelFormatException.Kind.MISSING, root.resolve(GenerationFiles.CURRENT),
                    "no generation published under " + root + " (run `reco train --out " + root + "` first)");
        }
        Path dir;
        try {
            dir = Generation.currentDirectory(root);
        } catch (ModelFormatException e) {
            // CURRENT holds junk, a path, a temporary directory, or names a directory that is not there
            String key = CURRENT_PROBLEM + e.getMessage();
            if (!retryRefused && key.equals(lastRefused)) {
                return false;
            }
            GenerationRefusedException refused = refuse(key, root.resolve(GenerationFiles.CURRENT), "current", e);
            return fallBackIfNothingServed(null, refused);
        }
        String name = dir.getFileName().toString();
        ServedGeneration served = current.get();
        if (served != null && served.generation().directory().getFileName().toString().equals(name)) {
            return false;
        }
        if (!retryRefused && name.equals(lastRefused)) {
            return false;
        }
        try {
            load(dir);
        } catch (GenerationRefusedException e) {
            return fallBackIfNothingServed(name, e);
        }
        return true;
    }

    private static final String CURRENT_PROBLEM = "CURRENT: ";

    /**
     * At a cold start (nothing served yet), when the generation CURRENT names is refused, serves the
     * newest generation under the root that validates rather than nothing; a server already serving
     * keeps what it serves instead.
     */
    private boolean fallBackIfNothingServed(String refusedName, GenerationRefusedException refused) throws IOException {
        if (current.get() != null) {
            throw refused;
        }
        if (!loadNewestValid(refusedName, "CURRENT's generation was refused (" + refused.getMessage() + ")")) {
            throw refused;
        }
        return true;
    }

    /**
     * Loads the newest generation directory of the root that validates, other than {@code except};
     * each one refused on the way is logged and counted. Keeps {@link #lastRefused} as it was, so the
     * watcher does not retry what CURRENT names until CURRENT changes.
     *
     * @return true when one was published
     */
    private boolean loadNewestValid(String except, String why) throws IOException {
        String refusedBefore = lastRefused;
        try {
            for (String candidate : GenerationWriter.generationNames(root)) {
                if (candidate.equals(except) || closed) {
                    continue;
                }
                ServedGeneration served = current.get();
                if (served != null && served.generation().directory().getFileName().toString().equals(candidate)) {
                    continue;
                }
                try {
                    LOG.warning(why + "; trying " + candidate + ", the newest other generation under " + root);
                    load(root.resolve(candidate));
                    LOG.warning("serving " + candidate + " instead of the generation CURRENT names; it stays until "
                            + "CURRENT names one that validates");
                    return true;
                } catch (GenerationRefusedException next) {
                    // logged and counted by load(); try the next older one
                }
            }
            return false;
        } finally {
            lastRefused = refusedBefore;
        }
    }

    /** Opens, validates, warms up and publishes the generation in {@code dir}; on failure the old one keeps serving. */
    public synchronized void load(Path dir) throws IOException {
        long started = System.nanoTime();
        String name = dir.getFileName().toString();
        Generation generation;
        try {
            generation = Generation.open(dir, true);
        } catch (IOException | RuntimeException e) {
            throw refuse(name, dir, refusalReason(e), e);
        }
        Recommender recommender;
        try {
            recommender = recommenderFactory.apply(generation);
            // the first generation is on the critical path to SERVING: one query of the default model
            // proves it scores; a replacement is warmed on every model while the old one still serves
            warmUp(recommender, generation, current.get() != null);
        } catch (RuntimeException | InternalError e) {
            // InternalError: a mapped page faulted (a file truncated while it was being warmed up)
            generation.close();
            throw refuse(name, dir, "warm-up", new IOException("generation " + dir + " failed its warm-up queries: " + e, e));
        } catch (Error e) {
            generation.close(); // never keep a mapping nobody will close (e.g. after an OutOfMemoryError)
            throw e;
        }
        if (closed) {
            generation.close();
            return;
        }
        ServedGeneration next = new ServedGeneration(generation, recommender, Instant.now(), unmapper, this::faultInCall);
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
        if (previous != null) {
            previous.retire();
        }
    }

    /**
     * A call hit a fault reading {@code served}'s mapped files (a file truncated in place): the call
     * already failed with INTERNAL; the generation is re-validated on the watcher thread, never on
     * the call's.
     */
    private void faultInCall(ServedGeneration served, Throwable fault) {
        callFaults.increment();
        LOG.severe("a call failed reading generation " + served.id() + "'s mapped files (" + fault
                + "); re-validating it");
        if (revalidating.compareAndSet(null, served)) {
            runOffRequestPath(() -> {
                try {
                    revalidate(served);
                } finally {
                    revalidating.set(null);
                }
            });
        }
    }

    /**
     * Checks {@code served} (if it is still the one served) against its files; when one changed in
     * place or no longer validates, it is refused and replaced by the newest generation that
     * validates, or withdrawn when there is none (health NOT_SERVING, calls UNAVAILABLE: better than
     * answers read from a file that is no longer what was validated).
     */
    synchronized void revalidate(ServedGeneration served) {
        if (closed || current.get() != served) {
            return;
        }
        Generation g = served.generation();
        List<String> changed = g.filesChangedInPlace();
        String problem;
        if (!changed.isEmpty()) {
            problem = String.join("; ", changed);
        } else {
            try (Generation again = Generation.open(g.directory(), true)) {
                LOG.info("generation " + served.id() + " re-validated: its files are intact");
                return;
            } catch (IOException | RuntimeException e) {
                problem = e.getMessage();
            }
        }
        String name = g.directory().getFileName().toString();
        refuse(name, g.directory(), "changed", new IOException("generation " + served.id() + " changed while served: " + problem));
        try {
            if (loadNewestValid(name, "the served generation " + served.id() + " is damaged")) {
                lastRefused = name;
                return;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning("no other generation under " + root + " could be listed: " + e.getMessage());
        }
        lastRefused = name;
        if (current.compareAndSet(served, null)) {
            generationInfo.register(List.of(), true);
            LOG.severe("withdrew generation " + served.id() + ": it is damaged and no other generation under " + root
                    + " validates; calls get UNAVAILABLE until a valid generation is published");
            for (Runnable l : withdrawListeners) {
                try {
                    l.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "withdraw listener failed", e);
                }
            }
            served.retire();
        }
    }

    /** Called (on the watcher thread) when the served generation is withdrawn without a successor. */
    public void onWithdraw(Runnable listener) {
        withdrawListeners.add(listener);
    }

    private void runOffRequestPath(Runnable task) {
        ScheduledExecutorService w;
        synchronized (watcherLock) {
            w = watcher;
        }
        try {
            if (w != null) {
                w.execute(task);
                return;
            }
        } catch (RejectedExecutionException shuttingDown) {
            return;
        }
        Thread.ofPlatform().daemon().name("reco-model-revalidate").start(task);
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
    public void startWatching(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive, got " + interval);
        }
        synchronized (watcherLock) {
            if (watcher != null) {
                throw new IllegalStateException("already watching " + root);
            }
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "reco-model-watcher");
                t.setDaemon(true);
                return t;
            });
            long millis = Math.max(1, interval.toMillis());
            watcher.scheduleWithFixedDelay(() -> poll(false), millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Checks ROOT/CURRENT now on the watcher thread (or the caller's when not watching), retrying a refused generation. */
    public void requestReload() {
        ScheduledExecutorService w;
        synchronized (watcherLock) {
            w = watcher;
        }
        if (w != null) {
            try {
                w.execute(() -> poll(true));
            } catch (RejectedExecutionException closing) {
                // closed meanwhile: nothing to reload
            }
        } else {
            poll(true);
        }
    }

    /**
     * One look at the model root. Never throws, whatever fails: a scheduled task that throws is never
     * run again, and a server whose watcher died would serve stale data without a signal. Every
     * failure is logged (an unchanged one once), counted in {@code reco.model.poll.failures}, and the
     * next poll tries again; {@code reco.model.poll.last.success} tells how fresh the last good look is.
     * An {@link Error} (e.g. OutOfMemoryError) is logged with its stack trace and counted like the
     * rest: the JVM's own policy (bin/reco runs it with -XX:+ExitOnOutOfMemoryError) decides whether
     * the process lives on.
     */
    private void poll(boolean retryRefused) {
        try {
            ServedGeneration served = current.get();
            if (served != null) {
                List<String> changed = served.generation().filesChangedInPlace();
                if (!changed.isEmpty()) {
                    LOG.severe("generation " + served.id() + "'s files changed in place while served: "
                            + String.join("; ", changed));
                    revalidate(served);
                }
            }
            loadCurrent(retryRefused);
            lastWatcherProblem = null;
            lastSuccessfulPollMillis = System.currentTimeMillis();
        } catch (GenerationRefusedException e) {
            // logged and counted by refuse(); the look itself succeeded
            lastWatcherProblem = null;
            lastSuccessfulPollMillis = System.currentTimeMillis();
        } catch (IOException | RuntimeException e) {
            pollFailure("io", e, false);
        } catch (Throwable e) {
            pollFailure("error", e, true);
        }
    }

    private Counter pollFailures(String reason) {
        return Counter.builder("reco.model.poll.failures")
                .description("Looks at the model root that failed (io: CURRENT or the root unreadable; error: a JVM Error); "
                        + "the watcher keeps polling")
                .tag("reason", reason)
                .register(registry);
    }

    private void pollFailure(String reason, Throwable e, boolean withStackTrace) {
        pollFailures(reason).increment();
        String problem = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (withStackTrace) {
            LOG.log(Level.SEVERE, "model watcher: " + problem + "; still polling " + root, e);
        } else if (!problem.equals(lastWatcherProblem)) {
            LOG.warning("cannot check " + root + " for a new generation: " + e.getMessage());
        }
        lastWatcherProblem = problem;
    }

    /**
     * Stops watching, unmaps the served generation once its in-flight calls finish, and waits (bounded)
     * for pending unmappings.
     */
    @Override
    public void close() {
        ScheduledExecutorService w;
        synchronized (watcherLock) {
            closed = true;
            w = watcher;
            watcher = null;
        }
        if (w != null) {
            w.shutdownNow();
            awaitTermination(w, "the model watcher");
        }
        synchronized (this) {
            ServedGeneration s = current.getAndSet(null);
            generationInfo.register(List.of(), true);
            if (s != null) {
                s.retire();
            }
        }
        unmapper.shutdown();
        awaitTermination(unmapper, "unmapping");
    }

    private static void awaitTermination(java.util.concurrent.ExecutorService executor, String what) {
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warning(what + " did not finish within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
