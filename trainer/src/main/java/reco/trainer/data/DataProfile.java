package reco.trainer.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * What the interaction data looks like, measured once at train time: the kind of weights, how active
 * users are, how long the item tail is and whether rows carry timestamps. Printed by {@code reco train},
 * recorded in the manifest ({@code dataProfile}) and used to pick the input transform and the tuning
 * candidates. Serialised with Jackson (record components become JSON fields).
 *
 * @param weightKind          what the weights are (see {@link WeightKind})
 * @param rows                interaction rows
 * @param users               distinct users with at least one row
 * @param items               distinct items with at least one row
 * @param positives           rows that are positives ({@link TrainingData#isPositive})
 * @param distinctWeights     distinct weight values (counted up to {@value #DISTINCT_LIMIT})
 * @param minWeight           smallest weight
 * @param maxWeight           largest weight
 * @param medianWeight        median weight
 * @param p99Weight           99th percentile of the weights
 * @param medianUserPositives median positives per user (users with a row)
 * @param p90UserPositives    90th percentile of positives per user
 * @param itemsUnder5         share of items (with a row) that have fewer than 5 positives: the long tail
 * @param top10PercentShare   share of all positives that go to the 10% most popular items
 * @param density             positives / (users x items)
 * @param timestamps          whether any row carries a non-zero timestamp
 */
public record DataProfile(
        WeightKind weightKind,
        long rows,
        int users,
        int items,
        long positives,
        int distinctWeights,
        double minWeight,
        double maxWeight,
        double medianWeight,
        double p99Weight,
        double medianUserPositives,
        double p90UserPositives,
        double itemsUnder5,
        double top10PercentShare,
        double density,
        boolean timestamps) {

    /** Distinct weights are counted up to this many. */
    public static final int DISTINCT_LIMIT = 1000;
    /** A scale with at most this many distinct values and a top of at most {@value #RATING_SCALE_MAX} is a rating scale. */
    public static final int RATING_SCALE_VALUES = 20;
    public static final double RATING_SCALE_MAX = 10;

    /** What the weights of the interaction rows are. */
    public enum WeightKind {
        /** Every row has the same weight (clicks, purchases recorded once, no weight column). */
        BINARY,
        /** A small discrete scale with a low top (1-5 stars, 0.5-5 in half stars, 1-10). */
        RATING_SCALE,
        /** Counts or durations: many distinct values or a high top, usually heavy-tailed (plays, purchases). */
        COUNTS;

        /** The kind of weights with {@code distinct} distinct values (counted up to {@link #DISTINCT_LIMIT}) and largest {@code max}. */
        public static WeightKind of(int distinct, double max) {
            if (distinct <= 1) {
                return BINARY;
            }
            return distinct <= RATING_SCALE_VALUES && max <= RATING_SCALE_MAX ? RATING_SCALE : COUNTS;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * Measures {@code in}; positives are decided by {@link TrainingData#isPositive} with {@code minWeight}
     * ({@code Float.NEGATIVE_INFINITY}: every row with a weight above 0).
     */
    public static DataProfile of(Interactions in, float minWeight) {
        int n = in.size();
        float[] weights = new float[n];
        int[] perUser = new int[in.userCount()];
        int[] perItem = new int[in.itemCount()];
        boolean[] userSeen = new boolean[in.userCount()];
        boolean[] itemSeen = new boolean[in.itemCount()];
        long positives = 0;
        for (int r = 0; r < n; r++) {
            weights[r] = in.weight(r);
            userSeen[in.user(r)] = true;
            itemSeen[in.item(r)] = true;
            if (TrainingData.isPositive(in.weight(r), minWeight)) {
                positives++;
                perUser[in.user(r)]++;
                perItem[in.item(r)]++;
            }
        }
        Arrays.sort(weights);
        int distinct = 0;
        for (int r = 0; r < n && distinct < DISTINCT_LIMIT; r++) {
            if (r == 0 || weights[r] != weights[r - 1]) {
                distinct++;
            }
        }
        double min = n == 0 ? 0 : weights[0];
        double max = n == 0 ? 0 : weights[n - 1];
        WeightKind kind = WeightKind.of(distinct, max);
        int[] activeUsers = counts(perUser, userSeen);
        int[] activeItems = counts(perItem, itemSeen);
        int under5 = 0;
        for (int c : activeItems) {
            if (c < 5) {
                under5++;
            }
        }
        int[] byPopularity = activeItems.clone();
        Arrays.sort(byPopularity);
        long top = 0;
        int topCount = Math.max(1, byPopularity.length / 10);
        for (int i = byPopularity.length - 1; i >= 0 && i >= byPopularity.length - topCount; i--) {
            top += byPopularity[i];
        }
        Arrays.sort(activeUsers);
        double cells = (double) activeUsers.length * activeItems.length;
        return new DataProfile(kind, n, activeUsers.length, activeItems.length, positives, distinct, min, max,
                quantile(weights, 0.5), quantile(weights, 0.99), quantile(activeUsers, 0.5), quantile(activeUsers, 0.9),
                activeItems.length == 0 ? 0 : (double) under5 / activeItems.length,
                positives == 0 ? 0 : (double) top / positives, cells == 0 ? 0 : positives / cells, in.hasTimestamps());
    }

    /** The input transform used when nothing else decides: the one that suits this kind of weight. */
    public TrainingData.Strength suggestedStrength() {
        return switch (weightKind) {
            case BINARY -> TrainingData.Strength.BINARY;
            case RATING_SCALE -> TrainingData.Strength.LINEAR;
            case COUNTS -> TrainingData.Strength.LOG;
        };
    }

    /** One line for the training log. */
    public String summary() {
        return String.format(Locale.ROOT, "profile: %s weights (%d%s distinct, %s..%s, median %s, p99 %s); %,d users "
                        + "(median %.0f positives, p90 %.0f); %,d items (%.0f%% with < 5 positives, top 10%% take %.0f%% of "
                        + "positives); density %.4f%%; %s",
                weightKind.id(), distinctWeights, distinctWeights >= DISTINCT_LIMIT ? "+" : "", number(minWeight),
                number(maxWeight), number(medianWeight), number(p99Weight), users, medianUserPositives, p90UserPositives,
                items, 100 * itemsUnder5, 100 * top10PercentShare, 100 * density,
                timestamps ? "timestamps" : "no timestamps");
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static int[] counts(int[] values, boolean[] present) {
        int k = 0;
        for (boolean p : present) {
            if (p) {
                k++;
            }
        }
        int[] out = new int[k];
        k = 0;
        for (int i = 0; i < values.length; i++) {
            if (present[i]) {
                out[k++] = values[i];
            }
        }
        return out;
    }

    private static double quantile(float[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
    }

    private static double quantile(int[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
    }
}
