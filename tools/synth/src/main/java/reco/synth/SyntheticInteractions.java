package reco.synth;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import reco.trainer.data.IdDictionary;
import reco.trainer.data.Interactions;
import reco.trainer.progress.Progress;

/**
 * Large seeded interaction sets for benchmarks ({@code reco synth}).
 *
 * <p>The model behind the rows:
 * <ul>
 *   <li><b>Item popularity</b> is Zipf-like: the item of popularity rank {@code r} (0-based) has weight
 *       {@code 1 / (r + 1)^zipfExponent}. Ranks are a seeded permutation of item ids, so an id says
 *       nothing about popularity.</li>
 *   <li><b>Taste</b>: every item belongs to one of {@code tasteClusters} latent clusters; every user
 *       likes 1-3 clusters with random weights. A draw comes with probability {@code tasteAffinity}
 *       from one of the user's clusters (popularity-weighted within it), otherwise from the global
 *       popularity distribution. Users pick clusters in proportion to the clusters' popularity mass,
 *       so before de-duplication an item's overall frequency is exactly its Zipf weight.</li>
 *   <li><b>Activity</b>: every user has at least one row; the rest of {@code interactions} is shared in
 *       proportion to a log-normal activity {@code exp(activitySigma * z)}, capped at
 *       {@value #MAX_USER_ITEM_FRACTION} of the items. The total is exact.</li>
 *   <li><b>No repeated (user, item) pair</b>: items are drawn without replacement per user (a small
 *       per-user hash set; after {@value #MAX_TASTE_DRAW_ATTEMPTS} duplicate draws in a row a uniform
 *       draw fills the slot, which keeps heavy users fast).</li>
 *   <li><b>Weights</b>: implicit counts (1 + a geometric count, larger for items of the user's clusters)
 *       or explicit ratings 0.5-5 in half stars (higher for items of the user's clusters, plus user and
 *       item biases and noise).</li>
 *   <li><b>Timestamps</b> (unix seconds): each user is active in a random window of the span; the user's
 *       rows are spread over it in increasing order.</li>
 * </ul>
 *
 * <p>Rows come out grouped by user (users in ascending order). User and item ids are the dense
 * indexes {@code 0..users-1} and {@code 0..items-1}; some tail items may never be drawn. Everything
 * derives from {@code seed} through {@link SplitMix64}, so a seed always gives the same rows; each
 * user has its own sub-stream. Memory is a few primitive arrays over users and items, never per row
 * (except {@link #generateColumns}, which returns the rows).
 */
public final class SyntheticInteractions {
    /** A user never gets more than this fraction of the items (keeps sampling without replacement fast). */
    public static final double MAX_USER_ITEM_FRACTION = 0.5;
    /** Duplicate draws in a row after which one slot is filled by a uniform draw. */
    static final int MAX_TASTE_DRAW_ATTEMPTS = 32;
    /** Largest row count {@link #generateColumns} and {@link #generateInteractions} accept (Java array limit). */
    public static final long MAX_IN_MEMORY_ROWS = Integer.MAX_VALUE - 8;
    private static final int MAX_TASTES_PER_USER = 3;

    private static final long STREAM_ITEMS = -1;
    private static final long STREAM_ACTIVITY = -2;
    private static final long STREAM_CLUSTERS = -3;

    /** How rows are weighted. */
    public enum WeightKind {
        /** Positive integer counts (plays, clicks); the eval protocol's "implicit" kind. */
        IMPLICIT_COUNTS("implicit"),
        /** Ratings 0.5-5 in half stars; the eval protocol's "explicit" kind. */
        RATINGS("explicit");

        /** The {@code kind} value of the eval protocol's meta.json. */
        public final String protocolKind;

        WeightKind(String protocolKind) {
            this.protocolKind = protocolKind;
        }
    }

    /** Receives generated rows; called once per row, users in ascending order. */
    @FunctionalInterface
    public interface RowSink {
        void accept(int user, int item, float weight, long timestamp);
    }

    /** Rows as parallel primitive columns (row r = users[r], items[r], weights[r], timestamps[r]). */
    public record Columns(int[] users, int[] items, float[] weights, long[] timestamps) {
        public int size() {
            return users.length;
        }
    }

