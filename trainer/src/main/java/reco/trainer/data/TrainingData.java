package reco.trainer.data;

import reco.trainer.math.CsrMatrix;

import java.util.Arrays;

/**
 * What the models train on, derived once from the raw {@link Interactions}:
 * <ul>
 *   <li>one entry per (user, item): duplicates combined by the chosen rule;</li>
 *   <li>positives: entries whose weight is above 0 and reaches {@code minWeight}, with a model strength
 *       ({@link #isPositive}); an entry with a weight of 0 or less (a dislike, a skip) is only ever
 *       "seen", whatever the strength function;</li>
 *   <li>below-threshold entries: seen (never recommended) and, when {@code belowThresholdWeight > 0},
 *       weak evidence with strength {@code belowThresholdWeight x strength(weight)} (the user chose
 *       to watch/buy the item even if they did not like it much);</li>
 *   <li>the collaborative {@link #input} matrix: every entry with a strength > 0;</li>
 *   <li>every user's full history (input entries and merely "seen" entries with strength 0), oldest
 *       first, which the server uses to exclude seen items and to build the user's profile.</li>
 * </ul>
 */
public final class TrainingData {
    /** How repeated (user, item) rows combine. */
    public enum Duplicates {
        /** The latest row wins (explicit ratings that were revised). */
        LATEST,
        /** Weights add up (implicit counts split across rows). */
        SUM,
        /** The largest weight wins. */
        MAX
    }

    /** How a positive interaction's weight becomes the strength the models see. */
    public enum Strength {
        /** Every positive counts 1. */
        BINARY,
        /** weight / the largest weight (ratings on a fixed scale: 5 stars -> 1.0). */
        LINEAR,
        /** 1 + ln(weight) for weight >= 1 (implicit counts: diminishing returns). */
        LOG,
        /**
         * weight / the user's own largest weight: each user's favourite counts 1 whatever their activity
         * (heavy users do not drown light ones).
         */
        USER,
        /**
         * Chosen from the data: {@link DataProfile#suggestedStrength()} (resolved by the trainer before
         * {@link TrainingData#build} is called).
         */
        AUTO
    }

    public final int users;
    public final int items;
    /**
     * users x items, the collaborative models' input: positives plus weighted below-threshold entries
     * (only positives when belowThresholdWeight is 0), values = strength.
     */
    public final CsrMatrix input;
    /** Entries whose weight reaches minWeight (a subset of {@link #input}). */
    private final int positiveCount;
    /** Per item: how many users have it as a positive. */
    public final int[] positivesPerItem;
    /** Per-user history (CSR over users): item, strength (0 = seen only), timestamp; oldest first. */
    public final long[] historyOffsets;
    public final int[] historyItems;
    public final float[] historyStrengths;
    public final long[] historyTimestamps;
    /** Distinct (user, item) pairs after combining duplicates. */
    public final int pairs;
    /** Rows that were duplicates of an earlier (user, item). */
    public final int duplicateRows;
    public final boolean hasTimestamps;

    private TrainingData(int users, int items, CsrMatrix input, int positiveCount, int[] positivesPerItem,
                         long[] historyOffsets, int[] historyItems, float[] historyStrengths, long[] historyTimestamps,
                         int pairs, int duplicateRows, boolean hasTimestamps) {
        this.users = users;
        this.items = items;
        this.input = input;
        this.positiveCount = positiveCount;
        this.positivesPerItem = positivesPerItem;
        this.historyOffsets = historyOffsets;
        this.historyItems = historyItems;
        this.historyStrengths = historyStrengths;
        this.historyTimestamps = historyTimestamps;
        this.pairs = pairs;
        this.duplicateRows = duplicateRows;
        this.hasTimestamps = hasTimestamps;
    }

    /**
     * Whether an interaction of this weight is a positive (a sign of taste the models learn from): its
     * weight is above 0 and reaches {@code minWeight}. A weight of 0 or less is never a positive.
     */
    public static boolean isPositive(float weight, float minWeight) {
        return weight > 0 && weight >= minWeight;
    }

    /**
     * @param minWeight rows with weight >= minWeight are positives (use {@code Float.NEGATIVE_INFINITY}
     *                  to make every row with a weight above 0 positive)
     * @throws DataException when the weights of one (user, item) sum to more than a float holds
     */
    public static TrainingData build(Interactions in, float minWeight, Duplicates duplicates, Strength strength) {
        return build(in, minWeight, duplicates, strength, 0f, 1f);
    }

