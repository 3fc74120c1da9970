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
 * Dense index -> external id, as a flat file: UTF-8 bytes of all ids back to back and an offsets
 * array. The reverse direction is {@link IdIndex}.
 */
public final class IdList {
    private final MemorySegment offsets;
    private final MemorySegment bytes;
    private final int size;

    private IdList(MemorySegment offsets, MemorySegment bytes, int size) {
        this.offsets = offsets;
        this.bytes = bytes;
        this.size = size;
    }

    public static void write(Path file, List<String> ids) throws IOException {
        byte[][] encoded = new byte[ids.size()][];
        long total = 0;
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = ids.get(i).getBytes(StandardCharsets.UTF_8);
            total += encoded[i].length;
        }
        try (ModelFileWriter w = ModelFileWriter.create(file, GenerationFiles.FORMAT_IDS)) {
            w.declare("offsets", SectionType.INT64, encoded.length + 1L).declare("bytes", SectionType.BYTES, total).begin();
            long off = 0;
            w.putLong(0);
            for (byte[] e : encoded) {
                off += e.length;
                w.putLong(off);
            }
            for (byte[] e : encoded) {
                w.putBytes(e);
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
        long prev = 0;
        for (int i = 1; i <= size; i++) {
            long next = o.getAtIndex(ModelFile.LONG, i);
            file.check(next >= prev, "id offsets decrease at " + i);
            prev = next;
        }
        return new IdList(o, bytes.segment(), size);
    }

    public int size() {
        return size;
    }

    public String id(int index) {
        long from = offsets.getAtIndex(ModelFile.LONG, index);
        long to = offsets.getAtIndex(ModelFile.LONG, index + 1L);
        byte[] b = bytes.asSlice(from, to - from).toArray(ModelFile.BYTE);
        return new String(b, StandardCharsets.UTF_8);
    }
}
