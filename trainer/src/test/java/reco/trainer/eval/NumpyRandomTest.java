package reco.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Known answers obtained from numpy 2.4.6 on this machine, e.g.
 * {@code r = np.random.default_rng(seed); [list(r.permutation(n)) for n in (1, 2, 5, 7, 10, 13, 33, 100)]}
 * (one generator per seed, permutations drawn in sequence, so the buffered 32-bit half carries over).
 */
class NumpyRandomTest {
    private static final int[] SIZES = {1, 2, 5, 7, 10, 13, 33, 100};

    @Test
    void seedSequenceMatchesNumpy() {
        // np.random.SeedSequence(42).generate_state(8) and generate_state(4, np.uint64)
        int[] expected32 = {(int) 3444837047L, (int) 2669555309L, 2046530742, (int) 3581440988L,
                1691623607, 2099784219, 1184028159, 862288241};
        assertArrayEquals(expected32, NumpyRandom.seedSequenceState32(42, 8));
        long[] expected64 = {Long.parseUnsignedLong("11465652750463011511"),
                Long.parseUnsignedLong("15382171918060459190"), 9018504550953525431L, 3703499796004394495L};
        assertArrayEquals(expected64, NumpyRandom.seedSequenceState64(42, 4));
    }

    @Test
    void rawOutputMatchesNumpy() {
        // np.random.PCG64(42).random_raw(3)
        NumpyRandom rng = NumpyRandom.defaultRng(42);
        assertEquals(Long.parseUnsignedLong("14276969152011380360"), rng.nextLong());
        assertEquals(8095878257575067585L, rng.nextLong());
        assertEquals(Long.parseUnsignedLong("15838336090824644132"), rng.nextLong());
    }

    @Test
    void permutationSeed42MatchesNumpy() {
        // r = np.random.default_rng(42); r.permutation(10), r.permutation(7)
        NumpyRandom rng = NumpyRandom.defaultRng(42);
        assertArrayEquals(new int[] {5, 6, 0, 7, 3, 2, 4, 9, 1, 8}, rng.permutation(10));
        assertArrayEquals(new int[] {6, 5, 2, 4, 3, 0, 1}, rng.permutation(7));
    }

