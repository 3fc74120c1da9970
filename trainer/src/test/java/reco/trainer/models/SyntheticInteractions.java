package reco.trainer.models;

import java.util.Random;
import reco.trainer.math.CsrMatrix;

/** Seeded synthetic user x item matrices for model tests and benchmarks. */
public final class SyntheticInteractions {
    private SyntheticInteractions() {}

    /** Random matrix with item popularity skewed towards low ids; some items/users stay empty. */
    public static CsrMatrix skewed(int users, int items, int entries, long seed, boolean binary) {
        Random random = new Random(seed);
        int[] r = new int[entries];
        int[] c = new int[entries];
        float[] v = new float[entries];
        for (int k = 0; k < entries; k++) {
            r[k] = random.nextInt(users);
            double u = random.nextDouble();
            c[k] = (int) (items * u * u);
            v[k] = binary ? 1f : 0.25f + random.nextInt(20) * 0.25f;
        }
        return CsrMatrix.fromCoordinates(users, items, r, c, v, entries, false);
    }

    /**
     * Zipf-like catalogue: item popularity ~ 1 / (rank + 10)^exponent, user activity also Zipf
     * (a few heavy users); duplicate (user, item) pairs are merged, so nnz is a little below
     * {@code entries}. Strengths are 1 to 5.
     */
    public static CsrMatrix zipf(int users, int items, int entries, double exponent, long seed) {
        Random random = new Random(seed);
        double[] itemCdf = zipfCdf(items, exponent);
        double[] userCdf = zipfCdf(users, 0.8);
        int[] r = new int[entries];
        int[] c = new int[entries];
        float[] v = new float[entries];
        for (int k = 0; k < entries; k++) {
            r[k] = sample(userCdf, random.nextDouble());
            c[k] = sample(itemCdf, random.nextDouble());
            v[k] = 1 + random.nextInt(5);
        }
        return CsrMatrix.fromCoordinates(users, items, r, c, v, entries, false);
    }

    private static double[] zipfCdf(int n, double exponent) {
        double[] cdf = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += 1.0 / Math.pow(i + 10, exponent);
            cdf[i] = total;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= total;
        }
        return cdf;
    }

    private static int sample(double[] cdf, double u) {
        int lo = 0, hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
