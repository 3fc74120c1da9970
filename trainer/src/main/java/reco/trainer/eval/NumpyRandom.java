package reco.trainer.eval;

/**
 * Bit-exact re-implementation of the part of numpy 2.x's random module that holdout-v1 uses:
 * {@code numpy.random.default_rng(seed)} (a {@code PCG64} bit generator seeded through
 * {@code SeedSequence(seed)}) and {@code Generator.permutation(n)}.
 *
 * <p>Why bit-exact: the split of a dataset without timestamps is defined by the draws of
 * {@code default_rng(42)} in the reference {@code split.py}; any other generator would hold out
 * different items and make scores incomparable.
 *
 * <p>Sources mirrored: {@code numpy/random/bit_generator.pyx} (SeedSequence mix_entropy and
 * generate_state), {@code numpy/random/src/pcg64/pcg64.h} (128-bit LCG step, XSL-RR output,
 * {@code pcg64_set_seed}, the buffered {@code next_uint32}), {@code numpy/random/_generator.pyx}
 * ({@code permutation} = arange + {@code shuffle} -> {@code _shuffle_raw}: Fisher-Yates from the
 * last index down to 1) and {@code distributions.c random_interval} (mask-and-reject).
 *
 * <p>Not thread-safe, like the numpy Generator it mirrors.
 */
public final class NumpyRandom {
    // PCG_DEFAULT_MULTIPLIER_128 = 0x2360ED051FC65DA4_4385DF649FCCF645
    private static final long MULTIPLIER_HI = 0x2360ED051FC65DA4L;
    private static final long MULTIPLIER_LO = 0x4385DF649FCCF645L;

    private long stateHi;
    private long stateLo;
    private final long incHi;
    private final long incLo;
    /** numpy's PCG64 hands out a 64-bit output as two 32-bit halves, low half first. */
    private boolean hasBufferedInt;
    private int bufferedInt;

    /**
     * {@code numpy.random.default_rng(seed)} for a non-negative integer seed.
     *
     * @throws IllegalArgumentException when {@code seed < 0} (numpy rejects negative seeds too)
     */
    public static NumpyRandom defaultRng(long seed) {
        if (seed < 0) {
            throw new IllegalArgumentException("seed must be >= 0 (numpy SeedSequence), got " + seed);
        }
        long[] words = seedSequenceState64(seed, 4);
        return new NumpyRandom(words[0], words[1], words[2], words[3]);
    }

    /** {@code pcg64_set_seed(state, seed = {seedHi, seedLo}, inc = {incHi, incLo})}. */
    NumpyRandom(long seedHi, long seedLo, long seqHi, long seqLo) {
        // pcg_setseq_128_srandom_r: state = 0; inc = (initseq << 1) | 1; step; state += initstate; step
        incHi = (seqHi << 1) | (seqLo >>> 63);
        incLo = (seqLo << 1) | 1L;
        stateHi = 0;
        stateLo = 0;
        step();
        long lo = stateLo + seedLo;
        stateHi = stateHi + seedHi + (Long.compareUnsigned(lo, stateLo) < 0 ? 1 : 0);
        stateLo = lo;
        step();
    }

    /** state = state * MULTIPLIER + inc (mod 2^128). */
    private void step() {
        long lo = stateLo * MULTIPLIER_LO;
        long hi = Math.unsignedMultiplyHigh(stateLo, MULTIPLIER_LO)
                + stateLo * MULTIPLIER_HI + stateHi * MULTIPLIER_LO;
        long sumLo = lo + incLo;
        stateHi = hi + incHi + (Long.compareUnsigned(sumLo, lo) < 0 ? 1 : 0);
        stateLo = sumLo;
    }

    /** One raw 64-bit output ({@code bit_generator.random_raw()}): step, then XSL-RR. */
    public long nextLong() {
        step();
        return Long.rotateRight(stateHi ^ stateLo, (int) (stateHi >>> 58));
    }

    /** numpy's {@code next_uint32}: the low half of a 64-bit output, the high half on the next call. */
    public int nextInt() {
        if (hasBufferedInt) {
            hasBufferedInt = false;
            return bufferedInt;
        }
        long next = nextLong();
        hasBufferedInt = true;
        bufferedInt = (int) (next >>> 32);
        return (int) next;
    }

