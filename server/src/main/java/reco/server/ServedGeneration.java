package reco.server;

import reco.model.generation.Generation;
import reco.model.scoring.Recommender;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * A loaded generation with its {@link Recommender}, reference counted so that it is unmapped only
 * when nothing reads from it any more. The holder owns one reference from publication until the
 * generation is replaced ({@link #retire()}); every call owns one for its duration ({@link Lease}).
 *
 * <p>Whoever drops the last reference makes the generation unacquirable at once, but the unmapping
 * itself runs on the {@code unmapper} executor, never on the thread that dropped it: that is often a
 * call's thread whose response is not sent yet, and closing a shared arena waits for every thread
 * to reach a safepoint.
 */
public final class ServedGeneration {
    private static final Logger LOG = Logger.getLogger(ServedGeneration.class.getName());

    private final Generation generation;
    private final Recommender recommender;
    private final Instant loadedAt;
    private final Executor unmapper;
    private final BiConsumer<ServedGeneration, Throwable> faultListener;
    /** Holder's reference + in-flight leases; 0 means closed and never acquirable again. */
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean retired = new AtomicBoolean();
    private final CompletableFuture<Void> unmapped = new CompletableFuture<>();
    private volatile boolean closed;

    ServedGeneration(Generation generation, Recommender recommender, Instant loadedAt) {
        this(generation, recommender, loadedAt, Runnable::run, (s, e) -> { });
    }

    /**
     * @param unmapper      runs the unmapping once the last reference is dropped
     * @param faultListener told when a call hit a fault reading this generation's mapped files
     */
    ServedGeneration(Generation generation, Recommender recommender, Instant loadedAt, Executor unmapper,
                     BiConsumer<ServedGeneration, Throwable> faultListener) {
        this.generation = generation;
        this.recommender = recommender;
        this.loadedAt = loadedAt;
        this.unmapper = unmapper;
        this.faultListener = faultListener;
    }

    public Generation generation() { return generation; }
    public Recommender recommender() { return recommender; }
    public Instant loadedAt() { return loadedAt; }
    /** The generation id as the manifest names it. */
    public String id() { return generation.id(); }
    /** True once the generation can no longer be acquired (replaced and every lease released). */
    public boolean isClosed() { return closed; }
    /** Completes when the generation's files have been unmapped (after {@link #isClosed()}). */
    public CompletableFuture<Void> unmapped() { return unmapped; }

    /** A reference for one call, or null when the generation was closed in the meantime. */
    Lease tryAcquire() {
        while (true) {
            int n = references.get();
            if (n == 0) {
                return null;
            }
            if (references.compareAndSet(n, n + 1)) {
                return new Lease(this);
            }
        }
    }

    /** Drops the holder's reference: the generation closes once the last in-flight call releases it. */
    void retire() {
        if (retired.compareAndSet(false, true)) {
            release();
        }
    }

    private void release() {
        int n = references.decrementAndGet();
        if (n == 0) {
            closed = true;
            try {
                unmapper.execute(this::unmap);
            } catch (RejectedExecutionException e) {
                unmap(); // the holder is shutting down: unmap here rather than never
            }
        } else if (n < 0) {
            throw new IllegalStateException("generation " + id() + " released more often than acquired");
        }
    }

    private void unmap() {
        try {
            generation.close();
            LOG.info("unmapped generation " + id() + " (" + generation.directory() + ")");
        } catch (RuntimeException e) {
            LOG.warning("closing generation " + id() + " failed: " + e);
        } finally {
            unmapped.complete(null);
        }
    }

    /** One call's hold on a generation; close it exactly once (try-with-resources). */
    public static final class Lease implements AutoCloseable {
        private final ServedGeneration served;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(ServedGeneration served) {
            this.served = served;
        }

        public ServedGeneration served() { return served; }
        public Generation generation() { return served.generation; }
        public Recommender recommender() { return served.recommender; }

        /**
         * Reports that reading this generation failed in a way that points at its files rather than at
         * the request: the JVM's {@link InternalError} for a fault in a mapped page (a file truncated in
         * place). The holder re-validates the generation off the request path.
         */
        public void reportFault(Throwable fault) {
            served.faultListener.accept(served, fault);
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                served.release();
            }
        }
    }
}
