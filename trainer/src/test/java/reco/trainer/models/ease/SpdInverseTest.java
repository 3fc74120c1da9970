package reco.trainer.models.ease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import reco.trainer.progress.Progress;

class SpdInverseTest {
    /** A random SPD matrix: Z^T Z + shift I with Z sparse-ish and skewed, like a Gram matrix plus lambda. */
    static double[][] randomSpd(int n, long seed, double shift) {
        Random random = new Random(seed);
        int rows = n / 2 + 3; // rank-deficient Z^T Z: the shift makes it SPD, as lambda does for EASE
        double[][] z = new double[rows][n];
        for (double[] row : z) {
            for (int j = 0; j < n; j++) {
                if (random.nextDouble() < 0.3) {
                    row[j] = random.nextDouble() * 3;
                }
            }
        }
        double[][] g = new double[n][n];
        for (double[] row : z) {
            for (int i = 0; i < n; i++) {
                if (row[i] != 0) {
                    for (int j = 0; j < n; j++) {
                        g[i][j] += row[i] * row[j];
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            g[i][i] += shift;
        }
        return g;
    }

    static double[] lowerRowMajor(double[][] g, double upperFill) {
        int n = g.length;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = j <= i ? g[i][j] : upperFill; // the upper triangle must be ignored
            }
        }
        return a;
    }

    static void assertMatchesCommonsMath(int n, long seed, int threads) {
        double[][] g = randomSpd(n, seed, 0.5);
        RealMatrix expected = new CholeskyDecomposition(new Array2DRowRealMatrix(g, false)).getSolver().getInverse();
        double[] a = lowerRowMajor(g, Double.NaN);
        SpdInverse.invertInPlace(a, n, threads, Progress.Factory.NONE);
        double scale = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                scale = Math.max(scale, Math.abs(expected.getEntry(i, j)));
            }
        }
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                worst = Math.max(worst, Math.abs(a[i * n + j] - expected.getEntry(i, j)));
                assertEquals(a[i * n + j], a[j * n + i], 0.0, "symmetric at " + i + "," + j);
            }
        }
        assertTrue(worst / scale < 1e-8, "n=" + n + ": max abs error " + worst + " relative " + worst / scale);
    }

    @Test
    void matchesCommonsMathOnSmallAndOddSizes() {
        for (int n : new int[] {1, 2, 7, 13, 50, 65, 129}) {
            assertMatchesCommonsMath(n, n, 2);
        }
    }

    @Test
    void matchesCommonsMathAcrossSeveralBlocks() {
        assertMatchesCommonsMath(300, 11, 2); // 3 block columns (128), 5 tiles (64), ragged edges
        assertMatchesCommonsMath(300, 12, 3);
    }

    @Test
    void inverseTimesMatrixIsIdentity() {
        int n = 200;
        double[][] g = randomSpd(n, 5, 1.0);
        double[] a = lowerRowMajor(g, 0);
        SpdInverse.invertInPlace(a, n, 2, Progress.Factory.NONE);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += a[i * n + k] * g[k][j];
                }
                assertEquals(i == j ? 1.0 : 0.0, s, 1e-9, "(P G)[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void sameBitsForAnyThreadCount() {
        int n = 260;
        double[][] g = randomSpd(n, 9, 0.7);
        double[] one = lowerRowMajor(g, 0);
        double[] three = lowerRowMajor(g, 0);
        SpdInverse.invertInPlace(one, n, 1, Progress.Factory.NONE);
        SpdInverse.invertInPlace(three, n, 3, Progress.Factory.NONE);
        assertTrue(java.util.Arrays.equals(one, three));
    }

    @Test
    void rejectsMatrixThatIsNotPositiveDefinite() {
        double[] a = {1, 0, 2, 1}; // [[1,2],[2,1]] has eigenvalue -1
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpdInverse.invertInPlace(a, 2, 1, Progress.Factory.NONE));
        assertEquals("matrix is not positive definite: Cholesky pivot 1 is -3.0 (increase the regularisation)", e.getMessage());
    }

    @Test
    void vectorAndScalarDotsAgreeOnOddLengths() {
        Random random = new Random(3);
        double[] a = new double[5000];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextGaussian() * (i % 17 == 0 ? 1e6 : 1);
        }
        for (int length : new int[] {0, 1, 7, 13, 207, 2049}) {
            double scalar = DenseKernels.dotScalar(a, 3, 2500, length);
            double vector = length == 0 ? 0 : DenseKernels.dotVector(a, 3, 2500, length);
            double plain = 0;
            for (int t = 0; t < length; t++) {
                plain += a[3 + t] * a[2500 + t];
            }
            assertEquals(plain, scalar, 1e-9 * (1 + Math.abs(plain)), "scalar, length " + length);
            assertEquals(plain, vector, 1e-9 * (1 + Math.abs(plain)), "vector, length " + length);
        }
    }

    @Test
    void rowDotKernelMatchesNaiveLoop() {
        int n = 37;
        Random random = new Random(4);
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextDouble() - 0.5;
        }
        double[] expected = a.clone();
        // rows 3..22 (20 rows, not a multiple of 4 after the first 16), columns 30..36, depth 0..29
        for (int x = 3; x < 22; x++) {
            for (int y = 30; y < 37; y++) {
                double s = 0;
                for (int k = 0; k < 30; k++) {
                    s += a[x * n + k] * a[y * n + k];
                }
                expected[x * n + y] -= s;
            }
        }
        DenseKernels.accumulateRowDots(a, n, 3, 22, 30, 37, 0, 30, -1.0);
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], a[i], 1e-12, "entry " + i);
        }
    }
}
