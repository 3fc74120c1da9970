package reco.trainer.models.topk;

/**
 * Bounded, allocation-free top-K selection of (id, float score) pairs, after Lucene's
 * {@code NeighborQueue}: a binary min-heap of {@code long} keys that pack the score (order-preserving
 * bits) in the high half and the complement of the id in the low half. Comparing two keys as longs
 * therefore ranks by score, then by <em>lower</em> id on equal scores, so the kept set and its order
 * do not depend on the order in which candidates arrive. One instance per thread; {@link #clear()}
 * between uses.
 */
public final class TopKHeap {
    private final long[] heap; // 1-based min-heap; heap[1] is the weakest kept candidate
    private final int capacity;
    private int size;

    public TopKHeap(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.heap = new long[capacity + 1];
    }

    public int capacity() { return capacity; }
    public int size() { return size; }
    public void clear() { size = 0; }

    /** Offers a candidate; ids must be >= 0. NaN scores are rejected by the caller's contract (ignored here). */
    public void offer(int id, float score) {
        long key = encode(id, score);
        if (size < capacity) {
            size++;
            heap[size] = key;
            siftUp(size);
        } else if (key > heap[1]) {
            heap[1] = key;
            siftDown(1);
        }
    }

    /**
     * True when a candidate with this score could still enter the heap; lets hot loops skip the
     * encoding work for hopeless candidates.
     */
    public boolean competitive(float score) {
        return size < capacity || sortableBits(score) >= (int) (heap[1] >> 32);
    }

    /**
     * Empties the heap into {@code ids}/{@code scores} starting at {@code offset}, best first, and
     * returns the number written.
     */
    public int drainBestFirst(int[] ids, float[] scores, int offset) {
        int n = size;
        for (int pos = n - 1; pos >= 0; pos--) {
            long key = heap[1];
            ids[offset + pos] = decodeId(key);
            scores[offset + pos] = decodeScore(key);
            heap[1] = heap[size];
            size--;
            if (size > 0) {
                siftDown(1);
            }
        }
        return n;
    }

    private void siftUp(int pos) {
        long key = heap[pos];
        while (pos > 1) {
            int parent = pos >>> 1;
            if (heap[parent] <= key) {
                break;
            }
            heap[pos] = heap[parent];
            pos = parent;
        }
        heap[pos] = key;
    }

    private void siftDown(int pos) {
        long key = heap[pos];
        int half = size >>> 1;
        while (pos <= half) {
            int child = pos << 1;
            if (child < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= key) {
                break;
            }
            heap[pos] = heap[child];
            pos = child;
        }
        heap[pos] = key;
    }

    /** Float bits remapped so that signed int order equals float order (negative floats included). */
    public static int sortableBits(float score) {
        int bits = Float.floatToIntBits(score);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    static long encode(int id, float score) {
        return ((long) sortableBits(score) << 32) | (0xffffffffL - id);
    }

    static int decodeId(long key) {
        return (int) (0xffffffffL - (key & 0xffffffffL));
    }

    static float decodeScore(long key) {
        int bits = (int) (key >> 32);
        return Float.intBitsToFloat(bits ^ ((bits >> 31) & 0x7fffffff));
    }
}
