package reco.model.ann;

import java.util.SplittableRandom;

/**
 * Synthetic factors shaped like those ALS learns on real interaction data, for evaluating approximate
 * search: items sit around a few hundred latent "taste" centres (genres, scenes), users mix one to
 * three of those tastes, and item norms spread log-normally the way popularity inflates ALS item norms.
 * Isotropic Gaussian vectors would be the worst case for any partitioning and look nothing like
 * trained factors.
 */
final class AlsLikeFactors {
    /** Latent tastes at benchmark scale (100k+ items). */
    static final int CENTRES = 256;
    /** Within-taste spread relative to the centre norm (cosine to the centre ~0.85). */
    static final double ITEM_SPREAD = 0.6;
    static final double USER_SPREAD = 0.5;
    /** Sigma of log(item norm): one sigma more popular = 1.65x larger norm. */
    static final double ITEM_NORM_SIGMA = 0.5;
    static final double USER_NORM_SIGMA = 0.3;

    final int dims;
    final int centreCount;
    private final float[] centres;
    private final SplittableRandom random;

    AlsLikeFactors(int dims, long seed) {
        this(dims, CENTRES, seed);
    }

    AlsLikeFactors(int dims, int centreCount, long seed) {
        this.dims = dims;
        this.centreCount = centreCount;
        this.random = new SplittableRandom(seed);
        this.centres = new float[centreCount * dims];
        for (int c = 0; c < centreCount; c++) {
            double[] v = gaussian(1.0);
            normalise(v);
            for (int j = 0; j < dims; j++) {
                centres[c * dims + j] = (float) v[j];
            }
        }
    }

    /** {@code rows x dims} item vectors, row-major. */
    float[] items(int rows) {
        float[] out = new float[rows * dims];
        for (int i = 0; i < rows; i++) {
            int c = random.nextInt(centreCount);
            double[] v = gaussian(ITEM_SPREAD / Math.sqrt(dims));
            for (int j = 0; j < dims; j++) {
                v[j] += centres[c * dims + j];
            }
            normalise(v);
            double norm = Math.exp(ITEM_NORM_SIGMA * random.nextGaussian());
            for (int j = 0; j < dims; j++) {
                out[i * dims + j] = (float) (norm * v[j]);
            }
        }
        return out;
    }

    /** One user vector: a random mix of one to three tastes plus individual noise. */
    float[] user() {
        double[] v = gaussian(USER_SPREAD / Math.sqrt(dims));
        int tastes = 1 + random.nextInt(3);
        for (int t = 0; t < tastes; t++) {
            int c = random.nextInt(centreCount);
            double w = 0.5 + random.nextDouble();
            for (int j = 0; j < dims; j++) {
                v[j] += w * centres[c * dims + j];
            }
        }
        normalise(v);
        double norm = Math.exp(USER_NORM_SIGMA * random.nextGaussian());
        float[] out = new float[dims];
        for (int j = 0; j < dims; j++) {
            out[j] = (float) (norm * v[j]);
        }
        return out;
    }

    float[][] users(int count) {
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            out[i] = user();
        }
        return out;
    }

    private double[] gaussian(double sigma) {
        double[] v = new double[dims];
        for (int j = 0; j < dims; j++) {
            v[j] = sigma * random.nextGaussian();
        }
        return v;
    }

    private static void normalise(double[] v) {
        double n = 0;
        for (double x : v) {
            n += x * x;
        }
        n = Math.sqrt(n);
        for (int j = 0; j < v.length; j++) {
            v[j] /= n;
        }
    }
}
