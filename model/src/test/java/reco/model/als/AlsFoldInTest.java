package reco.model.als;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import reco.model.vectors.ArrayFloatRows;

class AlsFoldInTest {
    /** y0 = (1, 0), y1 = (0, 1), y2 = (1, 1): YtY = [[2, 1], [1, 2]]. */
    private static final ArrayFloatRows ITEMS = new ArrayFloatRows(new float[] {1, 0, 0, 1, 1, 1}, 2);
    private static final AlsObjective OBJECTIVE = new AlsObjective(0.5, 2, ConfidenceFunction.LINEAR, 1, 0);

    @Test
    void gramIsYtY() {
        assertArrayEquals(new double[] {2, 1, 1, 2}, AlsFoldIn.gram(ITEMS));
    }

    /**
     * Items 0 and 2 with strengths 1 and 0.5: weights c - 1 = 2 and 1, so
     * A = YtY + 2 y0 y0^T + 1 y2 y2^T + 0.5 I = [[5.5, 2], [2, 3.5]], b = 3 y0 + 2 y2 = (5, 2),
     * x = A^-1 b = (13.5, 1) / 15.25.
     */
    @Test
    void solvesTheUserEquationExactly() {
        AlsFoldIn foldIn = new AlsFoldIn(ITEMS, AlsFoldIn.gram(ITEMS), OBJECTIVE);
        float[] expected = {(float) (13.5 / 15.25), (float) (1 / 15.25)};
        assertArrayEquals(expected, foldIn.foldIn(new int[] {0, 2}, new float[] {1, 0.5f}), 1e-6f);
        // order does not matter and repeated items are summed
        assertArrayEquals(expected, foldIn.foldIn(new int[] {2, 0, 2}, new float[] {0.25f, 1, 0.25f}), 1e-6f);
    }

    @Test
    void noInteractionsGiveTheZeroVector() {
        AlsFoldIn foldIn = new AlsFoldIn(ITEMS, AlsFoldIn.gram(ITEMS), OBJECTIVE);
        assertArrayEquals(new float[] {0, 0}, foldIn.foldIn(new int[0], new float[0]));
    }

    @Test
    void frequencyScaledRegularizationUsesTheDistinctItemCount() {
        // nu = 1: lambda_u = 0.5 * 2 = 1 for two distinct items, so A = [[6, 2], [2, 4]], x = (16, 2) / 20
        AlsObjective scaled = new AlsObjective(0.5, 2, ConfidenceFunction.LINEAR, 1, 1);
        AlsFoldIn foldIn = new AlsFoldIn(ITEMS, AlsFoldIn.gram(ITEMS), scaled);
        assertArrayEquals(new float[] {0.8f, 0.1f}, foldIn.foldIn(new int[] {0, 2}, new float[] {1, 0.5f}), 1e-6f);
    }

    @Test
    void badInputIsRejectedWithPosition() {
        AlsFoldIn foldIn = new AlsFoldIn(ITEMS, AlsFoldIn.gram(ITEMS), OBJECTIVE);
        assertEquals("item index 3 at position 1 is not in [0, 3)", assertThrows(IllegalArgumentException.class,
                () -> foldIn.foldIn(new int[] {0, 3}, new float[] {1, 1})).getMessage());
        assertEquals("strength 0.0 at position 0 must be finite and > 0", assertThrows(IllegalArgumentException.class,
                () -> foldIn.foldIn(new int[] {0}, new float[] {0})).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> foldIn.foldIn(new int[] {0}, new float[] {Float.POSITIVE_INFINITY}));
        assertThrows(IllegalArgumentException.class, () -> foldIn.foldIn(new int[] {0, 1}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new AlsFoldIn(ITEMS, new double[3], OBJECTIVE));
    }

    @Test
    void objectiveDefinesConfidenceAndRegularization() {
        AlsObjective log = new AlsObjective(0.1, 10, ConfidenceFunction.LOG, 0.5, 0.5);
        assertEquals(10 * Math.log(1 + 3 / 0.5), log.confidenceWeight(3), 1e-12);
        assertEquals(0.1, log.regularizationFor(0), 0);
        assertEquals(0.1, log.regularizationFor(1), 0);
        assertEquals(0.2, log.regularizationFor(4), 1e-15);
        assertEquals("regularizationExponent must be in [0, 1], got -0.1", assertThrows(IllegalArgumentException.class,
                () -> new AlsObjective(0.1, 10, ConfidenceFunction.LOG, 0.5, -0.1)).getMessage());
        assertEquals("regularization must be in (0, 1000000.0], got Infinity", assertThrows(IllegalArgumentException.class,
                () -> new AlsObjective(Double.POSITIVE_INFINITY, 10, ConfidenceFunction.LOG, 0.5, 0)).getMessage());
    }

    @Test
    void arrayRowsCopyRowsAndCheckShape() {
        float[] row = new float[2];
        ITEMS.copyRow(2, row);
        assertArrayEquals(new float[] {1, 1}, row);
        assertEquals(3, ITEMS.rows());
        assertThrows(IndexOutOfBoundsException.class, () -> ITEMS.copyRow(3, row));
        assertThrows(IllegalArgumentException.class, () -> new ArrayFloatRows(new float[5], 2));
    }
}
