package reco.trainer.models.als;

import java.util.SplittableRandom;
import reco.trainer.math.CsrMatrix;

/**
 * Synthetic user x item strengths with Zipf item popularity and a geometric-ish spread of user activity,
 * for tests and the benchmark. Deterministic for a seed.
 */
final class SyntheticImplicitData {
    private SyntheticImplicitData() {}

    /**
     * About {@code interactions} entries (duplicates are summed, so slightly fewer); item i is drawn with
     * probability proportional to 1 / (i + 1)^zipfExponent, strengths are 1..5.
     */
    static CsrMatrix zipf(int users, int items, int interactions, double zipfExponent, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] cumulative = new double[items];
        double total = 0;
        for (int i = 0; i < items; i++) {
            total += 1 / Math.pow(i + 1, zipfExponent);
            cumulative[i] = total;
        }
        // item ids shuffled so popularity is not correlated with the index
        int[] permutation = new int[items];
        for (int i = 0; i < items; i++) {
            permutation[i] = i;
        }
        for (int i = items - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = t;
        }
        int[] rows = new int[interactions];
        int[] cols = new int[interactions];
        float[] values = new float[interactions];
        for (int k = 0; k < interactions; k++) {
            // user activity skewed too: squaring a uniform favours low user ids
            double u = random.nextDouble();
            rows[k] = (int) (u * u * users);
            double target = random.nextDouble() * total;
            int lo = 0;
            int hi = items - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] < target) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            cols[k] = permutation[lo];
            values[k] = 1 + random.nextInt(5);
        }
        return CsrMatrix.fromCoordinates(users, items, rows, cols, values, interactions, true);
    }
}
