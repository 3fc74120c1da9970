package reco.trainer.io;

import java.util.Arrays;
import reco.trainer.data.IdDictionary;

/**
 * Front cache of an {@link IdDictionary} keyed by the raw bytes of a field, so a row whose ids were
 * seen before costs a hash and a byte compare instead of a new String and a HashMap lookup (about
 * twice as fast on a 1M-row TSV). Valid for one file at a time: the bytes are only comparable under
 * one encoding.
 *
 * <p>Memory layout is chosen for cache misses, which dominate with millions of distinct ids. Ids of
 * up to 7 bytes (most numeric ids) are packed into a long and live in their own table next to their
 * index: one miss per lookup. Longer ids go through a table of (hash, entry) longs, entries of
 * adjacent (arena offset, length, index) ints and a byte arena: about three misses.
 */
final class IdInterner {
    private static final int ENTRY_INTS = 3;

    private final IdDictionary dictionary;
    private long[] slots = new long[1024]; // hash << 32 | (entry + 1); 0 when empty
    private int entries;
    private int[] entryData = new int[ENTRY_INTS * 256]; // offset, length, dictionary index
    private byte[] arena = new byte[4096];
    private int arenaSize;
    private int lastEntry = -1;
    private long[] shortTable = new long[2 * 1024]; // packed id, dictionary index; packed 0 when empty
    private int shortCount;
    private long lastShortKey;
    private int lastShortIndex;

    IdInterner(IdDictionary dictionary) {
        this.dictionary = dictionary;
    }

    /** The dictionary index of the id in {@code field} of the reader's current record, adding it when new. */
    int intern(RecordReader reader, int field) {
        if (!reader.isRaw(field)) {
            return dictionary.add(reader.text(field));
        }
        int fieldLength = reader.fieldLength(field);
        if (fieldLength > 0 && fieldLength <= 7) {
            return internShort(reader, field, fieldLength);
        }
        // Logs are often grouped by user: the same id as in the previous row costs one compare.
        if (lastEntry >= 0 && matches(reader, field, lastEntry)) {
            return entryData[lastEntry * ENTRY_INTS + 2];
        }
        int hash = reader.hashField(field);
        int mask = slots.length - 1;
        int slot = mix(hash) & mask;
        for (long packed; (packed = slots[slot]) != 0; slot = (slot + 1) & mask) {
            int entry = (int) packed - 1;
            if ((int) (packed >>> 32) == hash && matches(reader, field, entry)) {
                lastEntry = entry;
                return entryData[entry * ENTRY_INTS + 2];
            }
        }
        int index = dictionary.add(reader.text(field));
        int length = fieldLength;
        if (arenaSize + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + length));
        }
        System.arraycopy(reader.buffer(), reader.fieldOffset(field), arena, arenaSize, length);
        if ((entries + 1) * ENTRY_INTS > entryData.length) {
            entryData = Arrays.copyOf(entryData, entryData.length * 2);
        }
        int base = entries * ENTRY_INTS;
        entryData[base] = arenaSize;
        entryData[base + 1] = length;
        entryData[base + 2] = index;
        arenaSize += length;
        lastEntry = entries;
        slots[slot] = ((long) hash << 32) | (++entries & 0xffffffffL);
        if (entries * 2 > slots.length) {
            rehash();
        }
        return index;
    }

    private int internShort(RecordReader reader, int field, int length) {
        long key = (long) length << 56;
        byte[] buf = reader.buffer();
        for (int i = 0, offset = reader.fieldOffset(field); i < length; i++) {
            key |= (buf[offset + i] & 0xffL) << (8 * i);
        }
        if (key == lastShortKey) {
            return lastShortIndex;
        }
        int mask = (shortTable.length >> 1) - 1;
        int slot = mix(Long.hashCode(key * 0x9E3779B97F4A7C15L)) & mask;
        for (long stored; (stored = shortTable[2 * slot]) != 0; slot = (slot + 1) & mask) {
            if (stored == key) {
                lastShortKey = key;
                return lastShortIndex = (int) shortTable[2 * slot + 1];
            }
        }
        int index = dictionary.add(reader.text(field));
        shortTable[2 * slot] = key;
        shortTable[2 * slot + 1] = index;
        lastShortKey = key;
        lastShortIndex = index;
        if (++shortCount * 2 > (shortTable.length >> 1)) {
            long[] old = shortTable;
            shortTable = new long[old.length * 2];
            int newMask = (shortTable.length >> 1) - 1;
            for (int s = 0; s < old.length; s += 2) {
                if (old[s] != 0) {
                    int to = mix(Long.hashCode(old[s] * 0x9E3779B97F4A7C15L)) & newMask;
                    while (shortTable[2 * to] != 0) {
                        to = (to + 1) & newMask;
                    }
                    shortTable[2 * to] = old[s];
                    shortTable[2 * to + 1] = old[s + 1];
                }
            }
        }
        return index;
    }

    private boolean matches(RecordReader reader, int field, int entry) {
        int base = entry * ENTRY_INTS;
        return reader.fieldEquals(field, arena, entryData[base], entryData[base + 1]);
    }

    private void rehash() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long packed : old) {
            if (packed != 0) {
                int slot = mix((int) (packed >>> 32)) & mask;
                while (slots[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = packed;
            }
        }
    }

    private static int mix(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
