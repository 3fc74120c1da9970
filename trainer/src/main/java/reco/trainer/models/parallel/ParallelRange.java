package reco.trainer.models.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Runs the chunks {@code 0 .. chunkCount-1} of a loop on a fixed number of platform threads that
 * claim chunks from a shared counter (dynamic load balancing: item and row costs are very uneven).
 * Results must not depend on which thread ran a chunk; callers write each chunk's output to its own
 * slots, which keeps models deterministic for any thread count.
 */
public final class ParallelRange {
    private ParallelRange() {}

    /** Per-thread body: receives chunk indices; created once per worker so it can own scratch buffers. */
    public interface ChunkBody {
        void run(int chunk);
    }

    /** Thread count to use when the caller asked for {@code requested} (0 = all available processors). */
    public static int resolveThreads(int requested) {
        return requested > 0 ? requested : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Runs every chunk once. {@code workerFactory} is called once per worker thread (with the worker
     * index) to create that worker's body. The first exception thrown by any body is rethrown here
     * (unchecked exceptions as they are, errors as they are) after all workers stopped.
     */
    public static void run(int chunkCount, int threads, String threadName, IntFunction<ChunkBody> workerFactory) {
        int workers = Math.max(1, Math.min(threads, chunkCount));
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable[] loops = new Runnable[workers];
        for (int w = 0; w < workers; w++) {
            int worker = w;
            loops[w] = () -> {
                try {
                    ChunkBody body = workerFactory.apply(worker);
                    for (int c = next.getAndIncrement(); c < chunkCount && failure.get() == null; c = next.getAndIncrement()) {
                        body.run(c);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            };
        }
        if (workers == 1) {
            loops[0].run();
        } else {
            List<Thread> started = new ArrayList<>(workers);
            for (int w = 0; w < workers; w++) {
                started.add(Thread.ofPlatform().name(threadName + "-" + w).daemon(true).start(loops[w]));
            }
            boolean interrupted = false;
            for (Thread t : started) {
                while (true) {
                    try {
                        t.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                        failure.compareAndSet(null, e);
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(threadName + " worker failed", t);
        }
    }
}
