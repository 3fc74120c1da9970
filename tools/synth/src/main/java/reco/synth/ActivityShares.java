package reco.synth;

import java.util.Arrays;

/** Splits an exact total of rows among users in proportion to their activity, within per-user bounds. */
final class ActivityShares {
    private ActivityShares() {}

    /**
     * Every user gets {@code min} rows; the rest of {@code total} is shared in proportion to
     * {@code activity}, water-filling users that would exceed {@code max}, then cumulative rounding in
     * user order so the counts sum exactly to {@code total}. Requires
     * {@code users * min <= total <= users * max}.
     */
    static int[] allocate(double[] activity, long total, int min, int max) {
        int users = activity.length;
        if (total < (long) users * min || total > (long) users * max) {
            throw new IllegalArgumentException("total " + total + " outside [" + (long) users * min + ", "
                    + (long) users * max + "]");
        }
        int capExtra = max - min;
        long remaining = total - (long) users * min;
        int[] rows = new int[users];
        Arrays.fill(rows, min);
        boolean[] capped = new boolean[users];
        double uncappedActivity = 0;
        for (double a : activity) {
            uncappedActivity += a;
        }
        boolean changed = true;
        while (changed && remaining > 0 && uncappedActivity > 0) {
            changed = false;
            double scale = remaining / uncappedActivity;
            for (int u = 0; u < users; u++) {
                if (!capped[u] && activity[u] * scale > capExtra) {
                    capped[u] = true;
                    rows[u] += capExtra;
                    remaining -= capExtra;
                    uncappedActivity -= activity[u];
                    changed = true;
                }
            }
        }
        long assigned = 0;
        if (remaining > 0 && uncappedActivity > 0) {
            double scale = remaining / uncappedActivity;
            double cumulative = 0;
            for (int u = 0; u < users; u++) {
                if (capped[u]) {
                    continue;
                }
                cumulative += activity[u] * scale;
                long upTo = Math.min(remaining, Math.round(cumulative));
                long share = Math.min(Math.max(0, upTo - assigned), capExtra);
                rows[u] += (int) share;
                assigned += share;
            }
        }
        // Floating-point rounding can leave a few rows over: give them to users with room, in user
        // order, so the total is exact.
        long left = remaining - assigned;
        for (int u = 0; u < users && left > 0; u++) {
            int add = (int) Math.min(max - rows[u], left);
            rows[u] += add;
            left -= add;
        }
        return rows;
    }
}
