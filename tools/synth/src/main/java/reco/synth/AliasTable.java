package reco.synth;

/**
 * Walker/Vose alias table: O(n) construction, O(1) sampling of index {@code i} with probability
 * proportional to {@code weights[i]}. Two primitive arrays, no per-entry objects.
 */
final class AliasTable {
    private final double[] keepProbability;
    private final int[] alias;

    AliasTable(double[] weights) {
        int n = weights.length;
        if (n == 0) {
            throw new IllegalArgumentException("alias table needs at least one weight");
        }
        double total = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weights must be finite and >= 0, got " + w);
            }
            total += w;
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("weights must not all be zero");
        }
        keepProbability = new double[n];
        alias = new int[n];
        // Scaled weights average 1; "small" entries (< 1) are topped up by one "large" entry each.
        double[] scaled = new double[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int smallCount = 0;
        int largeCount = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = weights[i] * n / total;
            if (scaled[i] < 1.0) {
                small[smallCount++] = i;
            } else {
                large[largeCount++] = i;
            }
        }
        while (smallCount > 0 && largeCount > 0) {
            int s = small[--smallCount];
            int l = large[--largeCount];
            keepProbability[s] = scaled[s];
            alias[s] = l;
            scaled[l] = (scaled[l] + scaled[s]) - 1.0;
            if (scaled[l] < 1.0) {
                small[smallCount++] = l;
            } else {
                large[largeCount++] = l;
            }
        }
        // Leftovers are 1 up to rounding error: they always keep themselves.
        while (largeCount > 0) {
            int l = large[--largeCount];
            keepProbability[l] = 1.0;
            alias[l] = l;
        }
        while (smallCount > 0) {
            int s = small[--smallCount];
            keepProbability[s] = 1.0;
            alias[s] = s;
        }
    }

    int size() {
        return alias.length;
    }

    int sample(SplitMix64 rng) {
        int column = rng.nextInt(alias.length);
        return rng.nextDouble() < keepProbability[column] ? column : alias[column];
    }
}
