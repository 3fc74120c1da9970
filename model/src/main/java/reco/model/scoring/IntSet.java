package reco.model.scoring;

/** A small open-addressing set of non-negative ints (request-scoped exclusions and allow-lists). */
public final class IntSet {
    private int[] slots;
    private int size;

    public IntSet(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        slots = new int[cap];
        java.util.Arrays.fill(slots, -1);
    }

    public boolean add(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative value " + v);
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        int i = mix(v) & mask;
        while (slots[i] != -1) {
            if (slots[i] == v) {
                return false;
            }
            i = (i + 1) & mask;
        }
        slots[i] = v;
        size++;
        return true;
    }

    public boolean contains(int v) {
        int mask = slots.length - 1;
        int i = mix(v) & mask;
        int s;
        while ((s = slots[i]) != -1) {
            if (s == v) {
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    public int size() {
        return size;
    }

    private void grow() {
        int[] old = slots;
        slots = new int[old.length * 2];
        java.util.Arrays.fill(slots, -1);
        size = 0;
        for (int v : old) {
            if (v != -1) {
                add(v);
            }
        }
    }

    private static int mix(int v) {
        int h = v * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
