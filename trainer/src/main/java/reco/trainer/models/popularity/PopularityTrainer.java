package reco.trainer.models.popularity;

import java.util.Objects;
import reco.trainer.data.Interactions;

/**
 * Fits a {@link PopularityModel} from interactions. Only "positive" rows count: either flagged by
 * the caller or with a weight above 0 that reaches {@code minWeight} (e.g. ratings of 4 and more).
 */
public final class PopularityTrainer {
    private PopularityTrainer() {}

    /** Positives are the rows {@link reco.trainer.data.TrainingData#isPositive} accepts; pass 0 (or less) for every row weighted above 0. */
    public static PopularityModel train(Interactions data, float minWeight, PopularityParams params) {
        Objects.requireNonNull(data, "data");
        if (Float.isNaN(minWeight)) {
            throw new IllegalArgumentException("minWeight = NaN: must be a number (weights >= it count as positive)");
        }
        boolean[] positive = new boolean[data.size()];
        for (int r = 0; r < positive.length; r++) {
            positive[r] = reco.trainer.data.TrainingData.isPositive(data.weight(r), minWeight);
        }
        return train(data, positive, params);
    }

    /** {@code positive[r]} says whether row r counts; its length must equal {@code data.size()}. */
    public static PopularityModel train(Interactions data, boolean[] positive, PopularityParams params) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(positive, "positive");
        Objects.requireNonNull(params, "params");
        int rows = data.size();
        if (positive.length != rows) {
            throw new IllegalArgumentException("positive.length = " + positive.length
                    + ": must equal the number of interaction rows (" + rows + ")");
        }
        int items = data.itemCount();
        double[] global = distinctPositiveUsersPerItem(data, positive, items);

        long reference = 0;
        if (data.hasTimestamps()) {
            reference = Long.MIN_VALUE;
            for (int r = 0; r < rows; r++) {
                reference = Math.max(reference, data.timestamp(r));
            }
        }
        double[] recency;
        if (!data.hasTimestamps()) {
            // Without time every interaction is equally recent: the trending list is the all-time one.
            recency = global.clone();
        } else {
            recency = new double[items];
            double halfLife = params.recencyHalfLifeSeconds();
            for (int r = 0; r < rows; r++) {
                if (positive[r]) {
                    // Rows without a timestamp (0) in timestamped data decay from the epoch, i.e. count ~0.
                    double age = Math.max(0, reference - data.timestamp(r));
                    recency[data.item(r)] += Math.pow(2.0, -age / halfLife);
                }
            }
        }
        return new PopularityModel(global, recency, reference);
    }

    /**
     * Counts distinct users per item in O(rows + users + items): rows are bucketed by item with a
     * counting sort, and a per-user stamp remembers the last item the user was counted for, so a
     * user who rated an item twice counts once.
     */
    private static double[] distinctPositiveUsersPerItem(Interactions data, boolean[] positive, int items) {
        int rows = data.size();
        int[] start = new int[items + 1];
        for (int r = 0; r < rows; r++) {
            if (positive[r]) start[data.item(r) + 1]++;
        }
        for (int i = 0; i < items; i++) start[i + 1] += start[i];
        int[] users = new int[start[items]];
        int[] fill = java.util.Arrays.copyOf(start, items);
        for (int r = 0; r < rows; r++) {
            if (positive[r]) users[fill[data.item(r)]++] = data.user(r);
        }
        int[] lastItemPlusOne = new int[data.userCount()];
        double[] counts = new double[items];
        for (int i = 0; i < items; i++) {
            int distinct = 0;
            for (int k = start[i]; k < start[i + 1]; k++) {
                int u = users[k];
                if (lastItemPlusOne[u] != i + 1) {
                    lastItemPlusOne[u] = i + 1;
                    distinct++;
                }
            }
            counts[i] = distinct;
        }
        return counts;
    }
}
