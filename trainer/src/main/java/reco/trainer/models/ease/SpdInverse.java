package reco.trainer.models.ease;

import reco.trainer.models.parallel.ParallelRange;
import reco.trainer.progress.Progress;

/**
 * In-place inverse of a dense symmetric positive-definite matrix, in double precision, using one
 * n x n array and O(n) extra memory. About n^3 flops (n^3/3 per phase).
 *
 * <ol>
 *   <li>Cholesky A = L L^T, left-looking by block columns; L overwrites the lower triangle.</li>
 *   <li>M = L^-T (upper triangular) into the strict upper triangle, its diagonal 1/L_ii in a vector:
 *       from L^T M = I, {@code M[j][i] = -(sum_{k=j}^{i-1} L[i][k] M[j][k]) / L[i][i]} for j < i.</li>
 *   <li>A^-1 = L^-T L^-1 = M M^T: {@code P[j][i] = sum_{k>=j} M[i][k] M[j][k]} (i <= j) into the
 *       strict lower triangle (L is no longer needed), then mirrored to the upper triangle.</li>
 * </ol>
 *
 * In all three phases the inner work is a dot product of two <em>rows</em> (L rows in 1, an M row with
 * an L row in 2, two M rows in 3), so every operand is contiguous in the row-major array, and the bulk
 * of each phase is one tiled kernel ({@link DenseKernels#accumulateRowDots}) run in parallel over
 * independent row tiles. Each output entry is summed in a fixed order, so results do not depend on the
 * thread count.
 */
public final class SpdInverse {
    /** Row/column tile of the parallel kernels. */
    static final int TILE = 64;
    /** Width of a block column in phases 1 and 2; a multiple of {@link #TILE}. */
    static final int BLOCK = 128;
    /** Largest n: n * n must index one Java array. */
    public static final int MAX_ORDER = 46_340;

    private SpdInverse() {}

    /**
     * Replaces the symmetric positive-definite matrix whose lower triangle (diagonal included) is in
     * {@code a} (row-major, {@code a[i*n + j]}; the upper triangle is ignored) by its full symmetric
     * inverse.
     *
     * @throws IllegalArgumentException if the matrix is not numerically positive definite (a Cholesky
     *                                  pivot is <= 0 or not finite); {@code a} is then garbage
     */
    public static void invertInPlace(double[] a, int n, int threads, Progress.Factory progress) {
        if (n < 0 || n > MAX_ORDER) {
            throw new IllegalArgumentException("n must be in [0, " + MAX_ORDER + "], got " + n);
        }
        if (a.length < n * n) {
            throw new IllegalArgumentException("array of length " + a.length + " cannot hold a " + n + " x " + n + " matrix");
        }
        if (n == 0) {
            return;
        }
        int workers = ParallelRange.resolveThreads(threads);
        double[] inverseDiagonal = new double[n];
        try (Progress bar = progress.start("ease cholesky", blockCount(n))) {
            cholesky(a, n, workers, bar);
        }
        for (int i = 0; i < n; i++) {
            inverseDiagonal[i] = 1.0 / a[i * n + i];
        }
        try (Progress bar = progress.start("ease triangular inverse", blockCount(n))) {
            invertTriangle(a, n, inverseDiagonal, workers, bar);
        }
        try (Progress bar = progress.start("ease inverse product", tileCount(n))) {
            multiplyByTranspose(a, n, inverseDiagonal, workers, bar);
        }
    }

    private static int blockCount(int n) { return (n + BLOCK - 1) / BLOCK; }
    private static int tileCount(int n) { return (n + TILE - 1) / TILE; }

