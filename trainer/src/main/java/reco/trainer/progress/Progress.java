package reco.trainer.progress;

/**
 * Progress of one long training phase. Implementations draw a progress bar on a terminal and print
 * plain lines otherwise (see {@link ProgressReporter}); {@link #NONE} is silent (tests).
 * Thread-safe: parallel workers call {@link #step(long)} concurrently.
 */
public interface Progress extends AutoCloseable {
    /** Adds {@code n} completed units. */
    void step(long n);

    /** Replaces the trailing message (e.g. "loss 0.0123"). */
    default void message(String text) {}

    @Override
    void close();

    Progress NONE = new Progress() {
        @Override public void step(long n) {}
        @Override public void close() {}
    };

    /** Creates progress trackers for named phases. */
    interface Factory {
        Progress start(String phase, long totalUnits);

        Factory NONE = (phase, total) -> Progress.NONE;
    }
}
