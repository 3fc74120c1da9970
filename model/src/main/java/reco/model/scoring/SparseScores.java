package reco.model.scoring;

import java.util.Arrays;

/**
 * Per-thread accumulator for neighbour-model scores: a value per item, valid only where the item's
 * stamp equals the current call's, and the list of items touched in first-touch order. A call costs
 * what it touches: {@link #begin()} bumps the stamp instead of clearing anything, and readers walk the
 * touched list, never the catalogue.
 *
 * <p>The value and stamp arrays are indexed by item (a hash map here would cost more than the whole
 * accumulation); they are allocated on the first neighbour-model call of a thread, so a generation
 * served only through embeddings (every large catalogue: those keep no all-pairs neighbour lists)
 * holds no per-item scratch. The touched list grows with what calls touch, not with the catalogue.
 */
final class SparseScores {
    private final int itemCount;
    private float[] values;
    private int[] stamp;
    private int current;
    private int[] touched = new int[64];
    private int touchedCount;

    SparseScores(int itemCount) {
        this.itemCount = itemCount;
    }

    void begin() {
        if (values == null) {
            values = new float[itemCount];
            stamp = new int[itemCount];
        }
        current++;
        if (current == 0) { // wrapped: clear stamps once every 2^32 calls
            Arrays.fill(stamp, 0);
            current = 1;
        }
        touchedCount = 0;
    }

    /** First touch assigns, later ones add (in call order: sums are the same floats every time). */
    void add(int item, float v) {
        if (stamp[item] != current) {
            stamp[item] = current;
            values[item] = v;
            if (touchedCount == touched.length) {
                touched = Arrays.copyOf(touched, touchedCount * 2);
            }
            touched[touchedCount++] = item;
        } else {
            values[item] += v;
        }
    }

    /** {@link #add} of {@code weight * scores[i]} for each {@code items[i]}, {@code i < count}. */
    void addAll(int[] items, float[] scores, int count, float weight) {
        for (int i = 0; i < count; i++) {
            add(items[i], weight * scores[i]);
        }
    }

    /** Buffers for one neighbour list (reused). */
    int[] listItems = new int[0];
    float[] listScores = new float[0];

    void ensureListCapacity(int length) {
        if (listItems.length < length) {
            listItems = new int[length];
            listScores = new float[length];
        }
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
