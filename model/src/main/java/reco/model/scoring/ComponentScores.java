package reco.model.scoring;

import reco.model.generation.EmbeddingMatrix;

/**
 * One model's scores for one request, as the model produced them: sparse (neighbour models: the
 * touched items and their sums) or dense (embedding models: a user vector against the item matrix,
 * scored by whoever reads it, block by block, never stored per item). Per thread, reused.
 */
final class ComponentScores {
    final SparseScores sparse;
    private float[] userBuffer;
    float[] user;
    EmbeddingMatrix items;
    boolean dense;
    /** Set by a blend: whether this component scored the request, and its scale (weight / best score). */
    boolean present;
    float scale;

    ComponentScores(int itemCount) {
        sparse = new SparseScores(itemCount);
    }

    /** Starts sparse scores (the caller adds to {@link #sparse}). */
    SparseScores beginSparse() {
        dense = false;
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

    /** A reusable buffer for a user vector of {@code dimensions}. */
    float[] userBuffer(int dimensions) {
        if (userBuffer == null || userBuffer.length != dimensions) {
            userBuffer = new float[dimensions];
        }
        return userBuffer;
    }
}
