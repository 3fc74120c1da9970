package reco.model.scoring;

import reco.model.ModelKind;
import reco.model.generation.NeighborLists;
import reco.model.topk.TopK;

/**
 * Neighbour models (content, item-kNN, EASE): an item scores the sum, over the profile's items, of
 * profile weight x the item's score in that profile item's neighbour list. Only touched items are
 * accumulated and ranked.
 */
final class NeighborScorer implements Scorer, Scorer.Component {
    private final ModelKind kind;
    private final NeighborLists lists; // null: the model has none (an error when asked to score)

    NeighborScorer(ModelKind kind, NeighborLists lists) {
        this.kind = kind;
        this.lists = lists;
    }

    @Override
    public ModelKind kind() {
        return kind;
    }

    @Override
    public boolean contribute(ScoringRequest r, ComponentScores into) {
        SparseScores acc = into.beginSparse();
        Profile profile = r.profile();
        boolean any = false;
        for (int p = 0; p < profile.count; p++) {
            any |= accumulate(acc, profile.items[p], profile.weights[p]);
        }
        return any;
    }

    /** Adds weight x neighbour score of {@code item}'s list; false when the list is empty. */
    boolean accumulate(SparseScores acc, int item, float weight) {
        if (lists == null) {
            throw new UnsupportedModelException("the " + kind + " model of this generation has no neighbour lists");
        }
        long start = lists.start(item), end = lists.end(item);
        for (long p = start; p < end; p++) {
            acc.add(lists.neighbor(p), weight * lists.score(p));
        }
        return start != end;
    }

    @Override
    public boolean rank(ScoringRequest r, ScoringScratch s) {
        ComponentScores scores = s.slot(0);
        if (!contribute(r, scores)) {
            return false;
        }
        offerTouched(scores.sparse, r, s.top);
        return true;
    }

    static void offerTouched(SparseScores acc, ScoringRequest r, TopK top) {
        for (int t = 0, n = acc.touchedCount(); t < n; t++) {
            int item = acc.touched(t);
            float score = acc.get(item);
            if (!top.wouldReject(score) && r.test(item)) {
                top.offer(item, score);
            }
        }
    }
}
