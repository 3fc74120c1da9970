package reco.model.scoring;

import reco.model.topk.TopK;

/**
 * A thread's reusable state for scoring: the top-K heap, one {@link ComponentScores} per blend
 * component (plus one for the blend's total) and the score blocks of the fused dot-product passes.
 * Nothing here is sized by the catalogue except the sparse arrays neighbour models allocate on first use.
 */
final class ScoringScratch {
    final TopK top = new TopK(16);
    private final int itemCount;
    private ComponentScores[] slots = new ComponentScores[0];
    private float[][] blocks = new float[0][];

    ScoringScratch(int itemCount) {
        this.itemCount = itemCount;
    }

    ComponentScores slot(int i) {
        if (i >= slots.length) {
            ComponentScores[] grown = java.util.Arrays.copyOf(slots, i + 1);
            for (int j = slots.length; j <= i; j++) {
                grown[j] = new ComponentScores(itemCount);
            }
            slots = grown;
        }
        return slots[i];
    }

    /** The slots, at least {@code count} of them. */
    ComponentScores[] slots(int count) {
        slot(count - 1);
        return slots;
    }

    /** Score blocks, at least {@code count} of them. */
    float[][] blocks(int count) {
        block(count - 1);
        return blocks;
    }

    /** Score block {@code i} ({@link DotProductTopK#BLOCK_ROWS} floats). */
    float[] block(int i) {
        if (i >= blocks.length) {
            float[][] grown = java.util.Arrays.copyOf(blocks, i + 1);
            for (int j = blocks.length; j <= i; j++) {
                grown[j] = new float[DotProductTopK.BLOCK_ROWS];
            }
            blocks = grown;
        }
        return blocks[i];
    }
}
