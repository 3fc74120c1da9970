package reco.model.topk;

/**
 * Bounded top-K selection without allocation per candidate: a binary min-heap of longs, each packing
 * an order-preserving form of the float score (high 32 bits) and the complemented item index (low 32
 * bits), so larger keys are better and equal scores prefer the lower index. Candidates at or below
 * the current minimum are rejected with one comparison. Reusable via {@link #reset(int)}; draining
 * allocates nothing. The one bounded top-K of the project: serving, the approximate index and the
 * trainer's neighbour lists all select through it, so ties break the same way everywhere.
 */
public final class TopK {
    private long[] heap;
    private int k;
    private int size;

    /** A heap bounded at {@code capacity} (>= 1), ready to use; {@link #reset(int)} changes the bound. */
    public TopK(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        heap = new long[capacity];
        k = capacity;
    }

    /** Empties the heap, keeping the bound. */
    public void clear() {
        size = 0;
    }

    /** Empties the heap and sets the bound; grows storage when needed. */
    public TopK reset(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        if (heap.length < k) {
            heap = new long[k];
        }
        this.k = k;
        this.size = 0;
        return this;
    }

    /** Float bits remapped so that signed int order equals float order (negative floats included). */
    public static int sortableBits(float score) {
        int bits = Float.floatToIntBits(score);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    static long pack(float score, int item) {
        return ((long) sortableBits(score) << 32) | (~item & 0xffffffffL);
    }

    static float unpackScore(long key) {
        int sortable = (int) (key >> 32);
        int bits = sortable ^ ((sortable >> 31) & 0x7fffffff);
        return Float.intBitsToFloat(bits);
    }

    static int unpackItem(long key) {
        return ~(int) key;
    }

    /** Offers a candidate; returns true when it entered the heap. NaN scores are rejected. */
    public boolean offer(int item, float score) {
        if (score != score) {
            return false;
        }
        long key = pack(score, item);
        if (size < k) {
            heap[size] = key;
            siftUp(size++);
            return true;
        }
        if (key <= heap[0]) {
            return false;
        }
        heap[0] = key;
        siftDown(0);
        return true;
    }

    /** True when the heap is full and {@code score} could not enter it (cheap pre-check). */
    public boolean wouldReject(float score) {
        return size == k && pack(score, 0) <= heap[0];
    }

    public int size() {
        return size;
    }

    public boolean isFull() {
        return size == k;
    }

    /** The lowest score held (only meaningful when non-empty). */
    public float minScore() {
        return unpackScore(heap[0]);
    }

    private void siftUp(int i) {
        long key = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= key) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = key;
    }

    private void siftDown(int i) {
        long key = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right] < heap[child]) {
                child = right;
            }
            if (key <= heap[child]) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = key;
    }

    /** Writes the held items best first into the arrays (length >= size) and returns the count. */
    public int drainInto(int[] items, float[] scores) {
        return drainInto(items, scores, 0);
    }

    /**
     * Empties the heap into {@code items}/{@code scores} from {@code offset} on, best first, and returns
     * the count. Pops the minimum into the last free place each time (an in-place heap sort): no allocation.
     */
    public int drainInto(int[] items, float[] scores, int offset) {
        int n = size;
        for (int pos = n - 1; pos >= 0; pos--) {
            long key = heap[0];
            items[offset + pos] = unpackItem(key);
            scores[offset + pos] = unpackScore(key);
            heap[0] = heap[--size];
            if (size > 0) {
                siftDown(0);
            }
        }
        return n;
    }
}
