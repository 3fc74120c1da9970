package reco.server;

import reco.model.generation.Generation;
import reco.model.scoring.Recommender;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A loaded generation with its {@link Recommender}, reference counted so that it is unmapped only
 * when nothing reads from it any more. The holder owns one reference from publication until the
 * generation is replaced ({@link #retire()}); every call owns one for its duration ({@link Lease}).
 * Whoever drops the last reference closes the generation.
 */
public final class ServedGeneration {
    private static final Logger LOG = Logger.getLogger(ServedGeneration.class.getName());

    private final Generation generation;
    private final Recommender recommender;
    private final Instant loadedAt;
    /** Holder's reference + in-flight leases; 0 means closed and never acquirable again. */
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean retired = new AtomicBoolean();
    private volatile boolean closed;

    ServedGeneration(Generation generation, Recommender recommender, Instant loadedAt) {
        this.generation = generation;
        this.recommender = recommender;
        this.loadedAt = loadedAt;
    }

    public Generation generation() { return generation; }
    public Recommender recommender() { return recommender; }
    public Instant loadedAt() { return loadedAt; }
    /** The generation id as the manifest names it. */
    public String id() { return generation.id(); }
    /** True once the generation has been unmapped (replaced and every lease released). */
    public boolean isClosed() { return closed; }

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
                generation.close();
                LOG.info("unmapped generation " + id() + " (" + generation.directory() + ")");
            } catch (RuntimeException e) {
                LOG.warning("closing generation " + id() + " failed: " + e);
            }
        } else if (n < 0) {
            throw new IllegalStateException("generation " + id() + " released more often than acquired");
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

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                served.release();
            }
        }
    }
}
