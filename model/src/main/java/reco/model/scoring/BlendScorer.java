package reco.model.scoring;

import reco.model.ModelKind;
import reco.model.topk.TopK;
import reco.model.vector.VectorKernels;
import reco.model.vector.VectorUtil;

/**
 * Hybrid models: each component's scores scaled to [.., 1] by its own best score (at least 0), times
 * its weight, summed in component order. The sums are the same floats, in the same order, as adding
 * whole scaled score arrays one after the other would give, so the ranking is exactly that of the
 * plain definition; but nothing is materialised per item:
 *
 * <ul>
 *   <li>sparse components alone: the blend is accumulated over the touched items only;</li>
 *   <li>with an embedding component: a first pass over the item matrix finds its best score (the
 *       scale), a second scores the catalogue again block by block and blends each row on the fly
 *       (rows no sparse component touched need no lookup) straight into the top-K. Scoring twice
 *       reads the matrix twice, and costs less than writing and re-reading a score per item.</li>
 * </ul>
 */
final class BlendScorer implements Scorer {
    private final ModelKind kind;
    private final Scorer.Component[] components;
    private final float[] weights;

    BlendScorer(ModelKind kind, Scorer.Component[] components, float[] weights) {
        this.kind = kind;
        this.components = components;
        this.weights = weights;
    }

    @Override
    public ModelKind kind() {
        return kind;
    }

    @Override
    public boolean rank(ScoringRequest r, ScoringScratch s) {
        int n = components.length;
        boolean scored = false;
        boolean anyDense = false;
        for (int c = 0; c < n; c++) {
            ComponentScores scores = s.slot(c);
            if (components[c].contribute(r, scores)) {
                scores.scale = 0; // set below; a present component always has a scale
                scores.present = true;
                scored = true;
                anyDense |= scores.dense;
            } else {
                scores.present = false;
            }
        }
        if (!scored) {
            return false;
        }
        // Union of sparse components (assign on first touch, then add, in component order): for a
        // sparse-only blend this is the blend itself; with dense components it marks the rows that
        // need the full per-component fold.
        SparseScores union = s.slot(n).beginSparse();
        for (int c = 0; c < n; c++) {
            ComponentScores scores = s.slot(c);
            if (!scores.present) {
                continue;
            }
            if (scores.dense) {
                scores.scale = scale(weights[c], denseMax(scores, s.block(0)));
            } else {
                SparseScores acc = scores.sparse;
                float scale = scale(weights[c], acc.max());
                scores.scale = scale;
                for (int t = 0, m = acc.touchedCount(); t < m; t++) {
                    int item = acc.touched(t);
                    union.add(item, scale * acc.get(item));
                }
            }
        }
        if (!anyDense) {
            NeighborScorer.offerTouched(union, r, s.top);
        } else {
            blendDense(r, s, union);
        }
        return true;
    }

    private static float scale(float weight, float max) {
        return max > 0 ? weight / max : weight;
    }

    /** Best score of a dense component over the whole catalogue, at least 0. */
    private static float denseMax(ComponentScores scores, float[] block) {
        VectorKernels kernels = VectorUtil.active();
        int rows = scores.items.rows();
        float m = 0;
        for (int from = 0; from < rows; from += block.length) {
            int count = Math.min(block.length, rows - from);
            kernels.scoreRange(scores.user, scores.items.vectors(), from, count, block, 0);
            for (int i = 0; i < count; i++) {
                m = Math.max(m, block[i]);
            }
        }
        return m;
    }

    private void blendDense(ScoringRequest r, ScoringScratch s, SparseScores union) {
        VectorKernels kernels = VectorUtil.active();
        TopK top = s.top;
        int n = components.length;
        ComponentScores[] slots = s.slots(n);
        float[][] blocks = s.blocks(n);
        int rows = itemCount(slots);
        for (int from = 0; from < rows; from += DotProductTopK.BLOCK_ROWS) {
            int count = Math.min(DotProductTopK.BLOCK_ROWS, rows - from);
            for (int c = 0; c < n; c++) {
                if (slots[c].present && slots[c].dense) {
                    kernels.scoreRange(slots[c].user, slots[c].items.vectors(), from, count, blocks[c], 0);
                }
            }
            for (int i = 0; i < count; i++) {
                int row = from + i;
                boolean touched = union.contains(row);
                boolean set = false;
                float score = 0;
                for (int c = 0; c < n; c++) {
                    ComponentScores scores = slots[c];
                    if (!scores.present) {
                        continue;
                    }
                    if (scores.dense) {
                        float term = scores.scale * blocks[c][i];
                        score = set ? score + term : 0f + term;
                        set = true;
                    } else if (touched && scores.sparse.contains(row)) {
                        float term = scores.scale * scores.sparse.get(row);
                        score = set ? score + term : term;
                        set = true;
                    }
                }
                if (!top.wouldReject(score) && r.test(row)) {
                    top.offer(row, score);
                }
            }
        }
    }

    private int itemCount(ComponentScores[] slots) {
        for (int c = 0; c < components.length; c++) {
            if (slots[c].present && slots[c].dense) {
                return slots[c].items.rows();
            }
        }
        return 0;
    }
}
