package reco.trainer.models.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reco.model.Neighborhoods;
import reco.trainer.data.IdDictionary;
import reco.trainer.data.ItemMetadata;
import reco.trainer.math.CsrMatrix;
import reco.trainer.progress.Progress;

class ContentNeighborsTest {

    private static ContentVectors randomCatalog(int items, long seed) {
        // small vocabularies so that many items share features and many scores tie exactly
        return ContentVectorizer.vectorize(SyntheticCatalog.generate(items, 8, 30, 60, seed),
                ContentFeatureParams.defaults());
    }

    @Test
    void agreesWithBruteForceDenseCosine() {
        for (TermWeighting weighting : TermWeighting.values()) {
            ContentVectors v = ContentVectorizer.vectorize(SyntheticCatalog.generate(300, 8, 30, 60, 42),
                    ContentFeatureParams.defaults().withWeighting(weighting));
            ContentVectorizerTest.assertUnitRows(v.matrix());
            int k = 15;
            Neighborhoods nb = ContentNeighbors.compute(v, new ContentNeighborParams(k, 2), Progress.Factory.NONE);
            double[][] dense = toDense(v.matrix());
            for (int i = 0; i < dense.length; i++) {
                List<double[]> oracle = new ArrayList<>(); // {score, item}
                for (int j = 0; j < dense.length; j++) {
                    if (j == i) continue;
                    double dot = 0;
                    for (int f = 0; f < dense[i].length; f++) dot += dense[i][f] * dense[j][f];
                    if (dot > 1e-12) oracle.add(new double[] {dot, j});
                }
                oracle.sort((a, b) -> a[0] != b[0] ? Double.compare(b[0], a[0]) : Double.compare(a[1], b[1]));
                int expectedSize = Math.min(k, oracle.size());
                assertEquals(expectedSize, nb.size(i), "list length of " + i);
                for (int p = 0; p < expectedSize; p++) {
                    assertEquals(oracle.get(p)[0], nb.scores()[nb.start(i) + p], 1e-5, "score " + p + " of item " + i);
                }
                // Every item clearly above the K-th score must be listed (float rounding may reorder near-ties only).
                if (expectedSize > 0) {
                    double kth = oracle.get(expectedSize - 1)[0];
                    for (double[] o : oracle) {
                        if (o[0] > kth + 1e-5) assertTrue(contains(nb, i, (int) o[1]), "item " + i + " misses " + (int) o[1]);
                    }
                }
            }
        }
    }

    @Test
    void listsAreSortedWithoutSelfAndTiesPreferLowerIndex() {
        // genres only: items with the same genre set have identical rows, hence exactly tied scores
        ContentVectors v = ContentVectorizer.vectorize(SyntheticCatalog.generate(300, 8, 30, 60, 7),
                ContentFeatureParams.defaults().withFieldWeights(1, 0, 0, 0));
        Neighborhoods nb = ContentNeighbors.compute(v, new ContentNeighborParams(20, 2), Progress.Factory.NONE);
        int ties = 0;
        for (int i = 0; i < nb.itemCount(); i++) {
            for (int p = nb.start(i); p < nb.end(i); p++) {
                assertNotEquals(i, nb.items()[p], "self neighbour of " + i);
                assertTrue(nb.scores()[p] > 0);
                if (p > nb.start(i)) {
                    float prev = nb.scores()[p - 1], cur = nb.scores()[p];
                    assertTrue(prev >= cur, "not best first at item " + i);
                    if (prev == cur) {
                        ties++;
                        assertTrue(nb.items()[p - 1] < nb.items()[p], "tie not by lower index at item " + i);
                    }
                }
            }
        }
        assertTrue(ties > 0, "fixture should exercise ties");
    }

    @Test
    void identicalItemsTieByLowerIndexAndKTruncatesDeterministically() {
        ItemMetadata m = new ItemMetadata(new IdDictionary());
        for (int i = 0; i < 6; i++) m.describe("i" + i, null, List.of("g"), null);
        ContentVectors v = ContentVectorizer.vectorize(m, ContentFeatureParams.defaults());
        Neighborhoods nb = ContentNeighbors.compute(v, new ContentNeighborParams(3, 1), Progress.Factory.NONE);
        ContentVectorizerTest.assertList(nb, 0, new int[] {1, 2, 3}, new float[] {1, 1, 1});
        ContentVectorizerTest.assertList(nb, 4, new int[] {0, 1, 2}, new float[] {1, 1, 1});
    }

    @Test
    void outputDoesNotDependOnThreadCount() {
        ContentVectors v = randomCatalog(1000, 99);
        Neighborhoods one = ContentNeighbors.compute(v, new ContentNeighborParams(25, 1), Progress.Factory.NONE);
        for (int threads : new int[] {2, 3, 8}) {
            Neighborhoods many = ContentNeighbors.compute(v, new ContentNeighborParams(25, threads), Progress.Factory.NONE);
            assertArrayEquals(one.offsets(), many.offsets(), "threads " + threads);
            assertArrayEquals(one.items(), many.items(), "threads " + threads);
            assertArrayEquals(one.scores(), many.scores(), "threads " + threads);
        }
    }

    @Test
    void reportsProgressForEveryItem() {
        ContentVectors v = randomCatalog(1000, 5);
        long[] steps = new long[1];
        Progress.Factory counting = (phase, total) -> {
            assertEquals(1000, total);
            return new Progress() {
                @Override public synchronized void step(long n) { steps[0] += n; }
                @Override public void close() {}
            };
        };
        ContentNeighbors.compute(v, new ContentNeighborParams(10, 2), counting);
        assertEquals(1000, steps[0]);
    }

    @Test
    void rejectsRowsThatAreNotNormalisedOrNotPositive() {
        CsrMatrix unnormalised = new CsrMatrix(2, 1, new int[] {0, 1, 2}, new int[] {0, 0}, new float[] {2f, 1f});
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ContentNeighbors.compute(unnormalised, ContentNeighborParams.defaults(), Progress.Factory.NONE));
        assertEquals("rows: value 2.0 at entry 0 is outside (0, 1]; rows must be L2-normalised with positive values",
                e.getMessage());
        CsrMatrix zero = new CsrMatrix(2, 1, new int[] {0, 1, 2}, new int[] {0, 0}, new float[] {1f, 0f});
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ContentNeighbors.compute(zero, ContentNeighborParams.defaults(), Progress.Factory.NONE));
    }

    @Test
    void emptyCatalog() {
        ContentVectors v = ContentVectorizer.vectorize(new ItemMetadata(new IdDictionary()), ContentFeatureParams.defaults());
        Neighborhoods nb = ContentNeighbors.compute(v, ContentNeighborParams.defaults(), Progress.Factory.NONE);
        assertEquals(0, nb.itemCount());
    }

    private static boolean contains(Neighborhoods nb, int item, int neighbour) {
        for (int p = nb.start(item); p < nb.end(item); p++) {
            if (nb.items()[p] == neighbour) return true;
        }
        return false;
    }

    private static double[][] toDense(CsrMatrix m) {
        double[][] d = new double[m.rows][m.cols];
        for (int r = 0; r < m.rows; r++) {
            for (int p = m.rowStart(r); p < m.rowEnd(r); p++) d[r][m.indices[p]] = m.values[p];
        }
        return d;
    }
}
