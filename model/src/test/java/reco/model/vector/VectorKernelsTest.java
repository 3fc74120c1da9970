package reco.model.vector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vector kernels against the scalar ones and against a double-precision oracle, in one JVM.
 * Sizes straddle every loop boundary of both (single vectors, the 4-accumulator body, the tails).
 */
class VectorKernelsTest {
    static final ScalarVectorKernels SCALAR = new ScalarVectorKernels();
    static final PanamaVectorKernels PANAMA = new PanamaVectorKernels();
    static final VectorKernels[] BOTH = {SCALAR, PANAMA};

    /**
     * Allowed difference from the exact value, relative to {@code sum |a_i b_i|} (which, unlike the
     * result, does not vanish under cancellation). Reordered float sums of a few thousand terms stay
     * orders of magnitude below this; a dropped or doubled element does not.
     */
    static final double RELATIVE_TOLERANCE = 1e-5;

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 7, 8, 13, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 207, 4098})
    void exactOnSmallIntegers(int n) {
        // Small integers make every product and partial sum exact in float: any summation order must
        // give the exact answer, so a skipped or repeated element shows up as an inequality.
        float[] a = new float[n];
        float[] b = new float[n];
        long expected = 0;
        for (int i = 0; i < n; i++) {
            a[i] = (i % 7) - 3 + (i == n - 1 ? 11 : 0);
            b[i] = (i % 5) - 2 + (i == 0 ? 5 : 0);
            expected += (long) a[i] * (long) b[i];
        }
        MemorySegment matrix = matrixOf(b, b); // two rows of n columns
        for (VectorKernels k : BOTH) {
            assertEquals((float) expected, k.dot(a, b), k.name() + " n=" + n);
            assertEquals((float) expected, k.dot(a, matrix, 1), k.name() + " row n=" + n);
            float[] out = new float[2];
            k.scoreAll(a, matrix, 2, out);
            assertEquals((float) expected, out[0], k.name() + " scoreAll n=" + n);
            assertEquals((float) expected, out[1], k.name() + " scoreAll n=" + n);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 13, 64, 207, 4098})
    void gaussianAgreesWithOracle(int n) {
        Random random = new Random(n);
        checkAllKernels(n, random::nextGaussian, random::nextGaussian);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 13, 64, 207, 4098})
    void extremeValuesAgreeWithOracle(int n) {
        Random random = new Random(31L * n);
        // Large magnitudes, kept so that n products still sum below Float.MAX_VALUE.
        checkAllKernels(n, () -> 1e17 * random.nextGaussian(), () -> -1e16 * random.nextGaussian());
        // Small magnitudes whose products are subnormal (about 1e-40).
        checkAllKernels(n, () -> 1e-20 * random.nextGaussian(), () -> 1e-20 * random.nextGaussian());
        // Subnormal inputs times ordinary ones.
        checkAllKernels(n, () -> Float.MIN_VALUE * random.nextInt(1 << 20), () -> random.nextInt(7) - 3);
        // Mixed scales and signs, with exact zeros sprinkled in: cancellation is heavy.
        checkAllKernels(n, () -> random.nextInt(4) == 0 ? 0 : Math.scalb(random.nextGaussian(), random.nextInt(60) - 30),
                () -> random.nextInt(4) == 0 ? -0.0 : Math.scalb(random.nextGaussian(), random.nextInt(60) - 30));
        // All zeros.
        checkAllKernels(n, () -> 0, random::nextGaussian);
    }

    @Test
    void nanAndInfinityPropagate() {
        for (int n : new int[] {7, 64, 207}) {
            float[] a = filled(n, 1f);
            float[] b = filled(n, 2f);
            b[n - 1] = Float.NaN;
            float[] c = filled(n, 2f);
            c[n / 2] = Float.POSITIVE_INFINITY;
            for (VectorKernels k : BOTH) {
                assertTrue(Float.isNaN(k.dot(a, b)), k.name());
                assertEquals(Float.POSITIVE_INFINITY, k.dot(a, c), k.name());
                assertTrue(Float.isNaN(k.dot(a, matrixOf(b), 0)), k.name());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 13, 64, 207, 4098})
    void cosineAgreesWithOracle(int n) {
        Random random = new Random(7L * n);
        float[] a = random(n, random::nextGaussian);
        float[] b = random(n, random::nextGaussian);
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < n; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        double expected = dot / Math.sqrt(na * nb);
        for (VectorKernels k : BOTH) {
            assertEquals(expected, k.cosine(a, b), 1e-5, k.name() + " n=" + n);
            assertEquals(1.0, k.cosine(a, a), 1e-5, k.name() + " self n=" + n);
            assertEquals(0f, k.cosine(a, new float[n]), k.name() + " zero vector n=" + n);
        }
    }

    @Test
    void scoreRangeWritesOnlyItsSlice() {
        int d = 100, rows = 37;
        Random random = new Random(3);
        float[] data = random(rows * d, random::nextGaussian);
        float[] q = random(d, random::nextGaussian);
        MemorySegment matrix = MemorySegment.ofArray(data);
        for (VectorKernels k : BOTH) {
            float[] out = filled(rows + 4, -42f);
            k.scoreRange(q, matrix, 5, 30, out, 2);
            assertEquals(-42f, out[0]);
            assertEquals(-42f, out[1]);
            assertEquals(-42f, out[32]);
            for (int r = 0; r < 30; r++) {
                float expected = SCALAR.dot(q, Arrays.copyOfRange(data, (5 + r) * d, (6 + r) * d));
                assertEquals(expected, out[2 + r], 1e-4f, k.name() + " row " + (5 + r));
            }
        }
    }

    @Test
    void badArgumentsAreRejectedWithTheValues() {
        MemorySegment matrix = MemorySegment.ofArray(new float[3 * 8]);
        for (VectorKernels k : BOTH) {
            var e = assertThrows(IllegalArgumentException.class, () -> k.dot(new float[3], new float[4]));
            assertTrue(e.getMessage().contains("3 != 4"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> k.dot(new float[8], matrix, 3));
            assertTrue(e.getMessage().contains("[0, 3)") && e.getMessage().contains("got 3"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> k.dot(new float[8], matrix, -1));
            assertThrows(IllegalArgumentException.class, () -> k.scoreAll(new float[8], matrix, 4, new float[4]));
            e = assertThrows(IllegalArgumentException.class, () -> k.scoreAll(new float[8], matrix, 3, new float[2]));
            assertTrue(e.getMessage().contains("length 2"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> k.scoreRange(new float[8], matrix, 1, 2, new float[3], 2));
            assertThrows(IllegalArgumentException.class, () -> k.cosine(new float[2], new float[1]));
        }
    }

    @Test
    void readsLittleEndianFromAnyByteOffsetOfAMappedStyleSegment() {
        // A native segment with the row deliberately 4 bytes off 64-byte alignment (d = 17).
        int d = 17;
        Random random = new Random(11);
        float[] q = random(d, random::nextGaussian);
        float[] rows = random(3 * d, random::nextGaussian);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate((long) rows.length * Float.BYTES, 64);
            for (int i = 0; i < rows.length; i++) {
                segment.setAtIndex(VectorKernels.FLOAT_LE, i, rows[i]);
            }
            for (VectorKernels k : BOTH) {
                for (int r = 0; r < 3; r++) {
                    float expected = SCALAR.dot(q, Arrays.copyOfRange(rows, r * d, (r + 1) * d));
                    assertEquals(expected, k.dot(q, segment, r), 1e-5f * (1 + Math.abs(expected)), k.name());
                }
            }
        }
    }

    @Test
    void facadeSelectsOnceAndHonoursTheProperty() {
        assertSame(VectorUtil.scalar(), VectorUtil.choose("scalar").kernels());
        assertSame(VectorUtil.panama(), VectorUtil.choose(" Panama ").kernels());
        VectorUtil.Selection auto = VectorUtil.choose(null);
        if (VectorUtil.panama().lanes() >= 4) {
            assertSame(VectorUtil.panama(), auto.kernels(), auto.reason());
        }
        assertTrue(auto.reason().startsWith("auto: "), auto.reason());
        var e = assertThrows(IllegalArgumentException.class, () -> VectorUtil.choose("avx"));
        assertTrue(e.getMessage().contains("reco.vector") && e.getMessage().contains("'avx'")
                && e.getMessage().contains("scalar"), e.getMessage());
        assertNotSame(VectorUtil.scalar(), VectorUtil.panama());
        assertSame(VectorUtil.active(), VectorUtil.choose(System.getProperty(VectorUtil.PROPERTY)).kernels());
        assertEquals(VectorUtil.active().name(), VectorUtil.implementationName());
    }

    @Test
    void normalizeMakesUnitLengthAndLeavesZeroAlone() {
        float[] v = {3e30f, 4e30f}; // squares overflow float; the norm must not
        assertEquals(5e30, VectorUtil.normalize(v), 1e24);
        assertEquals(0.6f, v[0], 1e-7f);
        assertEquals(0.8f, v[1], 1e-7f);
        float[] zero = new float[5];
        assertEquals(0, VectorUtil.normalize(zero));
        assertTrue(Arrays.equals(new float[5], zero));
    }

    // ---------------------------------------------------------------- helpers

    /** Every kernel entry point on random vectors against a double-precision oracle. */
    private static void checkAllKernels(int n, DoubleSupplier aValues, DoubleSupplier bValues) {
        float[] a = random(n, aValues);
        int rows = 3;
        float[] matrixData = random(rows * n, bValues);
        float[] b = Arrays.copyOfRange(matrixData, n, 2 * n);
        MemorySegment matrix = MemorySegment.ofArray(matrixData);
        double[] exact = new double[rows];
        double[] magnitude = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                double p = (double) a[i] * matrixData[r * n + i];
                exact[r] += p;
                magnitude[r] += Math.abs(p);
            }
        }
        for (VectorKernels k : BOTH) {
            float[] out = new float[rows];
            k.scoreAll(a, matrix, rows, out);
            for (int r = 0; r < rows; r++) {
                assertClose(exact[r], magnitude[r], n, out[r], k.name() + " scoreAll row " + r + " n=" + n);
                assertClose(exact[r], magnitude[r], n, k.dot(a, matrix, r), k.name() + " row " + r + " n=" + n);
            }
            assertClose(exact[1], magnitude[1], n, k.dot(a, b), k.name() + " arrays n=" + n);
        }
        // And the two implementations against each other (the oracle could hide a shared error).
        float s = SCALAR.dot(a, b), p = PANAMA.dot(a, b);
        assertClose(s, magnitude[1], n, p, "panama vs scalar n=" + n);
    }

    private static void assertClose(double expected, double magnitude, int n, float actual, String what) {
        // Rounding products to float leaves subnormal results with an absolute error of up to half a
        // subnormal step each; the relative bound alone would be zero when every product underflows.
        double tolerance = RELATIVE_TOLERANCE * magnitude + n * (double) Float.MIN_VALUE;
        assertTrue(Math.abs(expected - actual) <= tolerance,
                what + ": expected " + expected + " +- " + tolerance + ", got " + actual);
    }

    private static float[] random(int n, DoubleSupplier values) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) values.getAsDouble();
        }
        return v;
    }

    private static float[] filled(int n, float value) {
        float[] v = new float[n];
        Arrays.fill(v, value);
        return v;
    }

    private static MemorySegment matrixOf(float[]... rows) {
        float[] data = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, data, r * rows[0].length, rows[0].length);
        }
        return MemorySegment.ofArray(data);
    }
}
