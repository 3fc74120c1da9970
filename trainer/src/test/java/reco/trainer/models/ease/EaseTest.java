package reco.trainer.models.ease;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import reco.model.Neighborhoods;
import reco.trainer.math.CsrMatrix;
import reco.trainer.models.SyntheticInteractions;
import reco.trainer.progress.Progress;

class EaseTest {
    private static double[][] dense(CsrMatrix x) {
        double[][] d = new double[x.rows][x.cols];
        for (int u = 0; u < x.rows; u++) {
            for (int p = x.indptr[u]; p < x.indptr[u + 1]; p++) {
                d[u][x.indices[p]] = x.values[p];
            }
        }
        return d;
    }

    /** B straight from the paper's formula, with Commons Math (general LU inverse, no shortcuts). */
    private static RealMatrix referenceWeights(double[][] x, double lambda) {
        RealMatrix xm = new Array2DRowRealMatrix(x);
        int n = xm.getColumnDimension();
        RealMatrix g = xm.transpose().multiply(xm).add(MatrixUtils.createRealIdentityMatrix(n).scalarMultiply(lambda));
        RealMatrix p = new LUDecomposition(g).getSolver().getInverse();
        RealMatrix diagInv = MatrixUtils.createRealIdentityMatrix(n);
        for (int j = 0; j < n; j++) {
            diagInv.setEntry(j, j, 1.0 / p.getEntry(j, j));
        }
        return MatrixUtils.createRealIdentityMatrix(n).subtract(p.multiply(diagInv));
    }

