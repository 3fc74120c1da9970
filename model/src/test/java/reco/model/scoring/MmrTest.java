package reco.model.scoring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MmrTest {
    /** Items 10 and 11 are near-duplicates (0.9); every other pair is unrelated. */
    private static final ItemSimilarity NEAR_DUPLICATES = (a, b) -> (a == 10 && b == 11 || a == 11 && b == 10) ? 0.9 : 0.0;
    private static final int[] CANDIDATES = {10, 11, 12, 13};
    private static final double[] RELEVANCE = {1.0, 0.9, 0.8, 0.3};

    @Test
    void zeroDiversityKeepsTheRelevanceOrder() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, Mmr.select(CANDIDATES, RELEVANCE, 4, 0, NEAR_DUPLICATES));
    }

    @Test
    void halfDiversityPushesTheNearDuplicateDown() {
        // pick 1: 0.5*1.0 -> item 10. pick 2: 11 -> 0.5*0.9 - 0.5*0.9 = 0; 12 -> 0.4; 13 -> 0.15 => 12.
        // pick 3: 11 -> 0; 13 -> 0.15 => 13. pick 4: 11.
        assertArrayEquals(new int[] {0, 2, 3, 1}, Mmr.select(CANDIDATES, RELEVANCE, 4, 0.5, NEAR_DUPLICATES));
    }

    @Test
    void lowDiversityOnlySwapsWhenRelevanceIsClose() {
        // diversity 0.1: 11 -> 0.9*0.9 - 0.1*0.9 = 0.72; 12 -> 0.72 (tie: earlier candidate wins) => 11 first.
        assertArrayEquals(new int[] {0, 1, 2}, Mmr.select(CANDIDATES, RELEVANCE, 3, 0.1, NEAR_DUPLICATES));
        // diversity 0.2: 11 -> 0.8*0.9 - 0.2*0.9 = 0.54 < 12 -> 0.64 => 12 first.
        assertArrayEquals(new int[] {0, 2, 1}, Mmr.select(CANDIDATES, RELEVANCE, 3, 0.2, NEAR_DUPLICATES));
    }

    @Test
    void aCallerThatGivesUpStopsTheLoopBeforeTheNextPick() {
        int[] checks = {0};
        IllegalStateException stop = new IllegalStateException("deadline");
        IllegalStateException thrown = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Cancellation.checking(() -> {
                    if (++checks[0] == 3) {
                        throw stop;
                    }
                }, () -> Mmr.select(CANDIDATES, RELEVANCE, 4, 0.5, NEAR_DUPLICATES)));
        org.junit.jupiter.api.Assertions.assertSame(stop, thrown);
        org.junit.jupiter.api.Assertions.assertEquals(3, checks[0], "one check per pick, and none after the throw");
        // unbound (offline evaluation): no check, same answer
        assertArrayEquals(new int[] {0, 2, 3, 1}, Mmr.select(CANDIDATES, RELEVANCE, 4, 0.5, NEAR_DUPLICATES));
    }

    @Test
    void picksAtMostThePool() {
        assertArrayEquals(new int[] {0, 1}, Mmr.select(new int[] {5, 6}, new double[] {1, 0.5}, 10, 0.3, (a, b) -> 0));
    }

    @Test
    void rejectsDiversityOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> Mmr.select(CANDIDATES, RELEVANCE, 2, 1.5, NEAR_DUPLICATES));
        assertThrows(IllegalArgumentException.class, () -> Mmr.select(CANDIDATES, RELEVANCE, 2, Double.NaN, NEAR_DUPLICATES));
    }
}