    /** Phase 1: lower triangle := L with A = L L^T (diagonal included). */
    static void cholesky(double[] a, int n, int workers, Progress bar) {
        for (int c0 = 0; c0 < n; c0 += BLOCK) {
            int c1 = Math.min(n, c0 + BLOCK);
            int blockStart = c0;
            if (c0 > 0) {
                // A[i][j] -= sum_{k < c0} L[i][k] L[j][k] for every row i >= c0 and column j of the block.
                int tiles = (n - c0 + TILE - 1) / TILE;
                ParallelRange.run(tiles, workers, "ease-cholesky", w -> t -> {
                    int x0 = blockStart + t * TILE;
                    DenseKernels.accumulateRowDots(a, n, x0, Math.min(n, x0 + TILE), blockStart, c1, 0, blockStart, -1.0);
                });
            }
            // Diagonal block, unblocked: small (BLOCK^3 / 6 multiply-adds).
            for (int j = c0; j < c1; j++) {
                int rowJ = j * n;
                double pivot = a[rowJ + j] - DenseKernels.dot(a, rowJ + c0, rowJ + c0, j - c0);
                if (!(pivot > 0) || Double.isInfinite(pivot)) {
                    throw new IllegalArgumentException("matrix is not positive definite: Cholesky pivot " + j
                            + " is " + pivot + " (increase the regularisation)");
                }
                double diag = Math.sqrt(pivot);
                a[rowJ + j] = diag;
                for (int i = j + 1; i < c1; i++) {
                    int rowI = i * n;
                    a[rowI + j] = (a[rowI + j] - DenseKernels.dot(a, rowI + c0, rowJ + c0, j - c0)) / diag;
                }
            }
            // Panel below the diagonal block: forward substitution with the block's L, row by row.
            if (c1 < n) {
                int tiles = (n - c1 + TILE - 1) / TILE;
                ParallelRange.run(tiles, workers, "ease-cholesky", w -> t -> {
                    int x0 = c1 + t * TILE;
                    int x1 = Math.min(n, x0 + TILE);
                    for (int i = x0; i < x1; i++) {
                        int rowI = i * n;
                        for (int j = blockStart; j < c1; j++) {
                            int rowJ = j * n;
                            a[rowI + j] = (a[rowI + j] - DenseKernels.dot(a, rowI + blockStart, rowJ + blockStart, j - blockStart))
                                    / a[rowJ + j];
                        }
                    }
                });
            }
            bar.step(1);
        }
    }

    /**
     * Phase 2: strict upper triangle := M = L^-T (whose diagonal is {@code inverseDiagonal}); the
     * strict lower triangle keeps L and the diagonal slots keep L's diagonal.
     */
    static void invertTriangle(double[] a, int n, double[] inverseDiagonal, int workers, Progress bar) {
        int rowTiles = (n + TILE - 1) / TILE;
        ParallelRange.run(rowTiles, workers, "ease-trinv", w -> t -> {
            for (int j = t * TILE, end = Math.min(n, j + TILE); j < end; j++) {
                java.util.Arrays.fill(a, j * n + j + 1, j * n + n, 0.0);
            }
        });
        for (int c0 = 0; c0 < n; c0 += BLOCK) {
            int c1 = Math.min(n, c0 + BLOCK);
            int blockStart = c0;
            // Bulk: for rows j in whole tiles [r0, r1) below c0, the terms k in [r1, c0) of
            // sum_k L[i][k] M[j][k]; the few k in (j, r1) are added per row below.
            int bulkTiles = c0 / TILE;
            if (bulkTiles > 0) {
                ParallelRange.run(bulkTiles, workers, "ease-trinv", w -> t -> {
                    int r0 = t * TILE;
                    int r1 = r0 + TILE;
                    if (r1 < blockStart) {
                        DenseKernels.accumulateRowDots(a, n, r0, r1, blockStart, c1, r1, blockStart, 1.0);
                    }
                });
            }
            int finishTiles = (c1 + TILE - 1) / TILE;
            ParallelRange.run(finishTiles, workers, "ease-trinv", w -> t -> {
                int r0 = t * TILE;
                int r1 = Math.min(c1, r0 + TILE);
                for (int j = r0; j < r1; j++) {
                    int rowJ = j * n;
                    double diagJ = inverseDiagonal[j];
                    for (int i = Math.max(blockStart, j + 1); i < c1; i++) {
                        int rowI = i * n;
                        double sum = a[rowJ + i] + a[rowI + j] * diagJ; // bulk part + the k = j term
                        if (j < blockStart) {
                            int edgeEnd = Math.min(r0 + TILE, blockStart);
                            sum += DenseKernels.dot(a, rowI + j + 1, rowJ + j + 1, edgeEnd - j - 1);
                            sum += DenseKernels.dot(a, rowI + blockStart, rowJ + blockStart, i - blockStart);
                        } else {
                            sum += DenseKernels.dot(a, rowI + j + 1, rowJ + j + 1, i - j - 1);
                        }
                        a[rowJ + i] = -sum * inverseDiagonal[i];
                    }
                }
            });
            bar.step(1);
        }
    }

