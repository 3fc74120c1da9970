package reco.trainer.models.als;

import reco.model.Neighborhoods;
import reco.model.topk.TopK;
import reco.trainer.models.parallel.ParallelRange;
import reco.trainer.progress.Progress;

/**
 * Exact top-K cosine neighbours between the rows of an embedding matrix (similar items from
 * collaborative factors). Rows are normalised once; each item's scores against all others are a
 * dense pass, parallel over items. Rows of norm zero get empty lists.
 */
public final class EmbeddingNeighbors {
    private static final int CHUNK = 64;

    private EmbeddingNeighbors() {}

    public static Neighborhoods compute(float[] rows, int count, int dimensions, int k, int threads,
                                        Progress.Factory progressFactory) {
        if (k < 1) {
            throw new IllegalArgumentException("neighbours must be >= 1, got " + k);
        }
        if ((long) count * dimensions != rows.length) {
            throw new IllegalArgumentException("rows length " + rows.length + " != " + count + " x " + dimensions);
        }
        float[] unit = new float[rows.length];
        boolean[] nonZero = new boolean[count];
        for (int i = 0; i < count; i++) {
            double norm = 0;
            for (int c = 0; c < dimensions; c++) {
                double v = rows[i * dimensions + c];
                norm += v * v;
            }
            if (norm > 0) {
                nonZero[i] = true;
                float inv = (float) (1.0 / Math.sqrt(norm));
                for (int c = 0; c < dimensions; c++) {
                    unit[i * dimensions + c] = rows[i * dimensions + c] * inv;
                }
            }
        }
        int kk = Math.min(k, Math.max(1, count - 1));
        int[] listItems = new int[count * kk];
        float[] listScores = new float[count * kk];
        int[] sizes = new int[count];
        int chunks = (count + CHUNK - 1) / CHUNK;
        try (Progress progress = progressFactory.start("als neighbours", count)) {
            ParallelRange.run(chunks, ParallelRange.resolveThreads(threads), "embedding-neighbours", worker -> {
                TopK top = new TopK(kk);
                float[] q = new float[dimensions];
                int[] outItems = new int[kk];
                float[] outScores = new float[kk];
                return chunk -> {
                    int from = chunk * CHUNK, to = Math.min(count, from + CHUNK);
                    for (int i = from; i < to; i++) {
                        if (!nonZero[i]) {
                            continue;
                        }
                        System.arraycopy(unit, i * dimensions, q, 0, dimensions);
                        top.reset(kk);
                        for (int j = 0; j < count; j++) {
                            if (j == i || !nonZero[j]) {
                                continue;
                            }
                            float s = 0;
                            int base = j * dimensions;
                            for (int c = 0; c < dimensions; c++) {
                                s += q[c] * unit[base + c];
                            }
                            if (s > 0 && !top.wouldReject(s)) {
                                top.offer(j, s);
                            }
                        }
                        int n = top.drainInto(outItems, outScores);
                        System.arraycopy(outItems, 0, listItems, i * kk, n);
                        System.arraycopy(outScores, 0, listScores, i * kk, n);
                        sizes[i] = n;
                    }
                    progress.step(to - from);
                };
            });
        }
        int[] offsets = new int[count + 1];
        for (int i = 0; i < count; i++) {
            offsets[i + 1] = offsets[i] + sizes[i];
        }
        int[] items = new int[offsets[count]];
        float[] scores = new float[offsets[count]];
        for (int i = 0; i < count; i++) {
            System.arraycopy(listItems, i * kk, items, offsets[i], sizes[i]);
            System.arraycopy(listScores, i * kk, scores, offsets[i], sizes[i]);
        }
        return new Neighborhoods(offsets, items, scores);
    }
}
