package reco.trainer.models.popularity;

import java.util.Arrays;

/**
 * Per-item popularity: a global score (distinct users with a positive interaction) and a
 * recency-weighted score (positive interactions decayed by age), each with its ranking: item
 * indexes by score descending, ties by lower index, only items with score &gt; 0.
 *
 * <p>Immutable; accessors return copies.
 */
public final class PopularityModel {
    private final double[] globalScores;
    private final double[] recencyScores;
    private final int[] globalRanking;
    private final int[] recencyRanking;
    private final long referenceTimestamp;

    /**
     * Rankings from scores computed elsewhere (e.g. on a cluster) the way {@link PopularityTrainer} does:
     * distinct users with a positive per item, and their recency-weighted sum.
     */
    public static PopularityModel fromScores(double[] globalScores, double[] recencyScores, long referenceTimestamp) {
        return new PopularityModel(globalScores, recencyScores, referenceTimestamp);
    }

    PopularityModel(double[] globalScores, double[] recencyScores, long referenceTimestamp) {
        this.globalScores = globalScores;
        this.recencyScores = recencyScores;
        this.globalRanking = rank(globalScores);
        this.recencyRanking = rank(recencyScores);
        this.referenceTimestamp = referenceTimestamp;
    }

    public int itemCount() { return globalScores.length; }

    /** Number of distinct users with a positive interaction on {@code item}. */
    public double globalScore(int item) { return globalScores[item]; }

    /** Sum over positive interactions on {@code item} of 2^(-(tRef - t) / halfLife). */
    public double recencyScore(int item) { return recencyScores[item]; }

    public double[] globalScores() { return globalScores.clone(); }
    public double[] recencyScores() { return recencyScores.clone(); }
    /** Items with a positive global score, best first, ties by lower index. */
    public int[] globalRanking() { return globalRanking.clone(); }
    /** Items with a positive recency score, best first, ties by lower index. */
    public int[] recencyRanking() { return recencyRanking.clone(); }

    /** The newest timestamp in the data (unix seconds), the "now" of the recency score; 0 without timestamps. */
    public long referenceTimestamp() { return referenceTimestamp; }

    /** Items with score &gt; 0 sorted by score descending then index ascending. */
    static int[] rank(double[] scores) {
        int positives = 0;
        for (double s : scores) {
            if (s > 0) positives++;
        }
        Integer[] order = new Integer[positives];
        int w = 0;
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] > 0) order[w++] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(scores[b], scores[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] ranking = new int[positives];
        for (int k = 0; k < positives; k++) ranking[k] = order[k];
        return ranking;
    }
}
