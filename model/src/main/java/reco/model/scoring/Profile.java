package reco.model.scoring;

/** The weighted items a user or session is scored from: items (repeats possible) and weights, parallel. */
final class Profile {
    final int[] items;
    final float[] weights;
    int count;

    Profile(int capacity) {
        items = new int[Math.max(1, capacity)];
        weights = new float[Math.max(1, capacity)];
    }

    void add(int item, float w) {
        items[count] = item;
        weights[count] = w;
        count++;
    }
}
