package reco.trainer.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TrainingDataTest {
    private static Interactions sample() {
        Interactions in = new Interactions();
        in.add("u1", "a", 5f, 300);
        in.add("u1", "b", 2f, 100);   // below min-weight 4: seen only
        in.add("u2", "a", 4f, 50);
        in.add("u1", "c", 4.5f, 200);
        in.add("u1", "a", 3f, 400);   // a re-rating of (u1, a), later
        return in;
    }

    @Test
    void latestRatingWinsAndLowRatingsAreSeenOnly() {
        TrainingData d = TrainingData.build(sample(), 4f, TrainingData.Duplicates.LATEST, TrainingData.Strength.LINEAR);
        assertEquals(4, d.pairs);
        assertEquals(1, d.duplicateRows);
        // u1: (a re-rated to 3 -> seen only), b seen only, c positive; u2: a positive
        assertEquals(2, d.positiveCount());
        assertArrayEquals(new long[] {0, 3, 4}, d.historyOffsets);
        // history oldest first: b (100), c (200), a (latest time 400)
        assertArrayEquals(new int[] {1, 2, 0, 0}, d.historyItems);
        assertArrayEquals(new long[] {100, 200, 400, 50}, d.historyTimestamps);
        assertEquals(0f, d.historyStrengths[0]);
        assertEquals(4.5f / 5f, d.historyStrengths[1], 1e-6);
        assertEquals(0f, d.historyStrengths[2]);
        assertEquals(4f / 5f, d.historyStrengths[3], 1e-6);
    }

    @Test
    void implicitCountsSumAndEveryRowIsPositiveWithoutAThreshold() {
        Interactions in = new Interactions();
        in.add("u", "x", 2f, 0);
        in.add("u", "x", 3f, 0);
        in.add("u", "y", 1f, 0);
        TrainingData d = TrainingData.build(in, Float.NEGATIVE_INFINITY, TrainingData.Duplicates.SUM,
                TrainingData.Strength.LOG);
        assertEquals(2, d.positiveCount());
        assertEquals(1f + (float) Math.log(5), d.input.values[0], 1e-6);
        assertEquals(1f, d.input.values[1], 1e-6);
    }

    @Test
    void maxAndBinaryRules() {
        TrainingData d = TrainingData.build(sample(), 4f, TrainingData.Duplicates.MAX, TrainingData.Strength.BINARY);
        assertEquals(3, d.positiveCount(), "(u1,a) keeps its 5-star rating under MAX");
        for (float v : d.input.values) {
            assertEquals(1f, v);
        }
    }

    @Test
    void belowThresholdEntriesAreWeakInputButNotPositives() {
        TrainingData d = TrainingData.build(sample(), 4f, TrainingData.Duplicates.LATEST, TrainingData.Strength.LINEAR,
                0.25f, 1f);
        assertEquals(2, d.positiveCount(), "positives stay those reaching min-weight");
        assertEquals(4, d.input.nnz(), "every entry is model input");
        // u1 history oldest first: b (2 stars), c (4.5), a (re-rated 3)
        assertEquals(0.25f * 2f / 5f, d.historyStrengths[0], 1e-6);
        assertEquals(4.5f / 5f, d.historyStrengths[1], 1e-6);
        assertEquals(0.25f * 3f / 5f, d.historyStrengths[2], 1e-6);
        assertArrayEquals(new int[] {1, 0, 1}, d.positivesPerItem, "a: u2 only (u1 re-rated it to 3); c: u1");
    }

    @Test
    void recencyFloorScalesByPlaceInTheUsersOwnTimeline() {
        TrainingData d = TrainingData.build(sample(), 4f, TrainingData.Duplicates.LATEST, TrainingData.Strength.LINEAR,
                1f, 0.5f);
        // u1: three entries -> factors 0.5, 0.75, 1; u2: a single entry counts fully
        assertEquals(0.5f * 2f / 5f, d.historyStrengths[0], 1e-6);
        assertEquals(0.75f * 4.5f / 5f, d.historyStrengths[1], 1e-6);
        assertEquals(1f * 3f / 5f, d.historyStrengths[2], 1e-6);
        assertEquals(4f / 5f, d.historyStrengths[3], 1e-6);
    }

    @Test
    void rejectsOutOfRangeWeightingFactors() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TrainingData.build(
                sample(), 4f, TrainingData.Duplicates.LATEST, TrainingData.Strength.LINEAR, 1.5f, 1f));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("belowThresholdWeight"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TrainingData.build(
                sample(), 4f, TrainingData.Duplicates.LATEST, TrainingData.Strength.LINEAR, 0f, 0f));
    }
}
