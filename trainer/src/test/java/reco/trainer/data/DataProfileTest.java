package reco.trainer.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataProfileTest {
    private static Interactions of(float[] weights, boolean timestamps) {
        Interactions in = new Interactions();
        for (int r = 0; r < weights.length; r++) {
            in.add("u" + (r % 7), "i" + (r % 11 + r / 77), weights[r], timestamps ? 1_600_000_000L + r : 0);
        }
        return in;
    }

    @Test
    void halfStarRatingsAreARatingScale() {
        float[] w = new float[200];
        for (int r = 0; r < w.length; r++) {
            w[r] = 0.5f + (r % 10) * 0.5f;
        }
        DataProfile p = DataProfile.of(of(w, true), 4f);
        assertEquals(DataProfile.WeightKind.RATING_SCALE, p.weightKind());
        assertEquals(TrainingData.Strength.LINEAR, p.suggestedStrength());
        assertEquals(0.5, p.minWeight());
        assertEquals(5.0, p.maxWeight());
        assertEquals(60, p.positives(), "ratings 4, 4.5 and 5 are the positives");
        assertTrue(p.timestamps());
    }

    @Test
    void heavyTailedCountsAreCounts() {
        float[] w = new float[300];
        for (int r = 0; r < w.length; r++) {
            w[r] = r % 10 == 0 ? 1000 + r : 1 + r % 3;
        }
        DataProfile p = DataProfile.of(of(w, false), Float.NEGATIVE_INFINITY);
        assertEquals(DataProfile.WeightKind.COUNTS, p.weightKind());
        assertEquals(TrainingData.Strength.LOG, p.suggestedStrength());
        assertEquals(300, p.positives());
        assertFalse(p.timestamps());
        assertTrue(p.summary().startsWith("profile: counts weights"), p.summary());
    }

    @Test
    void oneWeightIsBinary() {
        float[] w = new float[50];
        java.util.Arrays.fill(w, 1f);
        DataProfile p = DataProfile.of(of(w, false), Float.NEGATIVE_INFINITY);
        assertEquals(DataProfile.WeightKind.BINARY, p.weightKind());
        assertEquals(TrainingData.Strength.BINARY, p.suggestedStrength());
        assertEquals(50, p.positives());
        assertEquals(1, p.distinctWeights());
    }
}
