package reco.model.scoring;

import reco.model.topk.TopK;
import reco.model.vector.VectorKernels;
import reco.model.vector.VectorUtil;

import java.lang.foreign.MemorySegment;
import java.util.function.IntPredicate;

/**
 * Scoring fused with selection for embedding models: the best rows of {@code matrix · q} go straight
 * into a {@link TopK} without materialising a score per item. Rows are scored a block at a time
 * (the kernels stay in their tight loop; the block stays in L1), then each score is compared with the
 * heap minimum before the filter runs, so the filter, usually the costlier test, sees only the few
 * candidates that could still enter the top K.
 */
public final class DotProductTopK {
    /** Rows scored per kernel call: 1 KiB of scores, far below L1, large enough to amortise the call. */
    static final int BLOCK_ROWS = 256;

    private DotProductTopK() {}

    /** {@link #select(VectorKernels, float[], MemorySegment, int, TopK, IntPredicate)} on the active kernels. */
    public static void select(float[] q, MemorySegment matrix, int rows, TopK top, IntPredicate accept) {
        select(VectorUtil.active(), q, matrix, rows, top, accept);
    }

    /**
     * Offers every row {@code r < rows} with score {@code q · row r} to {@code top} when
     * {@code accept.test(r)} (null accepts all). {@code top} must be {@linkplain TopK#reset reset}
     * by the caller; its contents are added to, so several matrices can feed one selection.
     */
    public static void select(VectorKernels kernels, float[] q, MemorySegment matrix, int rows, TopK top,
                              IntPredicate accept) {
        select(kernels, q, matrix, rows, top, accept, new float[Math.min(BLOCK_ROWS, Math.max(rows, 1))]);
    }

    /** {@link #select(VectorKernels, float[], MemorySegment, int, TopK, IntPredicate)} on the active kernels, scoring into {@code block} (reused scratch). */
    static void select(float[] q, MemorySegment matrix, int rows, TopK top, IntPredicate accept, float[] block) {
        select(VectorUtil.active(), q, matrix, rows, top, accept, block);
    }

    private static void select(VectorKernels kernels, float[] q, MemorySegment matrix, int rows, TopK top,
                               IntPredicate accept, float[] block) {
        for (int from = 0; from < rows; from += block.length) {
            int count = Math.min(block.length, rows - from);
            kernels.scoreRange(q, matrix, from, count, block, 0);
            for (int i = 0; i < count; i++) {
                float score = block[i];
                if (top.wouldReject(score)) {
                    continue;
                }
                int row = from + i;
                if (accept == null || accept.test(row)) {
                    top.offer(row, score);
                }
            }
        }
    }
}
