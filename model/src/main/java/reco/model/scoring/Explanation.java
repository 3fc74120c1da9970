package reco.model.scoring;

import reco.model.ModelKind;

import java.util.List;

/**
 * Why a model scores an item: the profile items' contributions, largest |contribution| first. For a
 * single model the contributions sum to {@link #score()}; for a hybrid each component's contributions
 * are already scaled by its blend weight over its best score ({@link #scaledComponents()}).
 */
public record Explanation(ModelKind model, float score, List<Contribution> contributions, boolean scaledComponents) {
    /**
     * One profile item's share.
     *
     * @param item the contributing profile item (dense index)
     * @param contribution its share of the score
     * @param weight its profile weight (ALS: the confidence c_ui)
     * @param similarity the item-item term: neighbour score, or y_j^T W_u y_i for ALS
     * @param sharedCategories catalogue category ids it shares with the explained item (content only)
     */
    public record Contribution(int item, float contribution, float weight, float similarity, int[] sharedCategories) {}

    /** The best contributor, or null when nothing contributed positively. */
    public Contribution top() {
        return contributions.isEmpty() || contributions.getFirst().contribution() <= 0 ? null : contributions.getFirst();
    }
}
