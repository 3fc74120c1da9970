package reco.model.scoring;

import reco.model.ModelKind;

/**
 * How one model kind scores a {@link ScoringRequest}; {@link Recommender} builds one per model of a
 * generation when it loads, so a request only looks its scorer up.
 */
sealed interface Scorer permits NeighborScorer, EmbeddingScorer, BlendScorer {
    ModelKind kind();

    /**
     * Offers the accepted candidates ({@link ScoringRequest#test}) with their scores to
     * {@code scratch.top}, already reset to k; false when the model has no scores for this profile.
     */
    boolean rank(ScoringRequest request, ScoringScratch scratch);

    /** A model that can be a blend component: its own scores for the request into {@code into}. */
    sealed interface Component permits NeighborScorer, EmbeddingScorer {
        /** False when the model has no scores for this profile ({@code into} then holds nothing valid). */
        boolean contribute(ScoringRequest request, ComponentScores into);
    }
}
