package reco.model.ann;

import reco.model.topk.TopK;
import reco.model.vector.VectorUtil;

import java.lang.foreign.MemorySegment;
import java.util.function.IntPredicate;

/** The oracle: exact top-K by scoring every item with the kernel the index uses. */
final class BruteForce {
    private final MemorySegment vectors;
    private final int rows;

    BruteForce(float[] vectors, int rows) {
        this(MemorySegment.ofArray(vectors), rows);
    }

    BruteForce(MemorySegment vectors, int rows) {
        this.vectors = vectors;
        this.rows = rows;
    }

    int[] topK(float[] query, int k, IntPredicate accept, TopK top) {
        top.reset(k);
        for (int i = 0; i < rows; i++) {
            float score = VectorUtil.dot(query, vectors, i);
            if (!top.wouldReject(score) && (accept == null || accept.test(i))) {
                top.offer(i, score);
            }
        }
        int[] items = new int[k];
        int n = top.drainInto(items, new float[k]);
        return java.util.Arrays.copyOf(items, n);
    }

    /** Fraction of {@code exact} found in {@code approximate}. */
    static double recall(int[] exact, int[] approximate) {
        if (exact.length == 0) {
            return 1;
        }
        java.util.Set<Integer> found = new java.util.HashSet<>();
        for (int i : approximate) {
            found.add(i);
        }
        int hits = 0;
        for (int i : exact) {
            hits += found.contains(i) ? 1 : 0;
        }
        return (double) hits / exact.length;
    }
}
