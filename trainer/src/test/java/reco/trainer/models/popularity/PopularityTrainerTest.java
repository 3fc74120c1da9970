package reco.trainer.models.popularity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import reco.trainer.data.Interactions;

class PopularityTrainerTest {
    private static final long DAY = 86_400;

    /** Items by first appearance: B=0, A=1, C=2, D=3. Positives are ratings >= 4. */
    private static Interactions fixture() {
        Interactions d = new Interactions();
        d.add("u2", "B", 5, 100 * DAY);
        d.add("u0", "A", 5, 100 * DAY);
        d.add("u0", "A", 4, 90 * DAY); // same user again: counts once globally, twice in recency
        d.add("u1", "A", 4, 70 * DAY);
        d.add("u1", "B", 5, 40 * DAY);
        d.add("u0", "C", 2, 100 * DAY); // not positive
        d.add("u2", "D", 4, 100 * DAY);
        d.add("u3", "C", 3, 20 * DAY); // not positive
        return d;
    }

    @Test
    void knownCountsRecencyScoresAndRankings() {
        PopularityModel m = PopularityTrainer.train(fixture(), 4f, new PopularityParams(10));
        assertArrayEquals(new double[] {2, 2, 0, 1}, m.globalScores());
        // half-life 10 days, tRef = day 100: B = 2^0 + 2^-6, A = 2^0 + 2^-1 + 2^-3, D = 2^0
        assertArrayEquals(new double[] {1.015625, 1.625, 0, 1}, m.recencyScores(), 1e-12);
        assertEquals(100 * DAY, m.referenceTimestamp());
        assertArrayEquals(new int[] {0, 1, 3}, m.globalRanking(), "tie B/A broken by lower index, C excluded");
        assertArrayEquals(new int[] {1, 0, 3}, m.recencyRanking());
    }

    @Test
    void explicitPositiveFlags() {
        boolean[] positive = {false, true, true, true, false, true, false, true};
        PopularityModel m = PopularityTrainer.train(fixture(), positive, PopularityParams.defaults());
        assertArrayEquals(new double[] {0, 2, 2, 0}, m.globalScores());
        assertArrayEquals(new int[] {1, 2}, m.globalRanking());
    }

    @Test
    void withoutTimestampsRecencyEqualsGlobal() {
        Interactions d = new Interactions();
        d.add("u0", "X", Float.NaN, 0);
        d.add("u0", "X", Float.NaN, 0);
        d.add("u1", "Y", Float.NaN, 0);
        d.add("u2", "Y", Float.NaN, 0);
        PopularityModel m = PopularityTrainer.train(d, 0f, PopularityParams.defaults());
        assertArrayEquals(new double[] {1, 2}, m.globalScores());
        assertArrayEquals(m.globalScores(), m.recencyScores());
        assertArrayEquals(new int[] {1, 0}, m.recencyRanking());
        assertEquals(0, m.referenceTimestamp());
    }

    @Test
    void itemsWithoutInteractionsScoreZeroAndAreNotRanked() {
        Interactions d = new Interactions();
        d.items.add("cold");
        d.add("u0", "hot", 1, 5);
        PopularityModel m = PopularityTrainer.train(d, 0f, PopularityParams.defaults());
        assertEquals(2, m.itemCount());
        assertArrayEquals(new int[] {1}, m.globalRanking());
        assertArrayEquals(new int[] {1}, m.recencyRanking());
    }

    @Test
    void rankingTiesByIndex() {
        assertArrayEquals(new int[] {2, 0, 3, 4}, PopularityModel.rank(new double[] {3, 0, 5, 3, 3}));
    }

    @Test
    void validation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PopularityParams(0));
        assertTrue(e.getMessage().contains("recencyHalfLifeDays = 0.0") && e.getMessage().contains("(0, 36500.0]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PopularityParams(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new PopularityParams(Double.POSITIVE_INFINITY));
        e = assertThrows(IllegalArgumentException.class,
                () -> PopularityTrainer.train(fixture(), new boolean[3], PopularityParams.defaults()));
        assertTrue(e.getMessage().contains("positive.length = 3") && e.getMessage().contains("(8)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PopularityTrainer.train(fixture(), Float.NaN, PopularityParams.defaults()));
        assertTrue(e.getMessage().startsWith("minWeight = NaN"), e.getMessage());
    }
}
