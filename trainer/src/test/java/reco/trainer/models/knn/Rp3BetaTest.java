package reco.trainer.models.knn;

import org.junit.jupiter.api.Test;
import reco.model.Neighborhoods;
import reco.trainer.math.CsrMatrix;
import reco.trainer.progress.Progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Rp3BetaTest {
    /** Users x items: u0 {0, 1}, u1 {0, 1, 2}, u2 {1, 2}. */
    private static CsrMatrix x() {
        return CsrMatrix.fromCoordinates(3, 3, new int[] {0, 0, 1, 1, 1, 2, 2}, new int[] {0, 1, 0, 1, 2, 1, 2},
                new float[] {1, 1, 1, 1, 1, 1, 1}, 7, false);
    }

    private static float score(Neighborhoods nb, int from, int to) {
        for (int p = nb.start(from); p < nb.end(from); p++) {
            if (nb.items()[p] == to) {
                return nb.scores()[p];
            }
        }
        return 0;
    }

    @Test
    void betaZeroIsTheTwoStepWalkProbability() {
        ItemKnn.Parameters p = ItemKnn.Parameters.defaults().withSimilarity(ItemKnn.Similarity.RP3BETA).withBeta(0).withThreads(1);
        Neighborhoods nb = ItemKnn.compute(x(), p, Progress.Factory.NONE);
        // item 0 -> u0 (1/2) -> item 1 (1/2) + item 0 -> u1 (1/2) -> item 1 (1/3) = 1/4 + 1/6
        assertEquals(1.0 / 4 + 1.0 / 6, score(nb, 0, 1), 1e-6);
        // item 0 -> u1 (1/2) -> item 2 (1/3)
        assertEquals(1.0 / 6, score(nb, 0, 2), 1e-6);
    }

    @Test
    void betaDividesByTheTargetsPopularity() {
        ItemKnn.Parameters p = ItemKnn.Parameters.defaults().withSimilarity(ItemKnn.Similarity.RP3BETA).withBeta(1).withThreads(1);
        Neighborhoods nb = ItemKnn.compute(x(), p, Progress.Factory.NONE);
        // item 1 has 3 users, item 2 has 2
        assertEquals((1.0 / 4 + 1.0 / 6) / 3, score(nb, 0, 1), 1e-6);
        assertEquals((1.0 / 6) / 2, score(nb, 0, 2), 1e-6);
    }

    @Test
    void alphaRaisesEachStep() {
        ItemKnn.Parameters p = ItemKnn.Parameters.defaults().withSimilarity(ItemKnn.Similarity.RP3BETA).withBeta(0)
                .withAlpha(2).withThreads(1);
        Neighborhoods nb = ItemKnn.compute(x(), p, Progress.Factory.NONE);
        assertEquals(Math.pow(0.5, 2) * Math.pow(0.5, 2) + Math.pow(0.5, 2) * Math.pow(1.0 / 3, 2), score(nb, 0, 1), 1e-6);
    }
}
