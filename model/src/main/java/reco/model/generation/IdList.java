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
 * Dense index -> external id, as a flat file: UTF-8 bytes of all ids back to back, an offsets array,
 * and the indexes sorted by id bytes, so an id can also be found by binary search on the mapping
 * (what {@link IdIndex} answers with while its Chronicle Map is still opening).
 */
public final class IdList {
    private final MemorySegment offsets;
    private final MemorySegment bytes;
    private final MemorySegment sorted;
    private final int size;

    private IdList(MemorySegment offsets, MemorySegment bytes, MemorySegment sorted, int size) {
        this.offsets = offsets;
        this.bytes = bytes;
        this.sorted = sorted;
        this.size = size;
    }

    public static void write(Path file, List<String> ids) throws IOException {
        byte[][] encoded = new byte[ids.size()][];
        long total = 0;
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = ids.get(i).getBytes(StandardCharsets.UTF_8);
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
        try (ModelFileWriter w = ModelFileWriter.create(file, GenerationFiles.FORMAT_IDS)) {
            w.declare("offsets", SectionType.INT64, encoded.length + 1L).declare("bytes", SectionType.BYTES, total)
                    .declare("sorted", SectionType.INT32, encoded.length).begin();
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
        }
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
        return new IdList(o, bytes.segment(), sorted, size);
    }

    public int size() {
        return size;
    }

    /** Dense index of {@code id} by binary search over the sorted order, or -1 when unknown. */
    public int indexOf(CharSequence id) {
        MemorySegment key = MemorySegment.ofArray(id.toString().getBytes(StandardCharsets.UTF_8));
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