    /**
     * Generator parameters; the canonical constructor validates every field (see the {@code DEFAULT_*}
     * constants and {@link #builder()}).
     *
     * @param users            number of users, each with at least one row
     * @param items            number of items (ids 0..items-1)
     * @param interactions     exact total number of rows, in [users, users * floor(items * MAX_USER_ITEM_FRACTION)]
     * @param seed             any long; equal seeds give identical rows
     * @param zipfExponent     popularity skew, 0 (uniform) .. 5
     * @param activitySigma    sigma of the log-normal user activity, 0 (equal) .. 4
     * @param tasteClusters    number of latent taste clusters, 1..items
     * @param tasteAffinity    probability that a draw follows the user's taste rather than global popularity, 0..1
     * @param weightKind       implicit counts or explicit ratings
     * @param startEpochSecond first possible timestamp (unix seconds, >= 1)
     * @param spanSeconds      length of the time range, >= 0
     */
    public record Params(int users, int items, long interactions, long seed, double zipfExponent,
            double activitySigma, int tasteClusters, double tasteAffinity, WeightKind weightKind,
            long startEpochSecond, long spanSeconds) {
        public static final int DEFAULT_USERS = 100_000;
        public static final int DEFAULT_ITEMS = 50_000;
        public static final long DEFAULT_INTERACTIONS = 10_000_000L;
        public static final long DEFAULT_SEED = 42L;
        public static final double DEFAULT_ZIPF_EXPONENT = 1.0;
        public static final double DEFAULT_ACTIVITY_SIGMA = 1.0;
        public static final int DEFAULT_TASTE_CLUSTERS = 32;
        public static final double DEFAULT_TASTE_AFFINITY = 0.8;
        public static final WeightKind DEFAULT_WEIGHT_KIND = WeightKind.IMPLICIT_COUNTS;
        /** 2022-01-01T00:00:00Z. */
        public static final long DEFAULT_START_EPOCH_SECOND = 1_640_995_200L;
        /** Two years. */
        public static final long DEFAULT_SPAN_SECONDS = 2L * 365 * 24 * 3600;
        public static final double MAX_ZIPF_EXPONENT = 5.0;
        public static final double MAX_ACTIVITY_SIGMA = 4.0;

        public Params {
            Objects.requireNonNull(weightKind, "weightKind");
            checkRange("users", users, 1, Integer.MAX_VALUE);
            checkRange("items", items, 1, Integer.MAX_VALUE);
            long maxInteractions = (long) users * maxItemsPerUser(items);
            if (interactions < users || interactions > maxInteractions) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "interactions must be in [%d, %d] for %d users and %d items (every user gets at least one row "
                                + "and at most %.0f%% of the items), got %d",
                        users, maxInteractions, users, items, MAX_USER_ITEM_FRACTION * 100, interactions));
            }
            checkRange("zipfExponent", zipfExponent, 0, MAX_ZIPF_EXPONENT);
            checkRange("activitySigma", activitySigma, 0, MAX_ACTIVITY_SIGMA);
            checkRange("tasteClusters", tasteClusters, 1, items);
            checkRange("tasteAffinity", tasteAffinity, 0, 1);
            checkRange("startEpochSecond", startEpochSecond, 1, Long.MAX_VALUE / 2);
            checkRange("spanSeconds", spanSeconds, 0, Long.MAX_VALUE / 4);
        }

        public static Params defaults() {
            return builder().build();
        }

        public static Builder builder() {
            return new Builder();
        }

        public Builder toBuilder() {
            return new Builder().users(users).items(items).interactions(interactions).seed(seed)
                    .zipfExponent(zipfExponent).activitySigma(activitySigma).tasteClusters(tasteClusters)
                    .tasteAffinity(tasteAffinity).weightKind(weightKind).startEpochSecond(startEpochSecond)
                    .spanSeconds(spanSeconds);
        }

        /** Most rows one user can get. */
        public int maxRowsPerUser() {
            return maxItemsPerUser(items);
        }

        static int maxItemsPerUser(int items) {
            return Math.max(1, (int) (items * MAX_USER_ITEM_FRACTION));
        }
    }

    /** Mutable builder of {@link Params}, starting from the defaults; {@link #build()} validates. */
    public static final class Builder {
        private int users = Params.DEFAULT_USERS;
        private int items = Params.DEFAULT_ITEMS;
        private long interactions = Params.DEFAULT_INTERACTIONS;
        private double activityMu = Double.NaN;
        private long seed = Params.DEFAULT_SEED;
        private double zipfExponent = Params.DEFAULT_ZIPF_EXPONENT;
        private double activitySigma = Params.DEFAULT_ACTIVITY_SIGMA;
        private int tasteClusters = Params.DEFAULT_TASTE_CLUSTERS;
        private boolean tasteClustersSet;
        private double tasteAffinity = Params.DEFAULT_TASTE_AFFINITY;
        private WeightKind weightKind = Params.DEFAULT_WEIGHT_KIND;
        private long startEpochSecond = Params.DEFAULT_START_EPOCH_SECOND;
        private long spanSeconds = Params.DEFAULT_SPAN_SECONDS;

        private Builder() {}

        public Builder users(int users) { this.users = users; return this; }
        public Builder items(int items) { this.items = items; return this; }
        /** Exact total row count; clears an earlier {@link #activityMu}. */
        public Builder interactions(long interactions) { this.interactions = interactions; this.activityMu = Double.NaN; return this; }
        /**
         * Sets the total from the log-normal mean instead: {@code interactions = round(users * exp(mu + sigma^2 / 2))}
         * (sigma from {@link #activitySigma}), i.e. {@code mu} is the log of the median user's row count.
         */
        public Builder activityMu(double mu) { this.activityMu = mu; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        public Builder zipfExponent(double zipfExponent) { this.zipfExponent = zipfExponent; return this; }
        public Builder activitySigma(double activitySigma) { this.activitySigma = activitySigma; return this; }
        public Builder tasteClusters(int tasteClusters) { this.tasteClusters = tasteClusters; this.tasteClustersSet = true; return this; }
        public Builder tasteAffinity(double tasteAffinity) { this.tasteAffinity = tasteAffinity; return this; }
        public Builder weightKind(WeightKind weightKind) { this.weightKind = weightKind; return this; }
        public Builder startEpochSecond(long startEpochSecond) { this.startEpochSecond = startEpochSecond; return this; }
        public Builder spanSeconds(long spanSeconds) { this.spanSeconds = spanSeconds; return this; }

        public Params build() {
            long total = interactions;
            if (!Double.isNaN(activityMu)) {
                checkRange("activityMu", activityMu, -10, 20);
                total = Math.round(users * StrictMath.exp(activityMu + activitySigma * activitySigma / 2));
            }
            // Out-of-range values are left to the record, which names the allowed range. Only the
            // default cluster count adapts, so that a tiny catalogue works without extra flags.
            int clusters = tasteClustersSet ? tasteClusters : Math.min(tasteClusters, Math.max(1, items));
            return new Params(users, items, total, seed, zipfExponent, activitySigma, clusters, tasteAffinity,
                    weightKind, startEpochSecond, spanSeconds);
        }
    }

    private SyntheticInteractions() {}

    /** Streams every row to {@code sink}. */
    public static void generate(Params params, RowSink sink) {
        generate(params, sink, Progress.NONE);
    }

    /** Streams every row to {@code sink}, reporting one progress unit per row. */
    public static void generate(Params params, RowSink sink, Progress progress) {
        new Generator(params).run(sink, progress);
    }

    /** Writes all rows as {@code user \t item \t weight \t timestamp\n} (no header, UTF-8); returns the row count. */
    public static long writeTsv(Params params, Path file) throws IOException {
        return writeTsv(params, file, Progress.NONE);
    }

    /** As {@link #writeTsv(Params, Path)}, reporting one progress unit per row. */
    public static long writeTsv(Params params, Path file, Progress progress) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file);
                TsvRowWriter writer = new TsvRowWriter(out, params.weightKind())) {
            generate(params, writer, progress);
            return writer.rows();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Writes the eval protocol's {@code meta.json} for a TSV written by {@link #writeTsv} (put it beside
     * the TSV, so split.py reads the kind); it also records the generator parameters.
     */
    public static void writeMetaJson(Params params, Path file) throws IOException {
        String json = String.format(Locale.ROOT, """
                {
                 "kind": "%s",
                 "has_timestamps": true,
                 "generator": "reco.synth.SyntheticInteractions",
                 "params": {
                  "users": %d,
                  "items": %d,
                  "interactions": %d,
                  "seed": %d,
                  "zipf_exponent": %s,
                  "activity_sigma": %s,
                  "taste_clusters": %d,
                  "taste_affinity": %s,
                  "weight_kind": "%s",
                  "start_epoch_second": %d,
                  "span_seconds": %d
                 }
                }
                """, params.weightKind().protocolKind, params.users(), params.items(), params.interactions(),
                params.seed(), params.zipfExponent(), params.activitySigma(), params.tasteClusters(),
                params.tasteAffinity(), params.weightKind().name(), params.startEpochSecond(), params.spanSeconds());
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(json);
        }
    }

    /** All rows as primitive columns (about 20 bytes per row). */
    public static Columns generateColumns(Params params) {
        int rows = checkInMemory(params);
        int[] users = new int[rows];
        int[] items = new int[rows];
        float[] weights = new float[rows];
        long[] timestamps = new long[rows];
        int[] next = {0};
        generate(params, (u, i, w, ts) -> {
            int r = next[0]++;
            users[r] = u;
            items[r] = i;
            weights[r] = w;
            timestamps[r] = ts;
        });
        return new Columns(users, items, weights, timestamps);
    }

    /**
     * All rows as {@link Interactions}, ids being the decimal strings the TSV holds, registered in
     * first-seen order exactly as a reader of the TSV would register them.
     */
    public static Interactions generateInteractions(Params params) {
        checkInMemory(params);
        Interactions interactions = new Interactions(new IdDictionary(), new IdDictionary());
        int[] userIndex = new int[params.users()];
        int[] itemIndex = new int[params.items()];
        Arrays.fill(userIndex, -1);
        Arrays.fill(itemIndex, -1);
        generate(params, (u, i, w, ts) -> {
            if (userIndex[u] < 0) {
                userIndex[u] = interactions.users.add(Integer.toString(u));
            }
            if (itemIndex[i] < 0) {
                itemIndex[i] = interactions.items.add(Integer.toString(i));
            }
            interactions.add(userIndex[u], itemIndex[i], w, ts);
        });
        return interactions;
    }

    private static int checkInMemory(Params params) {
        if (params.interactions() > MAX_IN_MEMORY_ROWS) {
            throw new IllegalArgumentException("interactions must be <= " + MAX_IN_MEMORY_ROWS
                    + " to generate in memory, got " + params.interactions() + "; stream with writeTsv or generate instead");
        }
        return (int) params.interactions();
    }

    static void checkRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    static void checkRange(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /** Item-side tables, per-user row counts and the per-user sampling loop. */
    static final class Generator {
        private final Params p;
        private final AliasTable globalByRank;
        private final int[] itemOfRank;
        private final int[] clusterOfItem;
        private final int[][] clusterMembers;
        private final AliasTable[] clusterTables;
        private final AliasTable clusterByMass;
        private final float[] itemBias;
        private final int[] rowsPerUser;

        Generator(Params params) {
            this.p = params;
            int n = params.items();
            SplitMix64 rng = SplitMix64.forStream(params.seed(), STREAM_ITEMS);
            itemOfRank = new int[n];
            for (int i = 0; i < n; i++) {
                itemOfRank[i] = i;
            }
            for (int i = n - 1; i > 0; i--) { // Fisher-Yates
                int j = rng.nextInt(i + 1);
                int t = itemOfRank[i];
                itemOfRank[i] = itemOfRank[j];
                itemOfRank[j] = t;
            }
            double[] weightOfRank = new double[n];
            double[] weightOfItem = new double[n];
            for (int r = 0; r < n; r++) {
                weightOfRank[r] = 1.0 / StrictMath.pow(r + 1, params.zipfExponent());
                weightOfItem[itemOfRank[r]] = weightOfRank[r];
            }
            globalByRank = new AliasTable(weightOfRank);

            int k = params.tasteClusters();
            clusterOfItem = new int[n];
            itemBias = new float[n];
            int[] clusterSize = new int[k];
            for (int i = 0; i < n; i++) {
                clusterOfItem[i] = rng.nextInt(k);
                clusterSize[clusterOfItem[i]]++;
                itemBias[i] = (float) (0.35 * rng.nextGaussian());
            }
            clusterMembers = new int[k][];
            for (int c = 0; c < k; c++) {
                clusterMembers[c] = new int[clusterSize[c]];
            }
            int[] fill = new int[k];
            for (int i = 0; i < n; i++) {
                int c = clusterOfItem[i];
                clusterMembers[c][fill[c]++] = i;
            }
            clusterTables = new AliasTable[k];
            double[] clusterMass = new double[k];
            for (int c = 0; c < k; c++) {
                int[] members = clusterMembers[c];
                if (members.length == 0) {
                    continue; // never chosen: its mass stays 0
                }
                double[] w = new double[members.length];
                for (int m = 0; m < members.length; m++) {
                    w[m] = weightOfItem[members[m]];
                    clusterMass[c] += w[m];
                }
                clusterTables[c] = new AliasTable(w);
            }
            clusterByMass = new AliasTable(clusterMass);
            rowsPerUser = rowsPerUser(params);
        }

        /** One row per user at least, the rest shared by log-normal activity. */
        static int[] rowsPerUser(Params p) {
            SplitMix64 rng = SplitMix64.forStream(p.seed(), STREAM_ACTIVITY);
            double[] activity = new double[p.users()];
            for (int u = 0; u < activity.length; u++) {
                activity[u] = StrictMath.exp(p.activitySigma() * rng.nextGaussian());
            }
            return ActivityShares.allocate(activity, p.interactions(), 1, p.maxRowsPerUser());
        }

        void run(RowSink sink, Progress progress) {
            int maxRows = 0;
            for (int r : rowsPerUser) {
                maxRows = Math.max(maxRows, r);
            }
            int[] userItems = new int[maxRows];
            float[] userWeights = new float[maxRows];
            double[] spacing = new double[maxRows + 1];
            int[] seen = new int[Math.max(16, Integer.highestOneBit(Math.max(1, maxRows)) << 2)];
            int[] tasteCluster = new int[MAX_TASTES_PER_USER];
            double[] tasteCumulative = new double[MAX_TASTES_PER_USER];
            SplitMix64 rng = new SplitMix64(0);
            WeightKind kind = p.weightKind();
            double affinity = p.tasteAffinity();

            for (int u = 0; u < p.users(); u++) {
                rng.reseed(SplitMix64.streamSeed(p.seed(), u));
                int count = rowsPerUser[u];

                int tastes = Math.min(1 + rng.nextInt(MAX_TASTES_PER_USER), p.tasteClusters());
                double total = 0;
                for (int t = 0; t < tastes; t++) {
                    tasteCluster[t] = clusterByMass.sample(rng);
                    total += rng.nextExponential(); // Dirichlet(1, ..., 1) weights
                    tasteCumulative[t] = total;
                }
                double userBias = 0.3 * rng.nextGaussian();

                int capacity = Math.max(16, Integer.highestOneBit(count) << 2);
                int mask = capacity - 1;
                Arrays.fill(seen, 0, capacity, -1);

                for (int r = 0; r < count; r++) {
                    int item = -1;
                    for (int attempt = 0; item < 0; attempt++) {
                        int candidate;
                        if (attempt >= MAX_TASTE_DRAW_ATTEMPTS) {
                            candidate = rng.nextInt(p.items());
                        } else if (rng.nextDouble() < affinity) {
                            double x = rng.nextDouble() * total;
                            int t = 0;
                            while (t < tastes - 1 && x >= tasteCumulative[t]) {
                                t++;
                            }
                            int c = tasteCluster[t];
                            candidate = clusterMembers[c][clusterTables[c].sample(rng)];
                        } else {
                            candidate = itemOfRank[globalByRank.sample(rng)];
                        }
                        if (insert(seen, mask, candidate)) {
                            item = candidate;
                        }
                    }
                    boolean liked = false;
                    for (int t = 0; t < tastes; t++) {
                        liked |= clusterOfItem[item] == tasteCluster[t];
                    }
                    userItems[r] = item;
                    userWeights[r] = kind == WeightKind.RATINGS
                            ? rating(rng, liked, userBias, itemBias[item])
                            : count(rng, liked);
                }

                // Sorted uniform times in the user's window from normalised exponential spacings (no sort).
                double windowFraction = 0.02 + 0.98 * rng.nextDouble();
                long windowLength = (long) (p.spanSeconds() * windowFraction);
                long windowStart = p.startEpochSecond() + (long) ((p.spanSeconds() - windowLength) * rng.nextDouble());
                double sum = 0;
                for (int r = 0; r <= count; r++) {
                    sum += rng.nextExponential();
                    spacing[r] = sum;
                }
                for (int r = 0; r < count; r++) {
                    long ts = windowStart + (long) (windowLength * (spacing[r] / sum));
                    sink.accept(u, userItems[r], userWeights[r], ts);
                }
                progress.step(count);
            }
        }

        /** Adds {@code item} to the open-addressing set; false when already present. */
        private static boolean insert(int[] table, int mask, int item) {
            int h = item * 0x9E3779B9;
            int slot = (h ^ (h >>> 16)) & mask;
            while (true) {
                int current = table[slot];
                if (current == item) {
                    return false;
                }
                if (current < 0) {
                    table[slot] = item;
                    return true;
                }
                slot = (slot + 1) & mask;
            }
        }

        private static float rating(SplitMix64 rng, boolean liked, double userBias, float itemBias) {
            double raw = 3.1 + (liked ? 0.8 : -0.5) + userBias + itemBias + 0.7 * rng.nextGaussian();
            long halfStars = Math.round(raw * 2);
            return Math.clamp(halfStars, 1, 10) / 2f;
        }

        private static float count(SplitMix64 rng, boolean liked) {
            double mean = liked ? 3.0 : 0.6;
            return 1 + (float) Math.floor(rng.nextExponential() * mean);
        }

        int[] rowsPerUser() {
            return rowsPerUser;
        }

        /** The latent cluster of {@code item} (tests check that users' rows concentrate in their clusters). */
        int clusterOfItem(int item) {
            return clusterOfItem[item];
        }
    }
}
