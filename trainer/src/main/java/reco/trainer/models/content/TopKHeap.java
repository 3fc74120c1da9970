package reco.trainer.models.content;

import java.util.Arrays;

/**
 * Bounded min-heap keeping the K best (score, item) pairs, allocation-free after construction (in
 * the manner of Lucene's NeighborQueue). Each entry is packed in one {@code long}: the float bits of
 * a positive score in the high half (monotone for positive floats) and {@code MAX_VALUE - item} in
 * the low half, so a larger long is a better entry and equal scores prefer the lower item index.
 * Only positive scores may be offered.
 */
final class TopKHeap {
    private final long[] heap;
    private int size;

    TopKHeap(int capacity) {
        heap = new long[capacity];
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    boolean full() {
        return size == heap.length;
    }

    /** Score of the worst kept entry; only meaningful when the heap is not empty. */
    float worstScore() {
        return score(heap[0]);
    }

    static long pack(float score, int item) {
        return ((long) Float.floatToRawIntBits(score) << 32) | (Integer.MAX_VALUE - item);
    }

    static float score(long packed) {
        return Float.intBitsToFloat((int) (packed >>> 32));
    }

    static int item(long packed) {
        return Integer.MAX_VALUE - (int) packed;
    }

    /** Adds the entry if the heap is not full or it beats the current worst. */
    void offer(float score, int item) {
        long entry = pack(score, item);
        if (size < heap.length) {
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heap[parent] <= entry) break;
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = entry;
        } else if (entry > heap[0]) {
            siftDownFromRoot(entry);
        }
    }

    private void siftDownFromRoot(long entry) {
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right] < heap[child]) child = right;
            if (entry <= heap[child]) break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = entry;
    }

    /**
     * Writes the entries best first into {@code items}/{@code scores} from {@code offset} and
     * empties the heap; returns the number written.
     */
    int drainBestFirst(int[] items, float[] scores, int offset) {
        Arrays.sort(heap, 0, size);
        int n = size;
        for (int k = 0; k < n; k++) {
            long entry = heap[n - 1 - k];
            items[offset + k] = item(entry);
            scores[offset + k] = score(entry);
        }
        size = 0;
        return n;
    }
}
