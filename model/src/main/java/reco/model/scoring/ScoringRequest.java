package reco.model.scoring;

import reco.model.ModelKind;

import java.util.function.IntPredicate;

/**
 * One personalised request, resolved once: the model that serves it, who asks ({@code user} is a dense
 * index or -1), the profile the scorers read, whether the profile has items beyond the stored history
 * (then a stored user vector is stale and embeddings fold in), what must not be returned, and how many.
 */
record ScoringRequest(ModelKind kind, int user, Profile profile, boolean extraItems, IntSet exclude,
                      ItemFilter filter, int k) implements IntPredicate {
    /** True when {@code item} may be returned (not excluded, passes the filter). */
    @Override
    public boolean test(int item) {
        return !exclude.contains(item) && filter.accepts(item);
    }
}
