package reco.model.scoring;

import reco.model.topk.TopK;
import org.junit.jupiter.api.Test;
import reco.model.vector.VectorKernels;
import reco.model.vector.VectorUtil;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fused scoring + selection against a brute-force double-precision oracle, for both kernels. */
class DotProductTopKTest {
    static final int ROWS = 4098; // not a multiple of the block size: the last block is partial
    static final int DIMENSIONS = 100; // not a multiple of any vector length: every row has a tail

    final float[] data = new float[ROWS * DIMENSIONS];
    final float[] q = new float[DIMENSIONS];
    final MemorySegment matrix;
    final double[] exact = new double[ROWS];

    DotProductTopKTest() {
        Random random = new Random(42);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) random.nextGaussian();
        }
        // Plant well-separated scores (a shuffled ladder with steps of 0.05, far above float rounding
        // error at d = 100) through column 0, so the expected top-K ids are unambiguous.
        q[0] = 1f;
        int[] rank = IntStream.range(0, ROWS).toArray();
        for (int i = ROWS - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = rank[i];
            rank[i] = rank[j];
            rank[j] = t;
        }
        for (int r = 0; r < ROWS; r++) {
            double rest = 0;
            for (int i = 1; i < DIMENSIONS; i++) {
                rest += (double) q[i] * data[r * DIMENSIONS + i];
            }
            data[r * DIMENSIONS] = (float) (0.05 * rank[r] - 100 - rest);
        }
        matrix = MemorySegment.ofArray(data);
        for (int r = 0; r < ROWS; r++) {
            for (int i = 0; i < DIMENSIONS; i++) {
                exact[r] += (double) q[i] * data[r * DIMENSIONS + i];
            }
        }
    }

    /** The oracle's best k accepted rows, asserting they are separated well beyond float rounding. */
    int[] oracle(int k, IntPredicate accept) {
        Integer[] order = IntStream.range(0, ROWS).filter(accept).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer r) -> -exact[r]));
        int n = Math.min(k, order.length);
        for (int i = 0; i + 1 < Math.min(k + 1, order.length); i++) {
            double gap = exact[order[i]] - exact[order[i + 1]];
            assertTrue(gap > 1e-2, "fixture scores too close at rank " + i + " (gap " + gap + "): pick another seed");
        }
        return Arrays.stream(order, 0, n).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void fusedSelectionFindsTheOracleTopKWithBothKernels() {
        IntPredicate evenOnly = r -> r % 2 == 0;
        for (VectorKernels kernels : new VectorKernels[] {VectorUtil.scalar(), VectorUtil.panama()}) {
            for (int k : new int[] {1, 10, 100}) {
                assertArrayEquals(oracle(k, r -> true), select(kernels, k, null), kernels.name() + " k=" + k);
                assertArrayEquals(oracle(k, evenOnly), select(kernels, k, evenOnly), kernels.name() + " even k=" + k);
            }
        }
    }

    @Test
    void filterRunsOnlyForCandidatesThatCouldEnter() {
        int[] calls = new int[1];
        TopK top = new TopK(10).reset(10);
        DotProductTopK.select(VectorUtil.panama(), q, matrix, ROWS, top, r -> {
            calls[0]++;
            return true;
        });
        // Random order: about k * ln(n / k) rows beat the running minimum, far fewer than n.
        assertTrue(calls[0] < ROWS / 10, "filter called " + calls[0] + " times for " + ROWS + " rows");
        assertEquals(10, top.size());
    }

    @Test
    void fewerAcceptedRowsThanKReturnsThemAll() {
        IntPredicate three = r -> r == 5 || r == 4097 || r == 256;
        int[] expected = oracle(10, three);
        assertEquals(3, expected.length);
        assertArrayEquals(expected, select(VectorUtil.active(), 10, three));
    }

    @Test
    void agreesWithScoreAllThenSelect() {
        float[] all = new float[ROWS];
        VectorUtil.scoreAll(q, matrix, ROWS, all);
        TopK reference = new TopK(50).reset(50);
        for (int r = 0; r < ROWS; r++) {
            reference.offer(r, all[r]);
        }
        int[] items = new int[50];
        float[] scores = new float[50];
        reference.drainInto(items, scores);
        assertArrayEquals(items, select(VectorUtil.active(), 50, null));
    }

    private int[] select(VectorKernels kernels, int k, IntPredicate accept) {
        TopK top = new TopK(k).reset(k);
        DotProductTopK.select(kernels, q, matrix, ROWS, top, accept);
        int[] items = new int[k];
        int n = top.drainInto(items, new float[k]);
        return Arrays.copyOf(items, n);
    }
}
