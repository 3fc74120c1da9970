package reco.trainer.io;

import java.util.Arrays;
import reco.trainer.data.IdDictionary;

/**
 * Front cache of an {@link IdDictionary} keyed by the raw bytes of a field, so a row whose ids were
 * seen before costs a hash and a byte compare instead of a new String and a HashMap lookup. Valid
 * for one file at a time: the bytes are only comparable under one encoding.
 */
final class IdInterner {
    private final IdDictionary dictionary;
    private int[] slots = new int[1024]; // entry + 1, 0 when empty
    private int[] slotHashes = new int[1024];
    private int entries;
    private int[] entryIndex = new int[256];
    private int[] entryOffset = new int[256];
    private int[] entryLength = new int[256];
    private byte[] arena = new byte[4096];
    private int arenaSize;

    IdInterner(IdDictionary dictionary) {
        this.dictionary = dictionary;
    }

    /** The dictionary index of the id in {@code field} of the reader's current record, adding it when new. */
    int intern(RecordReader reader, int field) {
        if (!reader.isRaw(field)) {
            return dictionary.add(reader.text(field));
        }
        int hash = reader.hashField(field);
        int mask = slots.length - 1;
        int slot = mix(hash) & mask;
        for (int entry; (entry = slots[slot]) != 0; slot = (slot + 1) & mask) {
            entry--;
            if (slotHashes[slot] == hash
                    && reader.fieldEquals(field, arena, entryOffset[entry], entryLength[entry])) {
                return entryIndex[entry];
            }
        }
        int index = dictionary.add(reader.text(field));
        int length = reader.fieldLength(field);
        if (arenaSize + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + length));
        }
        System.arraycopy(reader.buffer(), reader.fieldOffset(field), arena, arenaSize, length);
        if (entries == entryIndex.length) {
            int capacity = entries * 2;
            entryIndex = Arrays.copyOf(entryIndex, capacity);
            entryOffset = Arrays.copyOf(entryOffset, capacity);
            entryLength = Arrays.copyOf(entryLength, capacity);
        }
        entryIndex[entries] = index;
        entryOffset[entries] = arenaSize;
        entryLength[entries] = length;
        arenaSize += length;
        slots[slot] = ++entries;
        slotHashes[slot] = hash;
        if (entries * 2 > slots.length) {
            rehash();
        }
        return index;
    }

    private void rehash() {
        int[] oldSlots = slots;
        int[] oldHashes = slotHashes;
        slots = new int[oldSlots.length * 2];
        slotHashes = new int[oldSlots.length * 2];
        int mask = slots.length - 1;
        for (int s = 0; s < oldSlots.length; s++) {
            if (oldSlots[s] != 0) {
                int slot = mix(oldHashes[s]) & mask;
                while (slots[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = oldSlots[s];
                slotHashes[slot] = oldHashes[s];
            }
        }
    }

    private static int mix(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
