package reco.trainer.tuning;

import reco.trainer.data.Interactions;
import reco.trainer.data.TrainingData;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A validation split carved from the training rows by holdout-v1's rules (PROTOCOL.md section 2), so
 * that tuning never looks at anything but the data it was given: per user, the positives
 * ({@link TrainingData#isPositive} with the run's min weight) are counted; users with fewer than
 * {@value #MIN_POSITIVES} keep every row; every other user holds out {@code max(1, n / 5)} positives: the
 * latest by (timestamp, item) when the data has timestamps, otherwise a seeded random choice. Held-out
 * pairs leave the training rows entirely (every row of a repeated pair).
 *
 * @param train        the training rows minus the held-out pairs (same user and item dictionaries as the input)
 * @param users        the validation users scored (all evaluated users, or a seeded sample of them), ascending
 * @param heldOut      per entry of {@code users}: the held-out items
 * @param evaluated    how many users hold out items (before sampling)
 * @param temporal     whether the hold-out was by time
 */
public record ValidationSplit(Interactions train, int[] users, int[][] heldOut, int evaluated, boolean temporal) {
    public static final int MIN_POSITIVES = 5;

    /**
     * @param maxUsers at most this many validation users are scored (a seeded sample; all held-out pairs
     *                 still leave the training rows so the sample does not change what is trained)
     */
    public static ValidationSplit carve(Interactions in, float minWeight, long seed, int maxUsers) {
        int users = in.userCount();
        int n = in.size();
        // positives per user, as (row) lists
        int[] count = new int[users];
        for (int r = 0; r < n; r++) {
            if (TrainingData.isPositive(in.weight(r), minWeight)) {
                count[in.user(r)]++;
            }
        }
        int[][] rowsOf = new int[users][];
        for (int u = 0; u < users; u++) {
            rowsOf[u] = new int[count[u]];
        }
        int[] fill = new int[users];
        for (int r = 0; r < n; r++) {
            if (TrainingData.isPositive(in.weight(r), minWeight)) {
                int u = in.user(r);
                rowsOf[u][fill[u]++] = r;
            }
        }
        boolean temporal = in.hasTimestamps();
        SplittableRandom random = new SplittableRandom(seed);
        long[] heldPairs = new long[16];
        int heldCount = 0;
        List<Integer> evaluatedUsers = new ArrayList<>();
        List<int[]> evaluatedItems = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int[] rows = rowsOf[u];
            // one entry per item: the latest row of a repeated pair stands for it
            int[] items = distinctItemsByTime(in, rows);
            int positives = items.length;
            if (positives < MIN_POSITIVES) {
                continue;
            }
            int h = Math.max(1, positives / 5);
            int[] order;
            if (temporal) {
                order = items; // already sorted by (timestamp, item)
            } else {
                order = items.clone();
                Arrays.sort(order);
                for (int i = order.length - 1; i > 0; i--) { // Fisher-Yates, seeded
                    int j = random.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
            }
            int[] held = Arrays.copyOfRange(order, order.length - h, order.length);
            evaluatedUsers.add(u);
            evaluatedItems.add(held);
            for (int item : held) {
                if (heldCount == heldPairs.length) {
                    heldPairs = Arrays.copyOf(heldPairs, heldCount * 2);
                }
                heldPairs[heldCount++] = pair(u, item);
            }
        }
        Set<Long> held = new HashSet<>(heldCount * 2);
        for (int i = 0; i < heldCount; i++) {
            held.add(heldPairs[i]);
        }
        Interactions train = new Interactions(in.users, in.items);
        for (int r = 0; r < n; r++) {
            if (!held.contains(pair(in.user(r), in.item(r)))) {
                train.add(in.user(r), in.item(r), in.hasWeights() ? in.weight(r) : Float.NaN, in.timestamp(r));
            }
        }
        int evaluated = evaluatedUsers.size();
        int[] chosen = sample(evaluated, maxUsers, new SplittableRandom(seed ^ 0x5DEECE66DL));
        int[] outUsers = new int[chosen.length];
        int[][] outItems = new int[chosen.length][];
        for (int k = 0; k < chosen.length; k++) {
            outUsers[k] = evaluatedUsers.get(chosen[k]);
            outItems[k] = evaluatedItems.get(chosen[k]);
        }
        return new ValidationSplit(train, outUsers, outItems, evaluated, temporal);
    }

    /** Ascending positions 0..n-1, all of them or a seeded sample of {@code max}. */
    static int[] sample(int n, int max, SplittableRandom random) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        if (n <= max) {
            return all;
        }
        for (int i = 0; i < max; i++) { // partial Fisher-Yates
            int j = i + random.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] out = Arrays.copyOf(all, max);
        Arrays.sort(out);
        return out;
    }

    /** The distinct items of {@code rows}, ordered by (latest timestamp, item index). */
    private static int[] distinctItemsByTime(Interactions in, int[] rows) {
        // item -> latest timestamp
        java.util.Map<Integer, Long> latest = new java.util.HashMap<>(rows.length * 2);
        for (int r : rows) {
            latest.merge(in.item(r), in.timestamp(r), Math::max);
        }
        int k = 0;
        Integer[] items = latest.keySet().toArray(new Integer[0]);
        Arrays.sort(items, (a, b) -> {
            int c = Long.compare(latest.get(a), latest.get(b));
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] out = new int[items.length];
        for (Integer item : items) {
            out[k++] = item;
        }
        return out;
    }

    private static long pair(int user, int item) {
        return ((long) user << 32) | (item & 0xFFFFFFFFL);
    }
}