    @Test
    void closedFormMatchesDirectComputationOnTinyFixture() {
        // 5 users x 4 items with strengths; every item has a user
        CsrMatrix x = CsrMatrix.fromCoordinates(5, 4,
                new int[] {0, 0, 1, 1, 1, 2, 2, 3, 3, 4},
                new int[] {0, 1, 0, 2, 3, 1, 2, 0, 3, 2},
                new float[] {1, 2, 1, 1, 3, 1, 1, 2, 1, 1}, 10, false);
        double lambda = 0.5;
        RealMatrix expected = referenceWeights(dense(x), lambda);
        DenseEase model = Ease.fitDense(x, new Ease.Parameters(lambda, 100, 10, 1), Progress.Factory.NONE);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(expected.getEntry(i, j), model.weight(i, j), 1e-12, "B[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void matchesReferenceAndHasZeroDiagonalOnRandomData() {
        CsrMatrix x = SyntheticInteractions.skewed(150, 90, 1500, 8, false);
        double lambda = 20;
        DenseEase model = Ease.fitDense(x, new Ease.Parameters(lambda, 1000, 50, 2), Progress.Factory.NONE);
        int[] items = model.modelItems();
        double[][] d = dense(x);
        double[][] restricted = new double[d.length][items.length];
        for (int u = 0; u < d.length; u++) {
            for (int a = 0; a < items.length; a++) {
                restricted[u][a] = d[u][items[a]];
            }
        }
        RealMatrix expected = referenceWeights(restricted, lambda);
        for (int a = 0; a < items.length; a++) {
            assertEquals(0.0, model.weight(items[a], items[a]), 0.0, "diagonal of B");
            for (int b = 0; b < items.length; b++) {
                assertEquals(expected.getEntry(a, b), model.weight(items[a], items[b]), 1e-10);
            }
        }
    }

    @Test
    void leavesOutItemsWithoutUsersAndRestrictsToMostPopular() {
        // item popularity (users): 0 -> 3, 1 -> 1, 2 -> 0, 3 -> 3, 4 -> 2
        CsrMatrix x = CsrMatrix.fromCoordinates(3, 5,
                new int[] {0, 1, 2, 0, 0, 1, 2, 1, 2},
                new int[] {0, 0, 0, 1, 3, 3, 3, 4, 4},
                new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, 9, false);
        assertArrayEquals(new int[] {0, 1, 3, 4}, Ease.selectItems(x, 10));
        assertArrayEquals(new int[] {0, 3, 4}, Ease.selectItems(x, 3));
        assertArrayEquals(new int[] {0, 3}, Ease.selectItems(x, 2)); // tie 0 vs 3 both kept; 4 has fewer
        Neighborhoods nb = Ease.fit(x, new Ease.Parameters(1.0, 3, 5, 1), Progress.Factory.NONE);
        assertEquals(5, nb.itemCount());
        assertEquals(0, nb.size(1), "outside the top-3");
        assertEquals(0, nb.size(2), "no users");
        for (int q = 0; q < nb.items().length; q++) {
            assertTrue(nb.items()[q] != 1 && nb.items()[q] != 2, "only modelled items appear as neighbours");
        }
    }

    @Test
    void pruningKeepsTheLargestPositiveWeightsBestFirst() {
        CsrMatrix x = SyntheticInteractions.skewed(300, 120, 3000, 9, true);
        DenseEase model = Ease.fitDense(x, new Ease.Parameters(10, 1000, 8, 2), Progress.Factory.NONE);
        Neighborhoods nb = model.prune(8);
        int[] items = model.modelItems();
        for (int source : items) {
            List<Integer> expected = IntStream.of(items).boxed()
                    .filter(t -> t != source && (float) model.weight(source, t) > 0)
                    .sorted(Comparator.<Integer>comparingDouble(t -> -(float) model.weight(source, t)).thenComparingInt(t -> t))
                    .limit(8).toList();
            List<Integer> actual = new ArrayList<>();
            for (int q = nb.start(source); q < nb.end(source); q++) {
                actual.add(nb.items()[q]);
                assertEquals((float) model.weight(source, nb.items()[q]), nb.scores()[q], 0f);
            }
            assertEquals(expected, actual, "pruned list of item " + source);
        }
    }

    @Test
    void magnitudePruningKeepsNegativeWeightsAndListsByValue() {
        CsrMatrix x = SyntheticInteractions.skewed(300, 120, 3000, 12, true);
        DenseEase model = Ease.fitDense(x, new Ease.Parameters(10, 1000, 8, 2), Progress.Factory.NONE);
        Neighborhoods nb = model.prune(6, DenseEase.Pruning.LARGEST_MAGNITUDE);
        for (int source : model.modelItems()) {
            List<Integer> expected = IntStream.of(model.modelItems()).boxed()
                    .filter(t -> t != source && (float) model.weight(source, t) != 0)
                    .sorted(Comparator.<Integer>comparingDouble(t -> -Math.abs((float) model.weight(source, t)))
                            .thenComparingInt(t -> t))
                    .limit(6)
                    .sorted(Comparator.<Integer>comparingDouble(t -> -(float) model.weight(source, t)).thenComparingInt(t -> t))
                    .toList();
            List<Integer> actual = new ArrayList<>();
            for (int q = nb.start(source); q < nb.end(source); q++) {
                actual.add(nb.items()[q]);
                assertEquals((float) model.weight(source, nb.items()[q]), nb.scores()[q], 0f);
            }
            assertEquals(expected, actual, "magnitude-pruned list of item " + source);
        }
    }

    @Test
    void pruningReportIsNearPerfectWithAllWeightsAndDropsWhenPruned() {
        CsrMatrix x = SyntheticInteractions.skewed(400, 150, 5000, 10, true);
        DenseEase model = Ease.fitDense(x, new Ease.Parameters(5, 1000, 10, 2), Progress.Factory.NONE);
        int[] users = IntStream.range(0, 400).toArray();
        // every non-zero weight kept: scores equal the dense ones up to float rounding of the weights
        DenseEase.PruningReport all = model.comparePruned(x, users, 10, model.prune(10_000, DenseEase.Pruning.LARGEST_MAGNITUDE));
        DenseEase.PruningReport positive = model.comparePruned(x, users, 10, model.prune(10_000));
        DenseEase.PruningReport tiny = model.comparePruned(x, users, 10, model.prune(2));
        assertTrue(all.usersEvaluated() > 300);
        assertTrue(all.overlap() > 0.99, "all weights: " + all);
        assertTrue(positive.overlap() < all.overlap(), "dropping negative weights changes rankings: " + positive);
        assertTrue(tiny.overlap() < positive.overlap(), "2 neighbours lose more of the top-10: " + tiny);
        assertFalse(tiny.exactLists() > all.exactLists());
    }

    @Test
    void sameWeightsForAnyThreadCount() {
        CsrMatrix x = SyntheticInteractions.skewed(500, 300, 6000, 11, false);
        Ease.Parameters params = new Ease.Parameters(15, 1000, 20, 1);
        Neighborhoods one = Ease.fit(x, params, Progress.Factory.NONE);
        Neighborhoods three = Ease.fit(x, params.withThreads(3), Progress.Factory.NONE);
        assertArrayEquals(one.offsets(), three.offsets());
        assertArrayEquals(one.items(), three.items());
        assertArrayEquals(one.scores(), three.scores());
    }

    @Test
    void validatesParameters() {
        assertEquals("lambda must be a finite number > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new Ease.Parameters(0, 10, 10, 0)).getMessage());
        assertEquals("lambda must be a finite number > 0, got Infinity",
                assertThrows(IllegalArgumentException.class,
                        () -> new Ease.Parameters(Double.POSITIVE_INFINITY, 10, 10, 0)).getMessage());
        assertEquals("maxItems must be in [1, 46340], got 0",
                assertThrows(IllegalArgumentException.class, () -> new Ease.Parameters(1, 0, 10, 0)).getMessage());
        assertEquals("neighbours must be in [1, 10000], got 10001",
                assertThrows(IllegalArgumentException.class, () -> new Ease.Parameters(1, 10, 10_001, 0)).getMessage());
        assertEquals("threads must be >= 0 (0 = all processors), got -1",
                assertThrows(IllegalArgumentException.class, () -> new Ease.Parameters(1, 10, 10, -1)).getMessage());
        assertEquals(new Ease.Parameters(Ease.DEFAULT_LAMBDA, Ease.DEFAULT_MAX_ITEMS, Ease.DEFAULT_NEIGHBOURS, 0),
                Ease.Parameters.defaults());
    }
}
