package reco.model.scoring;

import reco.model.topk.TopK;

import java.util.Arrays;

/**
 * A thread's reusable state for scoring: the top-K heap, the {@link ComponentScores} slots (a model's
 * own scores; a blend's total) and the score block of the fused dot-product scan.
 * Nothing here is sized by the catalogue except what neighbour models and blends allocate on first use.
 */
final class ScoringScratch {
    final TopK top = new TopK(16);
    /** Scores of one block of rows ({@link DotProductTopK#BLOCK_ROWS}). */
    final float[] block = new float[DotProductTopK.BLOCK_ROWS];
    private final int itemCount;
    private ComponentScores[] slots = new ComponentScores[0];

    ScoringScratch(int itemCount) {
        this.itemCount = itemCount;
    }

    ComponentScores slot(int i) {
        if (i >= slots.length) {
            ComponentScores[] grown = Arrays.copyOf(slots, i + 1);
            for (int j = slots.length; j <= i; j++) {
                grown[j] = new ComponentScores(itemCount);
            }
            slots = grown;
        }
        return slots[i];
    }

}
