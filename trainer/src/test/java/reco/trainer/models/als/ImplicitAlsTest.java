package reco.trainer.models.als;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import reco.model.als.ConfidenceFunction;
import reco.trainer.math.CsrMatrix;
import reco.trainer.progress.Progress;

class ImplicitAlsTest {
    private static final CsrMatrix SMALL = SyntheticImplicitData.zipf(300, 120, 4000, 0.8, 3);

    private static AlsParameters small() {
        return AlsParameters.defaults().withFactors(8).withIterations(6).withThreads(2).withSeed(11);
    }

    private static AlsFactors copy(AlsFactors f) {
        return new AlsFactors(f.users(), f.items(), f.factors(), f.userFactors().clone(), f.itemFactors().clone(),
                f.parameters());
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int k = 0; k < a.length; k++) {
            max = Math.max(max, Math.abs(a[k] - b[k]));
        }
        return max;
    }

    private static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    @Test
    void conjugateGradientWithManyStepsConvergesToTheCholeskySolution() {
        for (double nu : new double[] {0, 0.5}) {
            AlsParameters p = small().withRegularizationExponent(nu);
            AlsFactors trained = new ImplicitAls(p).fit(SMALL);
            AlsFactors exact = copy(trained);
            AlsFactors cg = copy(trained);
            new ImplicitAls(p.withSolver(AlsSolver.CHOLESKY)).solveUsers(SMALL, exact);
            new ImplicitAls(p.withCgSteps(100)).solveUsers(SMALL, cg);
            double scale = maxAbs(exact.userFactors());
            assertTrue(scale > 0.05, "non-trivial solution, max |x| = " + scale);
            assertTrue(maxAbsDiff(exact.userFactors(), cg.userFactors()) < 1e-4 * Math.max(1, scale),
                    "CG vs Cholesky, nu=" + nu + ": " + maxAbsDiff(exact.userFactors(), cg.userFactors()));
        }
    }

    @Test
    void lossDecreasesOverIterationsForBothSolvers() {
        for (AlsSolver solver : AlsSolver.values()) {
            List<Double> losses = new ArrayList<>();
            new ImplicitAls(small().withIterations(8).withSolver(solver))
                    .fit(SMALL, Progress.Factory.NONE, (it, seconds, loss) -> losses.add(loss), true);
            assertEquals(8, losses.size());
            for (int k = 1; k < losses.size(); k++) {
                assertTrue(losses.get(k) <= losses.get(k - 1) * (1 + 1e-6), solver + " losses " + losses);
            }
            assertTrue(losses.get(7) < 0.95 * losses.get(0), solver + " losses " + losses);
        }
    }

    @Test
    void listenerLossMatchesPublicLossAndIsNaNWhenNotRequested() {
        double[] last = new double[1];
        ImplicitAls als = new ImplicitAls(small());
        AlsFactors f = als.fit(SMALL, Progress.Factory.NONE, (it, s, loss) -> last[0] = loss, true);
        assertEquals(als.loss(SMALL, f), last[0], 1e-12);
        als.fit(SMALL, Progress.Factory.NONE, (it, s, loss) -> last[0] = loss, false);
        assertTrue(Double.isNaN(last[0]));
    }

    @Test
    void lossMatchesBruteForceOverAllPairs() {
        AlsParameters p = small().withRegularizationExponent(0.3).withConfidence(ConfidenceFunction.LOG);
        ImplicitAls als = new ImplicitAls(p);
        AlsFactors f = als.fit(SMALL);
        var objective = p.objective();
        int d = f.factors();
        double loss = 0;
        double weight = 0;
        float[][] dense = new float[SMALL.rows][SMALL.cols];
        for (int u = 0; u < SMALL.rows; u++) {
            for (int k = SMALL.rowStart(u); k < SMALL.rowEnd(u); k++) {
                dense[u][SMALL.indices[k]] = SMALL.values[k];
            }
        }
        int[] itemCounts = new int[SMALL.cols];
        for (int idx : SMALL.indices) {
            itemCounts[idx]++;
        }
        for (int u = 0; u < SMALL.rows; u++) {
            for (int i = 0; i < SMALL.cols; i++) {
                double xy = 0;
                for (int j = 0; j < d; j++) {
                    xy += (double) f.userFactors()[u * d + j] * f.itemFactors()[i * d + j];
                }
                double r = dense[u][i];
                double c = r > 0 ? 1 + (float) objective.confidenceWeight(r) : 1;
                double pref = r > 0 ? 1 : 0;
                loss += c * (pref - xy) * (pref - xy);
                weight += c;
            }
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += (double) f.userFactors()[u * d + j] * f.userFactors()[u * d + j];
            }
            loss += objective.regularizationFor(SMALL.rowLength(u)) * norm;
        }
        for (int i = 0; i < SMALL.cols; i++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += (double) f.itemFactors()[i * d + j] * f.itemFactors()[i * d + j];
            }
            loss += objective.regularizationFor(itemCounts[i]) * norm;
        }
        assertEquals(loss / weight, als.loss(SMALL, f), 1e-5 * loss / weight);
    }

    @Test
    void resultsAreBitIdenticalAcrossThreadCountsAndRunsAndDependOnTheSeed() {
        CsrMatrix m = SyntheticImplicitData.zipf(700, 300, 8000, 1.0, 5); // several row chunks
        AlsParameters p = small().withFactors(12).withIterations(3);
        AlsFactors one = new ImplicitAls(p.withThreads(1)).fit(m);
        AlsFactors two = new ImplicitAls(p.withThreads(2)).fit(m);
        AlsFactors three = new ImplicitAls(p.withThreads(3)).fit(m);
        AlsFactors again = new ImplicitAls(p.withThreads(2)).fit(m);
        assertArrayEquals(one.userFactors(), two.userFactors());
        assertArrayEquals(one.itemFactors(), two.itemFactors());
        assertArrayEquals(one.userFactors(), three.userFactors());
        assertArrayEquals(one.itemFactors(), three.itemFactors());
        assertArrayEquals(two.itemFactors(), again.itemFactors());
        AlsFactors otherSeed = new ImplicitAls(p.withSeed(12)).fit(m);
        assertFalse(Arrays.equals(one.itemFactors(), otherSeed.itemFactors()));
    }

    @Test
    void divergenceFailsLoudlyNamingIterationAndSide() {
        // finite but enormous confidences: the CG residuals overflow float
        CsrMatrix huge = SMALL.mapValues(v -> v * 1e29);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ImplicitAls(small().withAlpha(40)).fit(huge));
        assertTrue(e.getMessage().contains("iteration 1, user step"), e.getMessage());
        assertTrue(e.getMessage().contains("NaN or infinite"), e.getMessage());
    }

    @Test
    void confidenceOverflowIsRejectedUpFront() {
        CsrMatrix huge = SMALL.mapValues(v -> 3e38);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImplicitAls(small().withAlpha(40)).fit(huge));
        assertTrue(e.getMessage().contains("overflows float at row 0"), e.getMessage());
    }

    @Test
    void invalidStrengthsAreRejectedWithTheirPosition() {
        CsrMatrix m = CsrMatrix.fromCoordinates(2, 3, new int[] {0, 1}, new int[] {2, 1},
                new float[] {1, -2}, 2, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImplicitAls(small()).fit(m));
        assertEquals("strength at row 1, column 1 is -2.0; implicit ALS needs finite strengths > 0", e.getMessage());
        CsrMatrix nan = CsrMatrix.fromCoordinates(1, 1, new int[] {0}, new int[] {0}, new float[] {Float.NaN}, 1, true);
        assertThrows(IllegalArgumentException.class, () -> new ImplicitAls(small()).fit(nan));
    }

    @Test
    void parametersAreRangeChecked() {
        AlsParameters d = AlsParameters.defaults();
        assertMessage("factors must be in [1, 1024], got 0", () -> d.withFactors(0));
        assertMessage("iterations must be in [1, 10000], got 0", () -> d.withIterations(0));
        assertMessage("cgSteps must be in [1, 1000], got 0", () -> d.withCgSteps(0));
        assertMessage("threads must be in [1, 1024], got 0", () -> d.withThreads(0));
        assertMessage("regularization must be in (0, 1000000.0], got 0.0", () -> d.withRegularization(0));
        assertMessage("alpha must be in (0, 1000000.0], got NaN", () -> d.withAlpha(Double.NaN));
        assertMessage("alpha must be in (0, 1000000.0], got -1.0", () -> d.withAlpha(-1));
        assertMessage("logEpsilon must be in (0, 1.0E9], got 0.0", () -> d.withLogEpsilon(0));
        assertMessage("regularizationExponent must be in [0, 1], got 1.5", () -> d.withRegularizationExponent(1.5));
        assertThrows(NullPointerException.class, () -> d.withConfidence(null));
        assertThrows(NullPointerException.class, () -> d.withSolver(null));
        assertEquals(64, d.factors());
        assertEquals(3, d.cgSteps());
        assertEquals(Runtime.getRuntime().availableProcessors(), d.threads());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    /**
     * Three disjoint blocks of 10 users x 6 items; every user consumed every item of their block except that the
     * first user of each block never saw the block's first item. ALS must rank that item first among the
     * user's unseen items.
     */
    @Test
    void ranksTheHeldBackItemOfTheUsersBlockHighest() {
        int blocks = 3;
        int usersPerBlock = 10;
        int itemsPerBlock = 6;
        List<int[]> pairs = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            for (int u = 0; u < usersPerBlock; u++) {
                for (int i = 0; i < itemsPerBlock; i++) {
                    if (u == 0 && i == 0) {
                        continue;
                    }
                    pairs.add(new int[] {b * usersPerBlock + u, b * itemsPerBlock + i});
                }
            }
        }
        int n = pairs.size();
        int[] rows = new int[n];
        int[] cols = new int[n];
        float[] values = new float[n];
        for (int k = 0; k < n; k++) {
            rows[k] = pairs.get(k)[0];
            cols[k] = pairs.get(k)[1];
            values[k] = 1;
        }
        CsrMatrix m = CsrMatrix.fromCoordinates(blocks * usersPerBlock, blocks * itemsPerBlock, rows, cols, values, n, true);
        for (AlsSolver solver : AlsSolver.values()) {
            AlsFactors f = new ImplicitAls(AlsParameters.defaults().withFactors(4).withIterations(10)
                    .withSolver(solver).withThreads(1)).fit(m);
            for (int b = 0; b < blocks; b++) {
                int user = b * usersPerBlock;
                int best = -1;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int item = 0; item < m.cols; item++) {
                    if (item % itemsPerBlock != 0 && item / itemsPerBlock == b) {
                        continue; // seen
                    }
                    double score = 0;
                    for (int j = 0; j < 4; j++) {
                        score += f.userFactors()[user * 4 + j] * f.itemFactors()[item * 4 + j];
                    }
                    if (score > bestScore) {
                        bestScore = score;
                        best = item;
                    }
                }
                assertEquals(b * itemsPerBlock, best, solver + ": block " + b);
                assertTrue(bestScore > 0.3, solver + ": block " + b + " score " + bestScore);
            }
        }
    }

    @Test
    void progressCountsEveryRowOfEveryIteration() {
        long[] total = new long[2];
        Progress.Factory factory = (phase, units) -> {
            total[0] = units;
            return new Progress() {
                @Override public synchronized void step(long k) { total[1] += k; }
                @Override public void close() {}
            };
        };
        new ImplicitAls(small().withIterations(2)).fit(SMALL, factory, null, false);
        assertEquals(2L * (SMALL.rows + SMALL.cols), total[0]);
        assertEquals(total[0], total[1]);
    }
}
