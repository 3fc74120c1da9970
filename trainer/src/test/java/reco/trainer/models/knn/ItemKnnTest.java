package reco.trainer.models.knn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import reco.model.Neighborhoods;
import reco.trainer.math.CsrMatrix;
import reco.trainer.models.SyntheticInteractions;
import reco.trainer.progress.Progress;

class ItemKnnTest {
    static CsrMatrix randomMatrix(int users, int items, int entries, long seed, boolean binary) {
        return SyntheticInteractions.skewed(users, items, entries, seed, binary);
    }

    /** Dense brute force with the documented contract: float score, positive only, ties by lower index. */
    static Neighborhoods oracle(CsrMatrix x, int k, double shrink) {
        int items = x.cols;
        double[][] dense = new double[x.rows][items];
        for (int u = 0; u < x.rows; u++) {
            for (int p = x.indptr[u]; p < x.indptr[u + 1]; p++) {
                dense[u][x.indices[p]] = x.values[p];
            }
        }
        double[] norm = new double[items];
        for (int i = 0; i < items; i++) {
            double s = 0;
            for (double[] row : dense) {
                s += row[i] * row[i];
            }
            norm[i] = Math.sqrt(s);
        }
        int[] offsets = new int[items + 1];
        List<Integer> ids = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            List<float[]> candidates = new ArrayList<>();
            for (int j = 0; j < items; j++) {
                if (j == i || norm[i] == 0 || norm[j] == 0) {
                    continue;
                }
                double dot = 0;
                for (double[] row : dense) {
                    dot += row[i] * row[j];
                }
                float sim = (float) (dot / (norm[i] * norm[j] + shrink));
                if (sim > 0) {
                    candidates.add(new float[] {j, sim});
                }
            }
            candidates.sort(Comparator.<float[]>comparingDouble(e -> -e[1]).thenComparingDouble(e -> e[0]));
            for (int t = 0; t < Math.min(k, candidates.size()); t++) {
                ids.add((int) candidates.get(t)[0]);
                scores.add(candidates.get(t)[1]);
            }
            offsets[i + 1] = ids.size();
        }
        float[] s = new float[scores.size()];
        for (int t = 0; t < s.length; t++) {
            s[t] = scores.get(t);
        }
        return new Neighborhoods(offsets, ids.stream().mapToInt(Integer::intValue).toArray(), s);
    }

    static void assertSameLists(Neighborhoods expected, Neighborhoods actual, double tolerance) {
        assertEquals(expected.itemCount(), actual.itemCount());
        for (int i = 0; i < expected.itemCount(); i++) {
            int[] e = Arrays.copyOfRange(expected.items(), expected.start(i), expected.end(i));
            int[] a = Arrays.copyOfRange(actual.items(), actual.start(i), actual.end(i));
            assertArrayEquals(e, a, "neighbours of item " + i);
            for (int t = 0; t < e.length; t++) {
                assertEquals(expected.scores()[expected.start(i) + t], actual.scores()[actual.start(i) + t], tolerance,
                        "score of neighbour " + t + " of item " + i);
            }
        }
    }

    @Test
    void matchesBruteForceOracle() {
        CsrMatrix x = randomMatrix(120, 60, 900, 1, false);
        ItemKnn.Parameters params = new ItemKnn.Parameters(7, 3.0, 2);
        assertSameLists(oracle(x, 7, 3.0), ItemKnn.compute(x, params, Progress.Factory.NONE), 1e-6);
    }

    @Test
    void matchesOracleOnBinaryDataWithManyTiesAndPlainCosine() {
        CsrMatrix x = randomMatrix(80, 40, 400, 2, true);
        Neighborhoods actual = ItemKnn.compute(x, new ItemKnn.Parameters(10, 0.0, 3), Progress.Factory.NONE);
        assertSameLists(oracle(x, 10, 0.0), actual, 1e-6);
    }

    @Test
    void knownAnswerOnTinyFixture() {
        // users x items: u0 = {0:1, 1:1}, u1 = {0:1, 1:1, 2:2}, u2 = {2:1}
        CsrMatrix x = CsrMatrix.fromCoordinates(3, 4, new int[] {0, 0, 1, 1, 1, 2}, new int[] {0, 1, 0, 1, 2, 2},
                new float[] {1, 1, 1, 1, 2, 1}, 6, false);
        Neighborhoods nb = ItemKnn.compute(x, new ItemKnn.Parameters(5, 0.0, 1), Progress.Factory.NONE);
        // sim(0,1) = 2 / (sqrt2 sqrt2) = 1; sim(0,2) = 2 / (sqrt2 sqrt5)
        assertArrayEquals(new int[] {1, 2}, Arrays.copyOfRange(nb.items(), nb.start(0), nb.end(0)));
        assertEquals(1.0f, nb.scores()[nb.start(0)], 1e-7);
        assertEquals((float) (2 / Math.sqrt(10)), nb.scores()[nb.start(0) + 1], 1e-7);
        assertEquals(0, nb.size(3), "item without users has no neighbours");
        // shrink 10: sim(0,1) = 2 / (2 + 10)
        Neighborhoods shrunk = ItemKnn.compute(x, new ItemKnn.Parameters(5, 10.0, 1), Progress.Factory.NONE);
        assertEquals(2f / 12f, shrunk.scores()[shrunk.start(0)], 1e-7);
    }

    @Test
    void shrinkagePenalisesPairsWithLittleSupport() {
        // Items 1 and 2 co-occur with item 0 with the same cosine (1.0 vs ~0.98), but item 2's
        // evidence is 1 user while item 1's is 30 users; shrinkage must put item 1 first.
        int users = 31;
        List<int[]> entries = new ArrayList<>();
        for (int u = 0; u < 30; u++) {
            entries.add(new int[] {u, 0});
            entries.add(new int[] {u, 1});
        }
        entries.add(new int[] {30, 0});
        entries.add(new int[] {30, 2});
        int m = entries.size();
        int[] r = new int[m];
        int[] c = new int[m];
        float[] v = new float[m];
        for (int k = 0; k < m; k++) {
            r[k] = entries.get(k)[0];
            c[k] = entries.get(k)[1];
            v[k] = 1f;
        }
        CsrMatrix x = CsrMatrix.fromCoordinates(users, 3, r, c, v, m, false);
        Neighborhoods plain = ItemKnn.compute(x, new ItemKnn.Parameters(2, 0.0, 1), Progress.Factory.NONE);
        Neighborhoods shrunk = ItemKnn.compute(x, new ItemKnn.Parameters(2, 10.0, 1), Progress.Factory.NONE);
        // item 2's neighbour list: only item 0, plain cosine 1/sqrt(31) vs shrunk 1/(sqrt31 + 10)
        assertEquals((float) (1 / Math.sqrt(31)), plain.scores()[plain.start(2)], 1e-7);
        assertEquals((float) (1 / (Math.sqrt(31) + 10)), shrunk.scores()[shrunk.start(2)], 1e-7);
        // item 0 ranks item 1 (30 shared users) above item 2 (1 shared user) in both; the gap widens with shrinkage
        assertEquals(1, plain.items()[plain.start(0)]);
        assertEquals(1, shrunk.items()[shrunk.start(0)]);
        float plainRatio = plain.scores()[plain.start(0) + 1] / plain.scores()[plain.start(0)];
        float shrunkRatio = shrunk.scores()[shrunk.start(0) + 1] / shrunk.scores()[shrunk.start(0)];
        assertTrue(shrunkRatio < plainRatio, "shrinkage must widen the gap: " + shrunkRatio + " vs " + plainRatio);
    }

    @Test
    void identicalResultsForAnyThreadCount() {
        CsrMatrix x = randomMatrix(2000, 3000, 40_000, 3, false);
        ItemKnn.Parameters params = new ItemKnn.Parameters(20, 10.0, 1);
        Neighborhoods one = ItemKnn.compute(x, params, Progress.Factory.NONE);
        for (int threads : new int[] {2, 3, 5}) {
            Neighborhoods many = ItemKnn.compute(x, params.withThreads(threads), Progress.Factory.NONE);
            assertArrayEquals(one.offsets(), many.offsets());
            assertArrayEquals(one.items(), many.items());
            assertArrayEquals(one.scores(), many.scores());
        }
    }

    @Test
    void reportsProgressPerItem() {
        CsrMatrix x = randomMatrix(50, 200, 500, 4, true);
        long[] stepped = new long[1];
        String[] phase = new String[1];
        Progress.Factory factory = (name, total) -> {
            phase[0] = name;
            assertEquals(200, total);
            return new Progress() {
                @Override public synchronized void step(long n) { stepped[0] += n; }
                @Override public void close() {}
            };
        };
        ItemKnn.compute(x, ItemKnn.Parameters.defaults(), factory);
        assertEquals("item-knn", phase[0]);
        assertEquals(200, stepped[0]);
    }

    @Test
    void validatesParameters() {
        assertEquals("neighbours must be in [1, 10000], got 0",
                assertThrows(IllegalArgumentException.class, () -> new ItemKnn.Parameters(0, 1, 0)).getMessage());
        assertEquals("shrink must be a finite number >= 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> new ItemKnn.Parameters(10, -1, 0)).getMessage());
        assertEquals("shrink must be a finite number >= 0, got NaN",
                assertThrows(IllegalArgumentException.class, () -> new ItemKnn.Parameters(10, Double.NaN, 0)).getMessage());
        assertEquals("threads must be >= 0 (0 = all processors), got -2",
                assertThrows(IllegalArgumentException.class, () -> new ItemKnn.Parameters(10, 1, -2)).getMessage());
    }

    @Test
    void rejectsNonPositiveStrengthsWithTheirPosition() {
        CsrMatrix x = CsrMatrix.fromCoordinates(3, 3, new int[] {0, 2}, new int[] {1, 2}, new float[] {1f, 0f}, 2, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ItemKnn.compute(x, ItemKnn.Parameters.defaults(), Progress.Factory.NONE));
        assertEquals("interaction strengths must be finite and > 0, got 0.0 at (user row 2, item column 2)", e.getMessage());
    }
}