    @Test
    void permutationSequencesMatchNumpy() {
        check(0, new int[][] {{0}, {0, 1}, {2, 4, 3, 0, 1}, {4, 6, 1, 2, 0, 3, 5}, {2, 9, 3, 6, 0, 4, 8, 7, 5, 1},
                {2, 11, 12, 5, 10, 4, 1, 0, 8, 6, 7, 9, 3},
                {16, 32, 28, 8, 7, 30, 5, 4, 14, 25, 10, 2, 9, 20, 23, 31, 11, 12, 18, 27, 3, 1, 24, 17, 21, 15, 0, 6,
                        19, 13, 22, 29, 26},
                {68, 17, 78, 90, 65, 33, 94, 32, 82, 5, 42, 69, 45, 24, 72, 58, 80, 10, 14, 92, 99, 84, 61, 98, 36, 63,
                        31, 53, 88, 97, 77, 35, 28, 85, 59, 70, 95, 91, 75, 62, 16, 41, 86, 21, 0, 13, 96, 30, 79, 93, 54,
                        29, 44, 81, 1, 3, 2, 71, 12, 49, 64, 11, 67, 39, 48, 37, 52, 51, 15, 7, 23, 87, 76, 38, 50, 55, 20,
                        9, 34, 74, 27, 57, 60, 25, 43, 26, 8, 40, 73, 47, 83, 22, 19, 56, 6, 46, 18, 66, 4, 89}});
        check(1, new int[][] {{0}, {0, 1}, {4, 0, 1, 2, 3}, {6, 3, 5, 4, 0, 1, 2}, {1, 9, 0, 6, 4, 5, 7, 8, 2, 3},
                {3, 11, 2, 0, 9, 6, 7, 12, 1, 4, 5, 8, 10},
                {16, 26, 18, 15, 21, 25, 11, 12, 32, 29, 3, 27, 6, 17, 28, 24, 8, 1, 14, 30, 2, 19, 9, 10, 4, 20, 0,
                        23, 31, 7, 22, 13, 5},
                {44, 57, 53, 95, 41, 36, 69, 20, 8, 22, 47, 90, 63, 18, 71, 31, 56, 24, 13, 88, 99, 66, 96, 73, 5, 86,
                        74, 89, 43, 52, 65, 85, 25, 4, 72, 32, 29, 38, 91, 59, 6, 97, 84, 54, 33, 77, 78, 68, 67, 80, 26,
                        10, 7, 81, 37, 48, 23, 21, 34, 61, 19, 27, 40, 87, 82, 17, 94, 28, 70, 12, 58, 16, 35, 46, 2, 79,
                        75, 11, 50, 14, 93, 55, 83, 45, 30, 0, 62, 3, 51, 1, 60, 98, 64, 92, 49, 15, 39, 9, 42, 76}});
        check(42, new int[][] {{0}, {1, 0}, {3, 2, 0, 4, 1}, {0, 2, 6, 1, 4, 3, 5}, {4, 9, 2, 7, 5, 1, 6, 8, 3, 0},
                {11, 9, 12, 5, 4, 0, 8, 7, 10, 2, 3, 6, 1},
                {29, 10, 18, 24, 7, 17, 27, 12, 8, 6, 22, 5, 1, 25, 32, 21, 3, 20, 14, 19, 11, 2, 0, 4, 26, 15, 16, 23,
                        28, 13, 9, 30, 31},
                {6, 57, 75, 37, 82, 93, 15, 50, 7, 9, 40, 43, 34, 31, 54, 16, 30, 38, 8, 94, 56, 20, 51, 33, 70, 61, 66,
                        24, 46, 25, 3, 60, 36, 32, 4, 47, 2, 64, 68, 91, 11, 17, 12, 76, 62, 87, 0, 41, 92, 27, 77, 52, 39,
                        97, 67, 19, 13, 86, 78, 28, 35, 5, 79, 81, 48, 58, 83, 98, 90, 44, 99, 45, 84, 18, 96, 72, 14, 73,
                        80, 21, 85, 59, 65, 88, 71, 23, 69, 26, 89, 49, 22, 74, 10, 53, 29, 63, 95, 55, 1, 42}});
        // a seed wider than 32 bits: SeedSequence entropy of two words
        check(4294967303L, new int[][] {{0}, {0, 1}, {3, 0, 2, 1, 4}, {5, 0, 2, 6, 4, 1, 3},
                {0, 5, 3, 4, 9, 2, 1, 6, 8, 7}, {6, 7, 0, 3, 5, 11, 1, 9, 2, 8, 12, 10, 4},
                {12, 30, 9, 32, 17, 3, 7, 23, 0, 22, 15, 4, 6, 28, 29, 31, 20, 10, 27, 5, 24, 26, 21, 16, 8, 2, 11, 19,
                        1, 18, 25, 14, 13},
                {52, 8, 51, 57, 42, 66, 24, 3, 97, 63, 12, 21, 43, 18, 68, 78, 58, 59, 6, 84, 92, 2, 74, 31, 86, 90, 56,
                        38, 28, 62, 16, 50, 40, 69, 29, 11, 95, 99, 10, 17, 88, 77, 5, 9, 82, 7, 20, 91, 1, 30, 4, 34, 48,
                        47, 37, 96, 80, 87, 73, 75, 49, 72, 64, 53, 71, 27, 70, 45, 25, 65, 46, 89, 81, 93, 14, 32, 13, 83,
                        79, 41, 44, 67, 98, 22, 19, 60, 54, 85, 36, 94, 35, 15, 39, 33, 55, 23, 76, 61, 26, 0}});
        check(123456789, new int[][] {{0}, {1, 0}, {0, 2, 3, 1, 4}, {0, 5, 3, 6, 2, 1, 4},
                {9, 2, 7, 5, 1, 0, 6, 4, 8, 3}, {12, 4, 11, 6, 8, 5, 3, 1, 0, 10, 7, 9, 2},
                {0, 26, 12, 13, 32, 25, 4, 10, 18, 24, 16, 1, 11, 29, 28, 3, 17, 20, 27, 15, 23, 19, 2, 31, 6, 5, 7, 9,
                        21, 30, 8, 22, 14},
                {64, 9, 86, 57, 50, 49, 68, 93, 16, 44, 5, 18, 11, 34, 83, 79, 56, 72, 41, 17, 12, 42, 71, 52, 15, 37,
                        73, 22, 25, 1, 31, 67, 70, 46, 96, 10, 26, 24, 7, 43, 92, 78, 84, 80, 21, 29, 91, 40, 53, 19, 2, 63,
                        45, 88, 94, 87, 20, 36, 48, 32, 82, 0, 77, 59, 99, 14, 74, 23, 98, 81, 55, 51, 58, 33, 60, 89, 97,
                        6, 27, 13, 3, 76, 30, 38, 95, 61, 69, 8, 85, 39, 54, 47, 62, 90, 28, 35, 66, 75, 4, 65}});
    }

    @Test
    void largePermutationMatchesNumpy() {
        // r = np.random.default_rng(7); p = r.permutation(70000): p[0], p[1], p[-1],
        // (p * arange(70000) % 1000003).sum(), then r.permutation(3)[0]
        NumpyRandom rng = NumpyRandom.defaultRng(7);
        int[] p = rng.permutation(70000);
        assertEquals(15808, p[0]);
        assertEquals(48179, p[1]);
        assertEquals(16809, p[69999]);
        long checksum = 0;
        for (int i = 0; i < p.length; i++) {
            checksum += (long) p[i] * i % 1000003;
        }
        assertEquals(34945625292L, checksum);
        assertEquals(2, rng.permutation(3)[0]);
    }

    @Test
    void rejectsNegativeArguments() {
        assertThrows(IllegalArgumentException.class, () -> NumpyRandom.defaultRng(-1));
        assertThrows(IllegalArgumentException.class, () -> NumpyRandom.defaultRng(1).permutation(-1));
    }

    private static void check(long seed, int[][] expected) {
        NumpyRandom rng = NumpyRandom.defaultRng(seed);
        for (int s = 0; s < SIZES.length; s++) {
            int[] actual = rng.permutation(SIZES[s]);
            assertArrayEquals(expected[s], actual, "seed " + seed + ", permutation(" + SIZES[s] + "): "
                    + Arrays.toString(actual));
        }
    }
}
