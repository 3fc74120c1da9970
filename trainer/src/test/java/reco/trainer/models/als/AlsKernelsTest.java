package reco.trainer.models.als;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vector kernels agree with the scalar ones on odd sizes, offsets and extreme values. */
class AlsKernelsTest {
    private static final int[] SIZES = {1, 7, 13, 16, 64, 207, 4098};

    private static float[] random(SplittableRandom r, int n, double scale) {
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
            a[k] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    @Test
    void dotAndAxpyMatchScalar() {
        SplittableRandom r = new SplittableRandom(1);
        for (int n : SIZES) {
            for (double scale : new double[] {1, 1e-20, 1e15}) {
                float[] a = random(r, n + 5, scale);
                float[] b = random(r, n + 3, scale);
                double exact = 0;
                for (int k = 0; k < n; k++) {
                    exact += (double) a[k + 5] * b[k + 3];
                }
                double tolerance = 1e-5 * n * scale * scale;
                assertEquals(exact, PanamaAlsKernels.dot(a, 5, b, 3, n), tolerance, "n=" + n);
                assertEquals(exact, AlsKernels.scalarDot(a, 5, b, 3, n), tolerance, "n=" + n);

                float[] y1 = random(r, n + 2, scale);
                float[] y2 = y1.clone();
                PanamaAlsKernels.axpy(0.37f, a, 5, y1, 2, n);
                AlsKernels.scalarAxpy(0.37f, a, 5, y2, 2, n);
                for (int k = 0; k < n + 2; k++) {
                    assertEquals(y2[k], y1[k], 1e-6 * scale, "n=" + n + " k=" + k); // fma rounds once
                }
            }
        }
    }

    @Test
    void symmetricMatVecMatchesDefinition() {
        SplittableRandom r = new SplittableRandom(2);
        for (int n : new int[] {1, 7, 13, 16, 48, 64, 65, 100}) {
            float[] m = new float[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    float v = (float) r.nextGaussian();
                    m[i * n + j] = v;
                    m[j * n + i] = v;
                }
            }
            float[] v = random(r, n, 1);
            float[] out = new float[n];
            PanamaAlsKernels.symmetricShiftedMatVec(m, 0.25f, v, out, n);
            for (int i = 0; i < n; i++) {
                double exact = 0.25 * v[i];
                for (int j = 0; j < n; j++) {
                    exact += (double) m[i * n + j] * v[j];
                }
                assertEquals(exact, out[i], 1e-5 * n, "n=" + n + " i=" + i);
            }
        }
    }
}
