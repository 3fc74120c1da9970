package reco.model.scoring;

import reco.model.ModelKind;

/**
 * A ranked answer: dense item indexes and scores, best first; the model that produced it; and, when
 * the requested model could not answer, why another strategy served it.
 */
public record Recommendations(int[] items, float[] scores, ModelKind servedBy, String fallbackReason) {
    public int size() {
        return items.length;
    }

    public boolean isFallback() {
        return fallbackReason != null;
    }
}
