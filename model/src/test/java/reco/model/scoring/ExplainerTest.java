package reco.model.scoring;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.model.ModelKind;
import reco.model.generation.Generation;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Explanations add up to the served score (neighbour models, hybrid) and match the HKV formula (ALS). */
class ExplainerTest {
    @TempDir
    static Path root;
    static Generation generation;
    static Recommender recommender;
    static Explainer explainer;

    @BeforeAll
    static void open() throws Exception {
        generation = Generation.open(ContextFixture.write(root));
        recommender = new Recommender(generation);
        explainer = new Explainer(recommender);
    }

    @AfterAll
    static void close() {
        generation.close();
    }

    private static double sum(Explanation e) {
        double s = 0;
        for (Explanation.Contribution c : e.contributions()) {
            s += c.contribution();
        }
        return s;
    }

    @Test
    void itemKnnContributionsAreWeightTimesNeighbourScoreAndSumToTheServedScore() {
        // u0 = i0 (5), i1 (4), i2 (3). Lists: i0 -> 1, 4, 7; i1 -> 2, 5, 8; i2 -> 3, 6, 9.
        Explanation e = explainer.explain(0, new int[0], 5, ModelKind.ITEM_KNN);
        // only i1 lists i5 (at 0.5): 4 * 0.5 = 2
        assertEquals(2.0, e.score(), 1e-6);
        assertEquals(1, e.top().item());
        assertEquals(4f, e.top().weight());
        assertEquals(0.5f, e.top().similarity());
        Recommendations r = recommender.recommendForUser(0, new int[0], 10, ModelKind.ITEM_KNN, ItemFilter.ALLOW_ALL, false);
        for (int p = 0; p < r.size(); p++) {
            if (r.scores()[p] <= 0) {
                continue; // popularity backfill: not a model score
            }
            Explanation x = explainer.explain(0, new int[0], r.items()[p], ModelKind.ITEM_KNN);
            assertEquals(r.scores()[p], x.score(), 1e-5, "item " + r.items()[p]);
            assertEquals(x.score(), sum(x), 1e-5);
        }
    }

    @Test
    void contentContributionsNameTheSharedCategories() {
        // session i0, i1 (Action); i3 is Action: i0 -> i3 at 1/4, i1 -> i3 at 1/3
        Explanation e = explainer.explain(-1, new int[] {0, 1}, 3, ModelKind.CONTENT);
        assertEquals(0.25 + 1.0 / 3, e.score(), 1e-6);
        assertEquals(1, e.top().item());
        assertArrayEquals(new int[] {generation.catalog().categoryId("Action")}, e.top().sharedCategories());
    }

    @Test
    void alsContributionsAreTheHuKorenVolinskyDecomposition() {
        int user = 1; // i0 (2), i4 (5), i7 (1)
        int target = 6;
        Explanation e = explainer.explain(user, new int[0], target, ModelKind.ALS);
        // oracle: W_u = (Y^T C_u Y + lambda I)^-1 by explicit inversion over every item; c = 1 + alpha r
        float[] y = ContextFixture.itemFactors();
        int d = 3;
        double[][] a = new double[d][d];
        double[] conf = new double[ContextFixture.ITEMS];
        java.util.Arrays.fill(conf, 1);
        conf[0] = 1 + 2 * 2;
        conf[4] = 1 + 2 * 5;
        conf[7] = 1 + 2 * 1;
        for (int i = 0; i < ContextFixture.ITEMS; i++) {
            for (int j = 0; j < d; j++) {
                for (int l = 0; l < d; l++) {
                    a[j][l] += conf[i] * y[3 * i + j] * y[3 * i + l];
                }
            }
        }
        for (int j = 0; j < d; j++) {
            a[j][j] += 0.5;
        }
        RealMatrix w = new LUDecomposition(new Array2DRowRealMatrix(a)).getSolver().getInverse();
        double total = 0;
        for (int i : new int[] {0, 4, 7}) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                for (int l = 0; l < d; l++) {
                    s += y[3 * target + j] * w.getEntry(j, l) * y[3 * i + l];
                }
            }
            Explanation.Contribution c = e.contributions().stream().filter(x -> x.item() == i).findFirst().orElseThrow();
            assertEquals(s, c.similarity(), 1e-4, "s_ij of item " + i);
            assertEquals(conf[i] * s, c.contribution(), 1e-4, "contribution of item " + i);
            assertEquals(conf[i], c.weight(), 1e-6);
            total += conf[i] * s;
        }
        assertEquals(total, e.score(), 1e-4);
        // and the decomposition adds up to the served score (stored vector = fold-in of the history)
        Recommendations r = recommender.recommendForUser(user, new int[0], ContextFixture.ITEMS, ModelKind.ALS,
                ItemFilter.ALLOW_ALL, true);
        for (int p = 0; p < r.size(); p++) {
            if (r.items()[p] == target) {
                assertEquals(r.scores()[p], e.score(), 1e-4);
            }
        }
    }

    @Test
    void hybridExplanationAddsUpToTheHybridScore() {
        Recommendations r = recommender.recommendForUser(2, new int[0], 5, ModelKind.HYBRID, ItemFilter.ALLOW_ALL, false);
        assertTrue(r.size() > 0);
        for (int p = 0; p < r.size(); p++) {
            Explanation e = explainer.explain(2, new int[0], r.items()[p], ModelKind.HYBRID);
            assertTrue(e.scaledComponents());
            assertEquals(r.scores()[p], e.score(), 1e-4, "item " + r.items()[p]);
        }
    }

    @Test
    void popularityHasNothingToExplain() {
        assertThrows(UnsupportedModelException.class, () -> explainer.explain(0, new int[0], 3, ModelKind.POPULARITY));
    }
}