    /**
     * Phase 3: P = M M^T into the strict lower triangle, then mirrored into the upper one, with its
     * diagonal. {@code P[j][i] = M[i][j] M[j][j] + sum_{k>j} M[i][k] M[j][k]} for j > i.
     */
    static void multiplyByTranspose(double[] a, int n, double[] inverseDiagonal, int workers, Progress bar) {
        int tiles = (n + TILE - 1) / TILE;
        double[] diagonal = new double[n];
        ParallelRange.run(tiles, workers, "ease-product", w -> t -> {
            for (int j = t * TILE, end = Math.min(n, j + TILE); j < end; j++) {
                java.util.Arrays.fill(a, j * n, j * n + j, 0.0);
            }
        });
        // Tile t (rows i in [r0, r1)) owns columns [r0, r1) of the lower triangle; tile 0 is the most
        // work, and ParallelRange hands out tiles in order, so the big ones start first.
        ParallelRange.run(tiles, workers, "ease-product", w -> t -> {
            int r0 = t * TILE;
            int r1 = Math.min(n, r0 + TILE);
            for (int s0 = r1; s0 < n; s0 += TILE) {
                int s1 = Math.min(n, s0 + TILE);
                if (s1 < n) {
                    DenseKernels.accumulateRowDots(a, n, s0, s1, r0, r1, s1, n, 1.0);
                }
                for (int j = s0; j < s1; j++) {
                    int rowJ = j * n;
                    double diagJ = inverseDiagonal[j];
                    for (int i = r0; i < r1; i++) {
                        int rowI = i * n;
                        a[rowJ + i] += a[rowI + j] * diagJ + DenseKernels.dot(a, rowI + j + 1, rowJ + j + 1, s1 - j - 1);
                    }
                }
            }
            for (int i = r0; i < r1; i++) {
                int rowI = i * n;
                for (int j = i + 1; j < r1; j++) {
                    int rowJ = j * n;
                    a[rowJ + i] = a[rowI + j] * inverseDiagonal[j] + DenseKernels.dot(a, rowI + j + 1, rowJ + j + 1, n - j - 1);
                }
                diagonal[i] = inverseDiagonal[i] * inverseDiagonal[i] + DenseKernels.dot(a, rowI + i + 1, rowI + i + 1, n - i - 1);
            }
            bar.step(1);
        });
        // Mirror: the strict upper triangle (M) is dead now; copy P across, tile by tile.
        ParallelRange.run(tiles, workers, "ease-mirror", w -> t -> {
            int r0 = t * TILE;
            int r1 = Math.min(n, r0 + TILE);
            for (int c0 = r0; c0 < n; c0 += TILE) {
                int c1 = Math.min(n, c0 + TILE);
                for (int i = r0; i < r1; i++) {
                    for (int j = Math.max(c0, i + 1); j < c1; j++) {
                        a[i * n + j] = a[j * n + i];
                    }
                }
            }
            for (int i = r0; i < r1; i++) {
                a[i * n + i] = diagonal[i];
            }
        });
    }
}
