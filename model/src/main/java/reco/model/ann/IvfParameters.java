package reco.model.ann;

/**
 * Build settings of an IVF index. Start from {@link #defaults(int)} and override with the
 * {@code with*} methods; every value is range-checked here, so a bad setting fails before any work.
 *
 * @param lists                 number of inverted lists (k-means centroids), 1..rows
 * @param iterations            Lloyd iterations of the coarse k-means (fixed, for determinism)
 * @param trainingPointsPerList k-means trains on at most {@code lists * trainingPointsPerList}
 *                              sampled items (FAISS warns below 39); every item is assigned afterwards
 * @param seed                  seeds sampling and initialisation: same data + parameters = same file
 * @param threads               worker threads for k-means and assignment (results do not depend on it)
 * @param partitioning          how inner-product search is mapped onto k-means
 * @param defaultProbes         lists a query scans when the caller does not say, 1..lists
 */
public record IvfParameters(int lists, int iterations, int trainingPointsPerList, long seed, int threads,
                            Partitioning partitioning, int defaultProbes) {

    /** Catalogues at or above this size are worth an index; below, exact scoring is fast enough. */
    public static final int DEFAULT_MIN_ITEMS = 200_000;
    public static final int DEFAULT_ITERATIONS = 10;
    public static final int DEFAULT_TRAINING_POINTS_PER_LIST = 64;
    public static final long DEFAULT_SEED = 42;
    /** Measured best on ALS-like factors (docs/benchmarks.md): AUGMENTED clusters by norm, SPHERICAL unevenly. */
    public static final Partitioning DEFAULT_PARTITIONING = Partitioning.RAW;
    /** lists = LISTS_PER_SQRT_ROWS * sqrt(rows): a list holds ~sqrt(rows)/2 items. */
    public static final double LISTS_PER_SQRT_ROWS = 2.0;
    /**
     * defaultProbes = PROBED_FRACTION * lists, at least {@link #MIN_DEFAULT_PROBES}: recall@10 ~0.98 on
     * ALS-like factors at 100k and 1M items (docs/benchmarks.md); queries for larger k probe more,
     * see {@link IvfIndex#probesFor(int)}.
     */
    public static final double PROBED_FRACTION = 0.02;
    public static final int MIN_DEFAULT_PROBES = 8;
    static final int MAX_ITERATIONS = 1_000;
    static final int MAX_THREADS = 1_024;

    public IvfParameters {
        check("lists", lists, 1, Integer.MAX_VALUE);
        check("iterations", iterations, 0, MAX_ITERATIONS);
        check("trainingPointsPerList", trainingPointsPerList, 1, Integer.MAX_VALUE);
        check("threads", threads, 1, MAX_THREADS);
        if (partitioning == null) {
            throw new IllegalArgumentException("partitioning must be one of AUGMENTED, RAW, SPHERICAL, got null");
        }
        check("defaultProbes", defaultProbes, 1, lists);
    }

    /** Defaults for a catalogue of {@code rows} items: lists ~ 2 sqrt(rows), 2% of them probed. */
    public static IvfParameters defaults(int rows) {
        check("rows", rows, 1, Integer.MAX_VALUE);
        int lists = defaultLists(rows);
        return new IvfParameters(lists, DEFAULT_ITERATIONS, DEFAULT_TRAINING_POINTS_PER_LIST, DEFAULT_SEED,
                Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS), DEFAULT_PARTITIONING,
                defaultProbes(lists));
    }

    public static int defaultLists(int rows) {
        return (int) Math.max(1, Math.min(rows, Math.round(LISTS_PER_SQRT_ROWS * Math.sqrt(rows))));
    }

    public static int defaultProbes(int lists) {
        return (int) Math.min(lists, Math.max(MIN_DEFAULT_PROBES, Math.ceil(PROBED_FRACTION * lists)));
    }

    /** Also resets {@link #defaultProbes()} to the default for the new list count. */
    public IvfParameters withLists(int lists) {
        check("lists", lists, 1, Integer.MAX_VALUE);
        return new IvfParameters(lists, iterations, trainingPointsPerList, seed, threads, partitioning, defaultProbes(lists));
    }

    public IvfParameters withDefaultProbes(int defaultProbes) {
        return new IvfParameters(lists, iterations, trainingPointsPerList, seed, threads, partitioning, defaultProbes);
    }

    public IvfParameters withIterations(int iterations) {
        return new IvfParameters(lists, iterations, trainingPointsPerList, seed, threads, partitioning, defaultProbes);
    }

    public IvfParameters withTrainingPointsPerList(int trainingPointsPerList) {
        return new IvfParameters(lists, iterations, trainingPointsPerList, seed, threads, partitioning, defaultProbes);
    }

    public IvfParameters withSeed(long seed) {
        return new IvfParameters(lists, iterations, trainingPointsPerList, seed, threads, partitioning, defaultProbes);
    }

    public IvfParameters withThreads(int threads) {
        return new IvfParameters(lists, iterations, trainingPointsPerList, seed, threads, partitioning, defaultProbes);
    }

    public IvfParameters withPartitioning(Partitioning partitioning) {
        return new IvfParameters(lists, iterations, trainingPointsPerList, seed, threads, partitioning, defaultProbes);
    }

    static void check(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
