package reco.model.scoring;

/**
 * A {@link Recommendations} after {@link ContextualRanker}: the same fields, plus one reason per item
 * when the request asked for explanations (else null).
 */
public record RankedList(Recommendations recommendations, String[] reasons) {
    public int size() {
        return recommendations.size();
    }
}
