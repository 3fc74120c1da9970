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

    @Test
    void weightsOfZeroOrLessAreSeenButNeverPositiveWhateverTheStrength() {
        for (TrainingData.Strength strength : TrainingData.Strength.values()) {
            if (strength == TrainingData.Strength.AUTO) {
                continue; // resolved by the trainer from the data profile before build
            }
            Interactions in = new Interactions();
            in.add("u", "disliked", -3f, 10);
            in.add("u", "skipped", 0f, 20);
            in.add("u", "liked", 2f, 30);
            TrainingData d = TrainingData.build(in, Float.NEGATIVE_INFINITY, TrainingData.Duplicates.LATEST, strength,
                    1f, 1f);
            assertEquals(1, d.positiveCount(), strength.name());
            assertEquals(1, d.input.nnz(), strength + ": no weak evidence from a dislike either");
            assertEquals(3, d.historyItems.length, strength + ": all three stay seen (never recommended back)");
            assertEquals(0f, d.historyStrengths[0], strength.name());
            assertEquals(0f, d.historyStrengths[1], strength.name());
            assertEquals(0, d.positivesPerItem[0]);
            org.junit.jupiter.api.Assertions.assertTrue(d.historyStrengths[2] > 0, strength.name());
        }
        org.junit.jupiter.api.Assertions.assertFalse(TrainingData.isPositive(-1f, Float.NEGATIVE_INFINITY));
        org.junit.jupiter.api.Assertions.assertFalse(TrainingData.isPositive(0f, -5f));
        org.junit.jupiter.api.Assertions.assertTrue(TrainingData.isPositive(4f, 4f));
    }

    @Test
    void summedWeightsThatOverflowAreADataError() {
        Interactions in = new Interactions();
        in.add("u", "x", 3e38f, 1);
        in.add("u", "x", 3e38f, 2);
        in.add("v", "x", 3e38f, 3); // one row of 3e38 alone is a finite weight: fine
        DataException e = org.junit.jupiter.api.Assertions.assertThrows(DataException.class, () -> TrainingData.build(
                in, Float.NEGATIVE_INFINITY, TrainingData.Duplicates.SUM, TrainingData.Strength.LINEAR));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("user 'u'") && e.getMessage().contains("item 'x'")
                && e.getMessage().contains("--duplicates sum"), e.getMessage());
        TrainingData max = TrainingData.build(in, Float.NEGATIVE_INFINITY, TrainingData.Duplicates.MAX, TrainingData.Strength.LINEAR);
        assertEquals(2, max.positiveCount());
        // a negative row can bring a sum back below zero: then it is seen only
        Interactions mixed = new Interactions();
        mixed.add("u", "x", 2f, 1);
        mixed.add("u", "x", -5f, 2);
        mixed.add("u", "y", 1f, 3);
        assertEquals(1, TrainingData.build(mixed, Float.NEGATIVE_INFINITY, TrainingData.Duplicates.SUM,
                TrainingData.Strength.BINARY).positiveCount());
    }

    @Test
    void userStrengthDividesByTheUsersOwnLargestWeight() {
        Interactions in = new Interactions();
        in.add("heavy", "a", 100f, 1);
        in.add("heavy", "b", 50f, 2);
        in.add("light", "a", 2f, 1);
        in.add("light", "b", 1f, 2);
        TrainingData d = TrainingData.build(in, Float.NEGATIVE_INFINITY, TrainingData.Duplicates.LATEST,
                TrainingData.Strength.USER);
        for (int u = 0; u < 2; u++) {
            assertEquals(1f, d.historyStrengths[(int) d.historyOffsets[u]], "each user's top weight counts 1");
            assertEquals(0.5f, d.historyStrengths[(int) d.historyOffsets[u] + 1]);
        }
    }

    @Test
    void autoMustBeResolvedFirst() {
        Interactions in = new Interactions();
        in.add("u", "a", 1f, 1);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> TrainingData.build(in,
                Float.NEGATIVE_INFINITY, TrainingData.Duplicates.LATEST, TrainingData.Strength.AUTO));
    }
}
