package reco.trainer.models.als;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import reco.model.als.AlsFoldIn;
import reco.trainer.math.CsrMatrix;

/** Fold-in (model module, used by the server) solves exactly the trainer's user equation. */
class AlsFoldInEquivalenceTest {
    private static final CsrMatrix DATA = SyntheticImplicitData.zipf(250, 90, 3500, 0.9, 17);

    @Test
    void foldingInTrainingItemsReproducesTheExactUserStep() {
        for (double nu : new double[] {0, 0.7}) {
            AlsParameters p = AlsParameters.defaults().withFactors(12).withIterations(8).withThreads(2)
                    .withRegularizationExponent(nu);
            AlsFactors f = new ImplicitAls(p).fit(DATA);
            // converge the user side exactly against the final item factors
            new ImplicitAls(p.withSolver(AlsSolver.CHOLESKY)).solveUsers(DATA, f);
            AlsFoldIn foldIn = new AlsFoldIn(f.itemRows(), f.itemGram(), p.objective());
            int d = f.factors();
            for (int u = 0; u < DATA.rows; u++) {
                int[] items = Arrays.copyOfRange(DATA.indices, DATA.rowStart(u), DATA.rowEnd(u));
                float[] strengths = Arrays.copyOfRange(DATA.values, DATA.rowStart(u), DATA.rowEnd(u));
                float[] folded = foldIn.foldIn(items, strengths);
                float[] trained = Arrays.copyOfRange(f.userFactors(), u * d, (u + 1) * d);
                assertArrayEquals(trained, folded, 1e-4f, "user " + u + ", nu=" + nu);
            }
        }
    }

    @Test
    void foldInMatchesManyStepConjugateGradient() {
        AlsParameters p = AlsParameters.defaults().withFactors(12).withIterations(8).withThreads(2);
        AlsFactors f = new ImplicitAls(p).fit(DATA);
        new ImplicitAls(p.withCgSteps(100)).solveUsers(DATA, f);
        AlsFoldIn foldIn = new AlsFoldIn(f.itemRows(), f.itemGram(), p.objective());
        int d = f.factors();
        double worst = 0;
        for (int u = 0; u < DATA.rows; u++) {
            float[] folded = foldIn.foldIn(Arrays.copyOfRange(DATA.indices, DATA.rowStart(u), DATA.rowEnd(u)),
                    Arrays.copyOfRange(DATA.values, DATA.rowStart(u), DATA.rowEnd(u)));
            for (int j = 0; j < d; j++) {
                worst = Math.max(worst, Math.abs(folded[j] - f.userFactors()[u * d + j]));
            }
        }
        assertTrue(worst < 1e-4, "max |fold-in - CG| = " + worst);
    }

    @Test
    void itemGramIsYtY() {
        AlsFactors f = new ImplicitAls(AlsParameters.defaults().withFactors(5).withIterations(2)).fit(DATA);
        double[] g = f.itemGram();
        for (int a = 0; a < 5; a++) {
            for (int b = 0; b < 5; b++) {
                double s = 0;
                for (int i = 0; i < f.items(); i++) {
                    s += (double) f.itemFactors()[i * 5 + a] * f.itemFactors()[i * 5 + b];
                }
                assertEquals(s, g[a * 5 + b], 1e-9);
            }
        }
    }
}
