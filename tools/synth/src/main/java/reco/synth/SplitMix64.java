package reco.synth;

/**
 * The SplitMix64 generator (Steele, Lea and Flood 2014), spelled out here so that generated data
 * depends only on this file: every draw is derived from {@link #nextLong()} with fixed arithmetic,
 * and transcendental functions go through {@link StrictMath}, so a seed yields the same bytes on
 * every JDK and platform. Not thread-safe; cheap to {@link #reseed} (no allocation per user).
 */
final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    /** A generator for sub-stream {@code stream} of {@code seed}, independent of other streams. */
    static SplitMix64 forStream(long seed, long stream) {
        return new SplitMix64(streamSeed(seed, stream));
    }

    /** Seed of sub-stream {@code stream}: mixing both keeps nearby streams uncorrelated. */
    static long streamSeed(long seed, long stream) {
        return mix64(seed ^ mix64(stream * GOLDEN_GAMMA + 0x632be59bd9b4e019L));
    }

    void reseed(long seed) {
        this.state = seed;
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in (0, 1]: safe to take the logarithm of. */
    double nextOpenDouble() {
        return ((nextLong() >>> 11) + 1) * 0x1.0p-53;
    }

    /**
     * Uniform in [0, bound) by Lemire's multiply-shift on 32 random bits; the bias (at most
     * bound / 2^32) is irrelevant for synthetic data and keeps the draw branch-free.
     */
    int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Uniform in [from, to] inclusive. */
    int nextInt(int from, int to) {
        return from + nextInt(to - from + 1);
    }

    boolean nextBoolean(double probability) {
        return nextDouble() < probability;
    }

    /** Standard normal by Box-Muller (one value per call, no cached state, so reseeding is clean). */
    double nextGaussian() {
        double radius = StrictMath.sqrt(-2.0 * StrictMath.log(nextOpenDouble()));
        return radius * StrictMath.cos(2.0 * Math.PI * nextDouble());
    }

    /** Exponential with mean 1. */
    double nextExponential() {
        return -StrictMath.log(nextOpenDouble());
    }
}