    /**
     * @param minWeight            rows with weight >= minWeight are positives
     * @param belowThresholdWeight factor in [0, 1] applied to the strength of entries below minWeight
     *                             (0: seen only, no signal; 1: as strong as their weight says)
     * @param recencyFloor         in (0, 1]: each user's strengths are scaled by their place in the user's own
     *                             timeline, from recencyFloor for the oldest entry linearly up to 1 for the newest
     *                             (1: no recency weighting; ignored without timestamps)
     */
    public static TrainingData build(Interactions in, float minWeight, Duplicates duplicates, Strength strength,
                                     float belowThresholdWeight, float recencyFloor) {
        if (!(belowThresholdWeight >= 0f && belowThresholdWeight <= 1f)) {
            throw new IllegalArgumentException("belowThresholdWeight must be in [0, 1], got " + belowThresholdWeight);
        }
        if (!(recencyFloor > 0f && recencyFloor <= 1f)) {
            throw new IllegalArgumentException("recencyFloor must be in (0, 1], got " + recencyFloor);
        }
        int users = in.userCount();
        int items = in.itemCount();
        int n = in.size();
        // order rows by (user, timestamp, row): histories come out oldest first and "latest" is last
        int[] order = sortRows(in);
        int[] pairUser = new int[n];
        int[] pairItem = new int[n];
        float[] pairWeight = new float[n];
        long[] pairTime = new long[n];
        int pairs = 0;
        int duplicateRows = 0;
        // combine duplicates per user with a small open-addressing map item -> pair position
        int start = 0;
        while (start < n) {
            int u = in.user(order[start]);
            int end = start;
            while (end < n && in.user(order[end]) == u) {
                end++;
            }
            int len = end - start;
            int cap = Integer.highestOneBit(Math.max(4, len * 2 - 1)) << 1;
            int[] slotItem = new int[cap];
            int[] slotPair = new int[cap];
            Arrays.fill(slotItem, -1);
            for (int r = start; r < end; r++) {
                int row = order[r];
                int it = in.item(row);
                int h = (it * 0x9E3779B9) >>> 7 & (cap - 1);
                while (slotItem[h] != -1 && slotItem[h] != it) {
                    h = (h + 1) & (cap - 1);
                }
                if (slotItem[h] == -1) {
                    slotItem[h] = it;
                    slotPair[h] = pairs;
                    pairUser[pairs] = u;
                    pairItem[pairs] = it;
                    pairWeight[pairs] = in.weight(row);
                    pairTime[pairs] = in.timestamp(row);
                    pairs++;
                } else {
                    int p = slotPair[h];
                    duplicateRows++;
                    float w = in.weight(row);
                    switch (duplicates) {
                        case LATEST -> pairWeight[p] = w;
                        case SUM -> {
                            pairWeight[p] += w;
                            if (!Float.isFinite(pairWeight[p])) {
                                throw new DataException("the weights of user '" + in.users.id(u) + "' for item '"
                                        + in.items.id(it) + "' sum to " + pairWeight[p] + " (--duplicates sum): more than "
                                        + "a 32-bit float holds; scale the weights down or use --duplicates max or latest");
                            }
                        }
                        case MAX -> pairWeight[p] = Math.max(pairWeight[p], w);
                    }
                    pairTime[p] = Math.max(pairTime[p], in.timestamp(row));
                }
            }
            start = end;
        }
        // the scale's top: the largest weight of any input row (a re-rating must not change the scale)
        float maxWeight = 0;
        for (int row = 0; row < n; row++) {
            maxWeight = Math.max(maxWeight, in.weight(row));
        }
        float[] userMax = new float[users];
        for (int p = 0; p < pairs; p++) {
            userMax[pairUser[p]] = Math.max(userMax[pairUser[p]], pairWeight[p]);
        }
        // histories: pairs are grouped by user in first-occurrence order of (timestamp, row); re-sort by time
        long[] offsets = new long[users + 1];
        for (int p = 0; p < pairs; p++) {
            offsets[pairUser[p] + 1]++;
        }
        for (int u = 0; u < users; u++) {
            offsets[u + 1] += offsets[u];
        }
        int[] hItems = new int[pairs];
        float[] hStrength = new float[pairs];
        long[] hTime = new long[pairs];
        long[] fill = Arrays.copyOf(offsets, users);
        int inputCount = 0;
        int positivesCount = 0;
        int[] positivesPerItem = new int[items];
        for (int p = 0; p < pairs; p++) {
            int at = (int) fill[pairUser[p]]++;
            hItems[at] = pairItem[p];
            float w = pairWeight[p];
            boolean positive = isPositive(w, minWeight);
            // a weight of 0 or less carries no taste at all: not even weak evidence, whatever the strength
            float scaleTop = strength == Strength.USER ? userMax[pairUser[p]] : maxWeight;
            float s = positive ? strength(w, scaleTop, strength)
                    : belowThresholdWeight > 0 && w > 0 ? belowThresholdWeight * strength(w, scaleTop, strength) : 0f;
            hStrength[at] = s;
            hTime[at] = pairTime[p];
            if (s > 0) {
                inputCount++;
                if (positive) {
                    positivesCount++;
                    positivesPerItem[pairItem[p]]++;
                }
            }
        }
        for (int u = 0; u < users; u++) {
            sortByTime((int) offsets[u], (int) offsets[u + 1], hItems, hStrength, hTime);
        }
        if (recencyFloor < 1f && in.hasTimestamps()) {
            // rank within the user's own timeline rather than calendar age: users differ by years in how
            // often they interact, and what a user did last (whenever that was) best predicts what comes next
            for (int u = 0; u < users; u++) {
                int s = (int) offsets[u], e = (int) offsets[u + 1];
                for (int p = s; p < e; p++) {
                    float position = e - s > 1 ? (float) (p - s) / (e - s - 1) : 1f;
                    hStrength[p] *= recencyFloor + (1f - recencyFloor) * position;
                }
            }
        }
        int[] r = new int[inputCount];
        int[] c = new int[inputCount];
        float[] v = new float[inputCount];
        int k = 0;
        for (int u = 0; u < users; u++) {
            for (int p = (int) offsets[u]; p < offsets[u + 1]; p++) {
                if (hStrength[p] > 0) {
                    r[k] = u;
                    c[k] = hItems[p];
                    v[k] = hStrength[p];
                    k++;
                }
            }
        }
        CsrMatrix input = CsrMatrix.fromCoordinates(users, items, r, c, v, k, true);
        return new TrainingData(users, items, input, positivesCount, positivesPerItem, offsets, hItems, hStrength, hTime, pairs, duplicateRows,
                in.hasTimestamps());
    }

