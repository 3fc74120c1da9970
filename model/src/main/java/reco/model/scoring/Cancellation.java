package reco.model.scoring;

import java.util.function.Supplier;

/**
 * Lets the long loops of the scoring code (MMR re-ranking: O(k x pool) similarity evaluations) stop
 * early when their caller no longer wants the answer, e.g. a server call whose deadline passed. The
 * caller binds a check for the duration of the work ({@link #checking}); loops call {@link #check}
 * once per step of bounded cost, which runs the bound check and lets whatever it throws propagate.
 * Without a binding (offline evaluation, training) {@link #check} does nothing.
 */
public final class Cancellation {
    private static final ScopedValue<Runnable> CHECK = ScopedValue.newInstance();

    private Cancellation() {}

    /** Runs {@code work} with {@code check} bound for every {@link #check} inside it (on this thread). */
    public static <T> T checking(Runnable check, Supplier<T> work) {
        return ScopedValue.where(CHECK, check).call(work::get);
    }

    /** Runs the bound check, if any: throws when the caller gave up. */
    public static void check() {
        if (CHECK.isBound()) {
            CHECK.get().run();
        }
    }
}
