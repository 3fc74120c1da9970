package reco.model.scoring;

import reco.model.generation.EmbeddingMatrix;

/**
 * One model's scores for one request, as the model produced them: sparse (neighbour models: the
 * touched items and their sums) or dense (embedding models: a user vector against the item matrix,
 * scored by whoever reads it, block by block, never stored per item). Per thread, reused.
 */
final class ComponentScores {
    private final int itemCount;
    /** Null until this slot first holds sparse scores. */
    SparseScores sparse;
    private float[] userBuffer;
    float[] user;
    EmbeddingMatrix items;
    boolean dense;

    ComponentScores(int itemCount) {
        this.itemCount = itemCount;
    }

    /** Starts sparse scores (the caller adds to {@link #sparse}). */
    SparseScores beginSparse() {
        dense = false;
        if (sparse == null) {
            sparse = new SparseScores(itemCount);
        }
        sparse.begin();
        return sparse;
    }

    /** Dense scores: {@code user · items row}. */
    void setDense(float[] user, EmbeddingMatrix items) {
        if (user.length != items.dimensions()) {
            throw new IllegalStateException("user vector has " + user.length + " dimensions, items " + items.dimensions());
        }
        this.dense = true;
        this.user = user;
        this.items = items;
    }

    /** Per-item dense scores, for blends (see {@link BlendScorer}); null until a blend needs them. */
    float[] denseScores;

    float[] denseScores(int rows) {
        if (denseScores == null || denseScores.length < rows) {
            denseScores = new float[rows];
        }
        return denseScores;
    }

    /** A reusable buffer for a user vector of {@code dimensions}. */
    float[] userBuffer(int dimensions) {
        if (userBuffer == null || userBuffer.length != dimensions) {
            userBuffer = new float[dimensions];
        }
        return userBuffer;
    }
}
