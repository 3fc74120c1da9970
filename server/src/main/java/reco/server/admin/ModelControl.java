package reco.server.admin;

import reco.model.generation.Generation;
import reco.model.generation.Generations;
import reco.server.ModelHolder;
import reco.server.ServedGeneration;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the operator's model changes (admin reloads, and any other task given to {@link #submit}) one
 * at a time on one daemon thread, off the call threads: loading a generation takes seconds, and
 * neither a flood of Reload calls nor slow loads may pile up threads or validations.
 *
 * <p>Reloads are single-flight: a reload asked for while one runs waits for the next one, which
 * serves every reload asked for meanwhile (at most one runs and one waits, whatever the number of
 * callers). A generation refused by a reload of this server is not validated again while CURRENT
 * still names it, unless the caller asks to retry refused generations; the caller gets the reason it
 * was refused.
 */
public final class ModelControl implements AutoCloseable {
    /** Tasks other than reloads that may wait for the admin thread; beyond, {@link #submit} refuses. */
    static final int MAX_WAITING_TASKS = 8;

    private final ModelHolder models;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "reco-admin");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    private final AtomicInteger waitingTasks = new AtomicInteger();
    /** The reload running (or about to) and the one waiting behind it; guarded by {@link #lock}. */
    private PendingReload running;
    private PendingReload waiting;
    /** The last generation a reload of ours saw refused; touched on the admin thread only. */
    private Refusal lastRefusal;
    private volatile boolean closed;

    public ModelControl(ModelHolder models) {
        this.models = models;
    }

    /** What a reload did: the generation served before and after it. */
    public record ReloadOutcome(ServedGeneration before, ServedGeneration after, boolean changed) {}

    /** The generation CURRENT names was refused by an earlier reload and CURRENT has not changed since. */
    public static final class RefusedBeforeException extends IOException {
        RefusedBeforeException(String message) {
            super(message);
        }
    }

    private record Refusal(String generation, String reason) {}

    private static final class PendingReload {
        final CompletableFuture<ReloadOutcome> result = new CompletableFuture<>();
        boolean retryRefused; // guarded by ModelControl.lock until the reload starts
    }

    /**
     * Looks at CURRENT on the admin thread and loads what it names unless it is already served.
     *
     * @param retryRefused validate the generation even if a reload refused it before
     * @return completes with the outcome, or exceptionally with the {@link IOException} that refused it
     *         ({@link ModelHolder.GenerationRefusedException}, {@link RefusedBeforeException}, or a missing
     *         or unreadable CURRENT)
     */
    public CompletableFuture<ReloadOutcome> reload(boolean retryRefused) {
        PendingReload start = null;
        PendingReload joined;
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(new RejectedExecutionException("the server is shutting down"));
            }
            if (waiting != null) {
                waiting.retryRefused |= retryRefused;
                joined = waiting;
            } else {
                joined = new PendingReload();
                joined.retryRefused = retryRefused;
                if (running == null) {
                    running = joined;
                    start = joined;
                } else {
                    waiting = joined;
                }
            }
        }
        if (start != null) {
            execute(start);
        }
        return joined.result;
    }

    /** Work for the admin thread, which knows how to fail its caller if it never runs. */
    private record Job(Runnable body, CompletableFuture<?> result) implements Runnable {
        @Override
        public void run() {
            body.run();
        }

        void abandon() {
            result.completeExceptionally(new RejectedExecutionException("the server is shutting down"));
        }
    }

    private void execute(Job job) {
        try {
            thread.execute(job);
        } catch (RejectedExecutionException e) {
            job.abandon();
        }
    }

    private void execute(PendingReload reload) {
        execute(new Job(() -> run(reload), reload.result));
    }

    private void run(PendingReload reload) {
        boolean retry;
        synchronized (lock) {
            retry = reload.retryRefused;
        }
        try {
            reload.result.complete(reloadNow(retry));
        } catch (IOException | RuntimeException e) {
            reload.result.completeExceptionally(e);
        } finally {
            PendingReload next;
            synchronized (lock) {
                next = waiting;
                waiting = null;
                running = next;
            }
            if (next != null) {
                execute(next);
            }
        }
    }

    private ReloadOutcome reloadNow(boolean retryRefused) throws IOException {
        ServedGeneration before = models.peek();
        String named = Generation.currentDirectory(models.root()).getFileName().toString();
        boolean servedAlready = before != null && before.generation().directory().getFileName().toString().equals(named);
        if (!retryRefused && !servedAlready && lastRefusal != null && lastRefusal.generation().equals(named)) {
            throw new RefusedBeforeException("generation " + named + " was refused: " + lastRefusal.reason()
                    + " (CURRENT still names it; retry_refused validates it again)");
        }
        try {
            boolean changed = models.reloadNow();
            lastRefusal = null;
            return new ReloadOutcome(before, models.peek(), changed);
        } catch (ModelHolder.GenerationRefusedException e) {
            lastRefusal = new Refusal(named, e.getMessage());
            throw e;
        }
    }

    /** The generations under the served model root, newest first (read on the admin thread). */
    public CompletableFuture<List<Generations.Info>> listGenerations() {
        return submit(() -> Generations.list(models.root()));
    }

    /**
     * Validates generation {@code id} of the model root, points CURRENT at it and loads it, on the admin
     * thread: the rollback. Completes with what was served before and after, or exceptionally with the
     * {@link IOException} that refused it (CURRENT untouched when the generation does not validate).
     */
    public CompletableFuture<ReloadOutcome> activate(String id) {
        return submit(() -> {
            ServedGeneration before = models.peek();
            Generations.activate(models.root(), id, Generations.DEFAULT_LOCK_WAIT);
            try {
                boolean changed = models.reloadNow();
                lastRefusal = null;
                return new ReloadOutcome(before, models.peek(), changed);
            } catch (ModelHolder.GenerationRefusedException e) {
                lastRefusal = new Refusal(id, e.getMessage());
                throw e;
            }
        });
    }

    /** The generation served now (for reporting). */
    public ServedGeneration served() {
        return models.peek();
    }

    /** The model root this server serves. */
    public java.nio.file.Path root() {
        return models.root();
    }

    /**
     * Runs {@code task} on the admin thread, after the reloads and tasks already there.
     *
     * @return completes with the task's result or exception; fails with {@link RejectedExecutionException}
     *         when {@value #MAX_WAITING_TASKS} tasks are already waiting or the server is shutting down
     */
    public <T> CompletableFuture<T> submit(Callable<T> task) {
        if (closed) {
            return CompletableFuture.failedFuture(new RejectedExecutionException("the server is shutting down"));
        }
        if (waitingTasks.incrementAndGet() > MAX_WAITING_TASKS) {
            waitingTasks.decrementAndGet();
            return CompletableFuture.failedFuture(new RejectedExecutionException(
                    MAX_WAITING_TASKS + " admin tasks are already waiting; retry once they are done"));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(new Job(() -> {
            waitingTasks.decrementAndGet();
            try {
                result.complete(task.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        }, result));
        return result;
    }

    /** The cause behind a failed {@link #reload} or {@link #submit} future's join(). */
    public static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** Stops the admin thread; what is still waiting fails with "shutting down". */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        for (Runnable never : thread.shutdownNow()) {
            ((Job) never).abandon();
        }
        synchronized (lock) {
            if (waiting != null) {
                waiting.result.completeExceptionally(new RejectedExecutionException("the server is shutting down"));
            }
            waiting = null;
        }
    }
}
