package reco.model.generation;

import reco.model.format.ModelFile;
import reco.model.format.ModelFileWriter;
import reco.model.format.ModelFormatException;
import reco.model.format.SectionType;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Dense index -> external id and back, as one flat, checksummed file: UTF-8 bytes of all ids back to
 * back, an offsets array, the indexes sorted by id bytes, and a hash table of the indexes, so an id
 * resolves on the mapping itself with nothing to build at load time.
 *
 * <p>Sections: {@code offsets} (int64, n + 1), {@code bytes}, {@code sorted} (int32, n: indexes in
 * unsigned byte order of their ids) and, from format version 2, {@code hash-slots} (int32, a power of
 * two at least 2n: open addressing with linear probing, each slot holding index + 1 or 0 when empty;
 * an id's first slot is {@link #hash} of its UTF-8 bytes masked to the table size). Files without
 * {@code hash-slots} (version 1) are searched by binary search over {@code sorted}.
 *
 * <p>Every lookup compares the id's bytes with the listed ones before it answers, and {@link #open}
 * checks that every id is reachable from its first slot, so a lookup never returns another id's index
 * and never misses a listed id.
 */
public final class IdList {
    /** Longest id, in bytes of UTF-8: the limit the gRPC API puts on ids (recommender.proto). */
    public static final int MAX_ID_BYTES = 512;
    static final String SECTION_HASH_SLOTS = "hash-slots";

    private final MemorySegment offsets;
    private final MemorySegment bytes;
    private final MemorySegment sorted;
    private final MemorySegment slots; // null for a version-1 file
    private final int slotMask;
    private final int size;

    private IdList(MemorySegment offsets, MemorySegment bytes, MemorySegment sorted, MemorySegment slots, int size) {
        this.offsets = offsets;
        this.bytes = bytes;
        this.sorted = sorted;
        this.slots = slots;
        this.slotMask = slots == null ? 0 : (int) (slots.byteSize() / Integer.BYTES) - 1;
        this.size = size;
    }

    /**
     * Writes the ids (dense index = list position).
     *
     * @throws IllegalArgumentException on a duplicate id or an id longer than {@value #MAX_ID_BYTES} bytes
     */
    public static void write(Path file, List<String> ids) throws IOException {
        byte[][] encoded = new byte[ids.size()][];
        long total = 0;
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = ids.get(i).getBytes(StandardCharsets.UTF_8);
            if (encoded[i].length > MAX_ID_BYTES) {
                throw new IllegalArgumentException("id " + i + " is " + encoded[i].length + " bytes of UTF-8, at most "
                        + MAX_ID_BYTES + " allowed (it could never be queried)");
            }
            total += encoded[i].length;
        }
        Integer[] order = new Integer[encoded.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> java.util.Arrays.compareUnsigned(encoded[a], encoded[b]));
        for (int i = 1; i < order.length; i++) {
            if (java.util.Arrays.equals(encoded[order[i - 1]], encoded[order[i]])) {
                throw new IllegalArgumentException("duplicate id '" + ids.get(order[i]) + "'");
            }
        }
        int[] slots = hashSlots(encoded);
        try (ModelFileWriter w = ModelFileWriter.create(file, GenerationFiles.FORMAT_IDS)) {
            w.declare("offsets", SectionType.INT64, encoded.length + 1L).declare("bytes", SectionType.BYTES, total)
                    .declare("sorted", SectionType.INT32, encoded.length)
                    .declare(SECTION_HASH_SLOTS, SectionType.INT32, slots.length).begin();
            long off = 0;
            w.putLong(0);
            for (byte[] e : encoded) {
                off += e.length;
                w.putLong(off);
            }
            for (byte[] e : encoded) {
                w.putBytes(e);
            }
            for (Integer i : order) {
                w.putInt(i);
            }
            w.putInts(slots);
        }
    }

    /** The table size for n ids: a power of two at least 2n (at most half full), at least 2. */
    static int slotCount(int n) {
        long wanted = Math.max(2L, 2L * n);
        long count = Long.highestOneBit(wanted - 1) << 1;
        if (count > (1 << 30)) {
            throw new IllegalArgumentException(n + " ids are too many for one id list");
        }
        return (int) count;
    }

    private static int[] hashSlots(byte[][] encoded) {
        int[] slots = new int[slotCount(encoded.length)];
        int mask = slots.length - 1;
        for (int i = 0; i < encoded.length; i++) {
            int slot = hash(encoded[i], 0, encoded[i].length) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = i + 1;
        }
        return slots;
    }

    /**
     * The hash that places ids in {@code hash-slots}: part of the file format, never change it. 64-bit
     * multiply-xorshift over the bytes taken 8 at a time (little-endian), the tail byte by byte, then
     * MurmurHash3's 64-bit finaliser; the low 32 bits.
     */
    static int hash(byte[] key, int from, int to) {
        long h = 0x9E3779B97F4A7C15L ^ (to - from);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long k = (key[i] & 0xffL) | (key[i + 1] & 0xffL) << 8 | (key[i + 2] & 0xffL) << 16 | (key[i + 3] & 0xffL) << 24
                    | (key[i + 4] & 0xffL) << 32 | (key[i + 5] & 0xffL) << 40 | (key[i + 6] & 0xffL) << 48
                    | (key[i + 7] & 0xffL) << 56;
            h = (h ^ k) * 0xC6A4A7935BD1E995L;
            h ^= h >>> 29;
        }
        for (; i < to; i++) {
            h = (h ^ (key[i] & 0xffL)) * 0xC6A4A7935BD1E995L;
            h ^= h >>> 29;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) h;
    }

    public static IdList open(ModelFile file) throws ModelFormatException {
        ModelFile.Section bytes = file.section("bytes", SectionType.BYTES);
        ModelFile.Section offsets = file.section("offsets", SectionType.INT64);
        file.check(offsets.count() >= 1 && offsets.count() - 1 <= Integer.MAX_VALUE, "bad id count");
        int size = (int) (offsets.count() - 1);
        MemorySegment o = offsets.segment();
        file.check(o.getAtIndex(ModelFile.LONG, 0) == 0 && o.getAtIndex(ModelFile.LONG, size) == bytes.count(),
                "id offsets do not cover the id bytes");
        file.checkOffsets(o, size, bytes.count(), "id");
        MemorySegment sorted = file.section("sorted", SectionType.INT32, size).segment();
        file.checkIntRange(sorted, 0, size, "sorted id index");
        int[] order = sorted.toArray(ModelFile.INT);
        java.util.BitSet seen = new java.util.BitSet(size);
        for (int i : order) {
            file.check(!seen.get(i), "sorted id order is not a permutation");
            seen.set(i);
        }
        MemorySegment slots = null;
        if (file.has(SECTION_HASH_SLOTS)) {
            ModelFile.Section table = file.section(SECTION_HASH_SLOTS, SectionType.INT32);
            file.check(table.count() == slotCount(size), "hash table of " + table.count() + " slots for " + size
                    + " ids, expected " + slotCount(size));
            slots = table.segment();
            checkHashTable(file, o, bytes.segment(), slots, size);
        }
        return new IdList(o, bytes.segment(), sorted, slots, size);
    }

    /**
     * Every slot holds 0 or index + 1, every index sits in exactly one slot, and no empty slot lies
     * between an id's first slot and the slot holding it (so a lookup of every listed id finds it).
     * Ids are visited in index order, so their offsets and bytes are read sequentially; messages are
     * built only on failure (a server validates this at start-up, for millions of ids).
     */
    private static void checkHashTable(ModelFile file, MemorySegment offsets, MemorySegment bytes, MemorySegment slots,
                                       int size) throws ModelFormatException {
        int[] table = slots.toArray(ModelFile.INT);
        int mask = table.length - 1;
        java.util.BitSet placed = new java.util.BitSet(size);
        for (int slot = 0; slot < table.length; slot++) {
            int v = table[slot];
            if (v == 0) {
                continue;
            }
            if (v < 1 || v > size || placed.get(v - 1)) {
                throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, file.path(), "hash slot " + slot
                        + " holds " + v + ": outside [0, " + size + "] or an id already placed");
            }
            placed.set(v - 1);
        }
        if (placed.cardinality() != size) {
            throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, file.path(), "hash table holds "
                    + placed.cardinality() + " of " + size + " ids");
        }
        // offsets and bytes are copied to the heap a chunk at a time: per-id copies cost more than the hashing
        int chunk = 1 << 16;
        long[] ends = new long[chunk];
        byte[] text = new byte[1 << 20];
        long textStart = 0; // byte offset of text[0] in the bytes section
        int textLength = 0;
        long from = 0;
        for (int first = 0; first < size; first += chunk) {
            int n = Math.min(chunk, size - first);
            MemorySegment.copy(offsets, ModelFile.LONG, (first + 1L) * Long.BYTES, ends, 0, n);
            for (int k = 0; k < n; k++) {
                int index = first + k;
                long to = ends[k];
                int length = (int) (to - from);
                if (to > textStart + textLength) {
                    textStart = from;
                    textLength = (int) Math.min(Math.max(text.length, length), bytes.byteSize() - from);
                    if (textLength > text.length) {
                        text = new byte[textLength];
                    }
                    MemorySegment.copy(bytes, ModelFile.BYTE, textStart, text, 0, textLength);
                }
                int slot = hash(text, (int) (from - textStart), (int) (to - textStart)) & mask;
                while (table[slot] != index + 1) {
                    if (table[slot] == 0) {
                        throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, file.path(), "id " + index
                                + " is not reachable from its first hash slot");
                    }
                    slot = (slot + 1) & mask;
                }
                from = to;
            }
        }
    }

    public int size() {
        return size;
    }

    /**
     * Dense index of {@code id}, or -1 when unknown: through the hash table, or by binary search in a
     * file without one. Either way the answer's bytes were compared with the id's.
     */
    public int indexOf(CharSequence id) {
        byte[] key = id.toString().getBytes(StandardCharsets.UTF_8);
        return slots != null ? hashLookup(key) : binarySearch(key);
    }

    private int hashLookup(byte[] key) {
        MemorySegment k = MemorySegment.ofArray(key);
        int slot = hash(key, 0, key.length) & slotMask;
        for (int probes = 0; probes <= slotMask; probes++, slot = (slot + 1) & slotMask) {
            int v = slots.getAtIndex(ModelFile.INT, slot);
            if (v == 0) {
                return -1;
            }
            int index = v - 1;
            long from = offsets.getAtIndex(ModelFile.LONG, index);
            long to = offsets.getAtIndex(ModelFile.LONG, index + 1L);
            if (to - from == key.length && MemorySegment.mismatch(bytes, from, to, k, 0, key.length) == -1) {
                return index;
            }
        }
        return -1; // only a table changed after it was checked can be full
    }

    /** Dense index by binary search over the sorted order, or -1. */
    int binarySearch(byte[] keyBytes) {
        MemorySegment key = MemorySegment.ofArray(keyBytes);
        long keyLength = key.byteSize();
        int lo = 0, hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int index = sorted.getAtIndex(ModelFile.INT, mid);
            long from = offsets.getAtIndex(ModelFile.LONG, index);
            long to = offsets.getAtIndex(ModelFile.LONG, index + 1L);
            long at = MemorySegment.mismatch(bytes, from, to, key, 0, keyLength);
            int cmp;
            if (at == -1) {
                return index;
            } else if (at == to - from) {
                cmp = -1; // stored id is a prefix of the key
            } else if (at == keyLength) {
                cmp = 1;
            } else {
                cmp = Integer.compare(Byte.toUnsignedInt(bytes.get(ModelFile.BYTE, from + at)),
                        Byte.toUnsignedInt(key.get(ModelFile.BYTE, at)));
            }
            if (cmp < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    public String id(int index) {
        long from = offsets.getAtIndex(ModelFile.LONG, index);
        long to = offsets.getAtIndex(ModelFile.LONG, index + 1L);
        byte[] b = bytes.asSlice(from, to - from).toArray(ModelFile.BYTE);
        return new String(b, StandardCharsets.UTF_8);
    }
}
