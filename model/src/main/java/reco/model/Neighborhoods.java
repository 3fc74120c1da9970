package reco.model;

/**
 * Top-K neighbour lists for every item, in memory: item i's neighbours are
 * {@code items[offsets[i] .. offsets[i+1])} with {@code scores} at the same positions, best first.
 * Lists may be shorter than K (or empty). This is what a trainer model produces and what
 * {@code GenerationWriter} stores as a neighbour file.
 */
public record Neighborhoods(int[] offsets, int[] items, float[] scores) {
    public Neighborhoods {
        if (offsets.length == 0 || offsets[0] != 0 || offsets[offsets.length - 1] != items.length
                || items.length != scores.length) {
            throw new IllegalArgumentException("inconsistent neighbour lists: offsets/items/scores disagree");
        }
    }

    public int itemCount() { return offsets.length - 1; }
    public int start(int item) { return offsets[item]; }
    public int end(int item) { return offsets[item + 1]; }
    public int size(int item) { return offsets[item + 1] - offsets[item]; }
    public int maxSize() {
        int max = 0;
        for (int i = 0; i + 1 < offsets.length; i++) {
            max = Math.max(max, offsets[i + 1] - offsets[i]);
        }
        return max;
    }
}
