package reco.model.scoring;

import reco.model.ModelKind;
import reco.model.ann.IvfIndex;
import reco.model.generation.EmbeddingMatrix;
import reco.model.generation.Generation;

/**
 * Embedding models (ALS): an item scores {@code user vector · item vector}. The user vector is the
 * stored one for a known user asking without extra items, else folded in from the profile. Scores are
 * never stored per item: the catalogue is scored in blocks straight into the top-K
 * ({@link DotProductTopK}), or, when the generation has an approximate index for the model (large
 * catalogues), only the index's probed lists are. Without a user vector the model's neighbour lists,
 * if any, score the profile instead.
 */
final class EmbeddingScorer implements Scorer, Scorer.Component {
    private final ModelKind kind;
    private final Generation generation;
    private final EmbeddingMatrix items;
    private final EmbeddingMatrix users; // null: every user is folded in
    private final Recommender.FoldIn foldIn;
    private final NeighborScorer neighbors; // null: none
    private final IvfIndex index; // null: exact scoring

    EmbeddingScorer(ModelKind kind, Generation generation, Recommender.FoldIn foldIn, NeighborScorer neighbors) {
        this.kind = kind;
        this.generation = generation;
        this.items = generation.itemEmbeddings(kind);
        this.users = generation.userEmbeddings(kind);
        this.foldIn = foldIn;
        this.neighbors = neighbors;
        this.index = generation.approximateIndex(kind);
    }

    @Override
    public ModelKind kind() {
        return kind;
    }

    @Override
    public boolean contribute(ScoringRequest r, ComponentScores into) {
        float[] u = userVector(r, into);
        if (u != null) {
            into.setDense(u, items);
            return true;
        }
        return neighbors != null && neighbors.contribute(r, into);
    }

    private float[] userVector(ScoringRequest r, ComponentScores into) {
        if (r.user() >= 0 && !r.extraItems() && users != null) {
            float[] u = into.userBuffer(users.dimensions());
            users.copyRow(r.user(), u);
            return u;
        }
        if (foldIn != null) {
            Profile p = r.profile();
            return foldIn.userVector(generation, kind, p.items, p.weights, p.count);
        }
        return null;
    }

    @Override
    public boolean rank(ScoringRequest r, ScoringScratch s) {
        ComponentScores scores = s.slot(0);
        if (!contribute(r, scores)) {
            return false;
        }
        if (!scores.dense) {
            NeighborScorer.offerTouched(scores.sparse, r, s.top);
        } else if (index != null) {
            index.search(scores.user, r.k(), s.top, r);
        } else {
            DotProductTopK.select(scores.user, items.vectors(), items.rows(), s.top, r, s.block);
        }
        return true;
    }
}
