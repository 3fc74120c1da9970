package reco.trainer.models.content;

/**
 * Parameters of the exact top-K cosine neighbour search.
 *
 * @param neighbors K, the maximum list length per item
 * @param threads worker threads; 0 means all available processors. The output does not depend on it.
 */
public record ContentNeighborParams(int neighbors, int threads) {
    public static final int DEFAULT_NEIGHBORS = 100;
    public static final int MAX_NEIGHBORS = 10_000;
    /** 0 = {@link Runtime#availableProcessors()}. */
    public static final int DEFAULT_THREADS = 0;
    public static final int MAX_THREADS = 1024;

    public ContentNeighborParams {
        if (neighbors < 1 || neighbors > MAX_NEIGHBORS) {
            throw new IllegalArgumentException("neighbors = " + neighbors + ": must be in [1, " + MAX_NEIGHBORS + "]");
        }
        if (threads < 0 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads = " + threads + ": must be in [0, " + MAX_THREADS
                    + "] (0 = all processors)");
        }
    }

    public static ContentNeighborParams defaults() {
        return new ContentNeighborParams(DEFAULT_NEIGHBORS, DEFAULT_THREADS);
    }

    /** The thread count to use: {@link #threads()} or, when 0, the number of processors. */
    public int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
