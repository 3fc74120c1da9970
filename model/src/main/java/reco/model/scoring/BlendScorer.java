package reco.model.scoring;

import reco.model.ModelKind;
import reco.model.topk.TopK;
import reco.model.vector.VectorUtil;

/**
 * Hybrid models: each component's scores scaled to [.., 1] by its own best score (at least 0), times
 * its weight, summed in component order into one per-item accumulator. The components are scored one
 * after the other into one reused slot, so a blend holds two per-item accumulators however many
 * components it has. Sparse components add over their touched items only; an embedding component
 * scores the catalogue once into a per-item array (its best score is the scale) and is added to every
 * item. The sums are the same floats, in the same order, as the plain definition (tested bit for bit).
 * Blends are served on catalogues with all-pairs neighbour lists, whose accumulators are per item anyway.
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
        ComponentScores part = s.slot(0);
        SparseScores total = s.slot(1).beginSparse();
        boolean scored = false;
        for (int c = 0; c < components.length; c++) {
            if (!components[c].contribute(r, part)) {
                continue;
            }
            scored = true;
            if (part.dense) {
                int rows = part.items.rows();
                float[] all = part.denseScores(rows);
                VectorUtil.active().scoreRange(part.user, part.items.vectors(), 0, rows, all, 0);
                float max = 0;
                for (int i = 0; i < rows; i++) {
                    max = Math.max(max, all[i]);
                }
                total.addDense(scale(weights[c], max), all, rows);
            } else {
                SparseScores acc = part.sparse;
                float scale = scale(weights[c], acc.max());
                for (int t = 0, m = acc.touchedCount(); t < m; t++) {
                    int item = acc.touched(t);
                    total.add(item, scale * acc.get(item));
                }
            }
        }
        if (!scored) {
            return false;
        }
        if (total.isDense()) {
            TopK top = s.top;
            for (int row = 0, rows = total.itemCount(); row < rows; row++) {
                float score = total.get(row);
                if (!top.wouldReject(score) && r.test(row)) {
                    top.offer(row, score);
                }
            }
        } else {
            NeighborScorer.offerTouched(total, r, s.top);
        }
        return true;
    }

    private static float scale(float weight, float max) {
        return max > 0 ? weight / max : weight;
    }
}