    /**
     * {@code random_interval(bitgen, max)}: uniform in [0, max] by drawing 32-bit values masked to the
     * smallest covering power of two minus one and rejecting those above {@code max}.
     */
    int randomInterval(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must be >= 0, got " + max);
        }
        if (max == 0) {
            return 0;
        }
        int mask = -1 >>> Integer.numberOfLeadingZeros(max);
        int value;
        do {
            value = nextInt() & mask;
        } while (value > max);
        return value;
    }

    /** {@code Generator.permutation(n)}: a shuffled {@code arange(n)}. */
    public int[] permutation(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        int[] values = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        shuffle(values);
        return values;
    }

    /** {@code Generator.shuffle(x)} for a 1-d array: Fisher-Yates from the last index down to 1. */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i >= 1; i--) {
            int j = randomInterval(i);
            int swap = values[j];
            values[j] = values[i];
            values[i] = swap;
        }
    }

    // ---- SeedSequence (bit_generator.pyx), all arithmetic on uint32 ----

    private static final int POOL_SIZE = 4;
    private static final int INIT_A = 0x43b0d7e5;
    private static final int MULT_A = 0x931e8875;
    private static final int INIT_B = 0x8b51f9dd;
    private static final int MULT_B = 0x58f38ded;
    private static final int MIX_MULT_L = 0xca01f9dd;
    private static final int MIX_MULT_R = 0x4973f715;
    private static final int XSHIFT = 16;

    /** {@code SeedSequence(seed).generate_state(n, np.uint32)}. */
    static int[] seedSequenceState32(long seed, int words) {
        int[] pool = seedSequencePool(seed);
        int[] out = new int[words];
        int hashConst = INIT_B;
        for (int i = 0; i < words; i++) {
            int value = pool[i % POOL_SIZE];
            value ^= hashConst;
            hashConst *= MULT_B;
            value *= hashConst;
            value ^= value >>> XSHIFT;
            out[i] = value;
        }
        return out;
    }

    /** {@code SeedSequence(seed).generate_state(n, np.uint64)}: pairs of uint32 read little-endian. */
    static long[] seedSequenceState64(long seed, int words) {
        int[] state = seedSequenceState32(seed, 2 * words);
        long[] out = new long[words];
        for (int i = 0; i < words; i++) {
            out[i] = Integer.toUnsignedLong(state[2 * i]) | ((long) state[2 * i + 1] << 32);
        }
        return out;
    }

    private static int[] seedSequencePool(long seed) {
        // _int_to_uint32_array: little-endian 32-bit words, at least one word (0 -> [0]).
        int[] entropy = (seed >>> 32) == 0 ? new int[] {(int) seed} : new int[] {(int) seed, (int) (seed >>> 32)};
        int[] mixer = new int[POOL_SIZE];
        int[] hashConst = {INIT_A};
        for (int i = 0; i < POOL_SIZE; i++) {
            mixer[i] = hashmix(i < entropy.length ? entropy[i] : 0, hashConst);
        }
        for (int src = 0; src < POOL_SIZE; src++) {
            for (int dst = 0; dst < POOL_SIZE; dst++) {
                if (src != dst) {
                    mixer[dst] = mix(mixer[dst], hashmix(mixer[src], hashConst));
                }
            }
        }
        // Entropy longer than the pool (never for a long seed: at most 2 words) is mixed in here.
        for (int src = POOL_SIZE; src < entropy.length; src++) {
            for (int dst = 0; dst < POOL_SIZE; dst++) {
                mixer[dst] = mix(mixer[dst], hashmix(entropy[src], hashConst));
            }
        }
        return mixer;
    }

    private static int hashmix(int value, int[] hashConst) {
        value ^= hashConst[0];
        hashConst[0] *= MULT_A;
        value *= hashConst[0];
        value ^= value >>> XSHIFT;
        return value;
    }

    private static int mix(int x, int y) {
        int result = MIX_MULT_L * x - MIX_MULT_R * y;
        result ^= result >>> XSHIFT;
        return result;
    }
}
