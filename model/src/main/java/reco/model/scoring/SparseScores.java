package reco.model.scoring;

import java.util.Arrays;

/**
 * Per-thread accumulator for neighbour-model scores: a value per item, valid only where the item's
 * stamp equals the current call's, and the list of items touched in first-touch order. A call costs
 * what it touches: {@link #begin()} bumps the stamp instead of clearing anything, and readers walk the
 * touched list, never the catalogue.
 *
 * <p>The arrays are indexed by item (a hash map here would cost more than the whole accumulation; a
 * growable touched list measured 2-3x slower in this loop); they are allocated on the first
 * neighbour-model call of a thread, so a generation served only through embeddings (every large
 * catalogue: those keep no all-pairs neighbour lists) holds no per-item scratch.
 */
final class SparseScores {
    private final float[] values;
    private final int[] stamp;
    private final int[] touched;
    private int current;
    private int touchedCount;
    private boolean dense;

    SparseScores(int itemCount) {
        values = new float[itemCount];
        stamp = new int[itemCount];
        touched = new int[itemCount];
    }

    void begin() {
        current++;
        if (current == 0) { // wrapped: clear stamps once every 2^32 calls
            Arrays.fill(stamp, 0);
            current = 1;
        }
        touchedCount = 0;
        dense = false;
    }

    /** First touch assigns, later ones add (in call order: sums are the same floats every time). */
    void add(int item, float v) {
        if (stamp[item] != current) {
            stamp[item] = current;
            values[item] = v;
            touched[touchedCount++] = item;
        } else {
            values[item] += v;
        }
    }
    /**
     * Adds {@code scale * scores[i]} to every item {@code i < rows}, untouched ones starting from 0:
     * from here on every item holds a value ({@link #isDense()}) and readers walk all rows.
     */
    void addDense(float scale, float[] scores, int rows) {
        if (!dense) {
            for (int i = 0; i < rows; i++) {
                if (stamp[i] != current) {
                    stamp[i] = current;
                    values[i] = 0;
                }
            }
            dense = true;
        }
        for (int i = 0; i < rows; i++) {
            values[i] += scale * scores[i];
        }
    }

    /** True after {@link #addDense}: every item holds a value, the touched list is incomplete. */
    boolean isDense() {
        return dense;
    }

    /** Item count (the length of the per-item arrays). */
    int itemCount() {
        return values.length;
    }

    boolean contains(int item) {
        return stamp[item] == current;
    }

    /** The value of a touched item. */
    float get(int item) {
        return values[item];
    }

    int touchedCount() {
        return touchedCount;
    }

    /** The {@code t}-th item touched (first-touch order). */
    int touched(int t) {
        return touched[t];
    }

    /** The largest value, and at least 0 (the blend's scale: scores end in [.., 1]). */
    float max() {
        float m = 0;
        for (int t = 0; t < touchedCount; t++) {
            m = Math.max(m, values[touched[t]]);
        }
        return m;
    }
}