    static float strength(float weight, float maxWeight, Strength strength) {
        return switch (strength) {
            case BINARY -> 1f;
            case LINEAR, USER -> maxWeight > 0 ? Math.max(weight, 0f) / maxWeight : 1f;
            case LOG -> 1f + (float) Math.log(Math.max(1f, weight));
            case AUTO -> throw new IllegalArgumentException("strength auto must be resolved from the data profile first");
        };
    }

    private static int[] sortRows(Interactions in) {
        int n = in.size();
        int users = in.userCount();
        int[] counts = new int[users + 1];
        for (int r = 0; r < n; r++) {
            counts[in.user(r) + 1]++;
        }
        for (int u = 0; u < users; u++) {
            counts[u + 1] += counts[u];
        }
        int[] order = new int[n];
        int[] pos = Arrays.copyOf(counts, users);
        for (int r = 0; r < n; r++) {
            order[pos[in.user(r)]++] = r;
        }
        // within a user, stable by timestamp (rows already in input order)
        for (int u = 0; u < users; u++) {
            int s = counts[u], e = counts[u + 1];
            boolean sorted = true;
            for (int i = s + 1; i < e && sorted; i++) {
                sorted = in.timestamp(order[i - 1]) <= in.timestamp(order[i]);
            }
            if (!sorted) {
                int[] rows = Arrays.copyOfRange(order, s, e);
                int[] perm = sortedPermutation(rows.length, i -> in.timestamp(rows[i]));
                for (int i = 0; i < perm.length; i++) {
                    order[s + i] = rows[perm[i]];
                }
            }
        }
        return order;
    }

    private static void sortByTime(int s, int e, int[] items, float[] strengths, long[] times) {
        boolean sorted = true;
        for (int i = s + 1; i < e && sorted; i++) {
            sorted = times[i - 1] <= times[i];
        }
        if (sorted) {
            return;
        }
        int[] perm = sortedPermutation(e - s, i -> times[s + i]);
        int[] it = new int[perm.length];
        float[] st = new float[perm.length];
        long[] tm = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            it[i] = items[s + perm[i]];
            st[i] = strengths[s + perm[i]];
            tm[i] = times[s + perm[i]];
        }
        System.arraycopy(it, 0, items, s, perm.length);
        System.arraycopy(st, 0, strengths, s, perm.length);
        System.arraycopy(tm, 0, times, s, perm.length);
    }

    /**
     * Stable order of 0..n-1 by a long key, without boxing: sorts (key - min) << 26 | index packed in
     * a long when the key range allows (always for unix seconds), else falls back to a boxed sort.
     */
    static int[] sortedPermutation(int n, java.util.function.IntToLongFunction key) {
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long k = key.applyAsLong(i);
            min = Math.min(min, k);
            max = Math.max(max, k);
        }
        int[] perm = new int[n];
        if (n < (1 << 26) && max - min >= 0 && max - min < (1L << 37)) {
            long[] packed = new long[n];
            for (int i = 0; i < n; i++) {
                packed[i] = ((key.applyAsLong(i) - min) << 26) | i;
            }
            Arrays.sort(packed);
            for (int i = 0; i < n; i++) {
                perm[i] = (int) (packed[i] & ((1 << 26) - 1));
            }
            return perm;
        }
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Long.compare(key.applyAsLong(a), key.applyAsLong(b)));
        for (int i = 0; i < n; i++) {
            perm[i] = idx[i];
        }
        return perm;
    }

    /** Entries whose weight reaches minWeight. */
    public int positiveCount() {
        return positiveCount;
    }
}
