package reco.model.generation;

import reco.model.Neighborhoods;
import reco.model.format.ModelFile;
import reco.model.format.ModelFileWriter;
import reco.model.format.ModelFormatException;
import reco.model.format.SectionType;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/** A model's mapped top-K neighbour lists: per item, neighbour indexes and scores, best first. */
public final class NeighborLists {
    private final MemorySegment offsets;
    private final MemorySegment items;
    private final MemorySegment scores;
    private final int itemCount;
    private final int maxLength;

    private NeighborLists(MemorySegment offsets, MemorySegment items, MemorySegment scores, int itemCount, int maxLength) {
        this.offsets = offsets;
        this.items = items;
        this.scores = scores;
        this.itemCount = itemCount;
        this.maxLength = maxLength;
    }

    public static void write(Path file, Neighborhoods n) throws IOException {
        ModelFileWriter.requireFinite(file, "neighbour score", n.scores(), 1);
        try (ModelFileWriter w = ModelFileWriter.create(file, GenerationFiles.FORMAT_NEIGHBORS)) {
            int count = n.itemCount();
            w.declare("offsets", SectionType.INT64, count + 1L)
                    .declare("items", SectionType.INT32, n.items().length)
                    .declare("scores", SectionType.FLOAT32, n.scores().length)
                    .begin();
            long[] offsets = new long[count + 1];
            for (int i = 0; i <= count; i++) {
                offsets[i] = n.offsets()[i];
            }
            w.putLongs(offsets);
            w.putInts(n.items());
            w.putFloats(n.scores());
        }
    }

    public static NeighborLists open(ModelFile file, int itemCount) throws ModelFormatException {
        MemorySegment offsets = file.section("offsets", SectionType.INT64, itemCount + 1L).segment();
        ModelFile.Section items = file.section("items", SectionType.INT32);
        MemorySegment scores = file.section("scores", SectionType.FLOAT32, items.count()).segment();
        int max = (int) file.checkOffsets(offsets, itemCount, items.count(), "neighbour");
        MemorySegment it = items.segment();
        file.checkIntRange(it, 0, itemCount, "neighbour");
        file.checkFinite(scores, "neighbour score");
        return new NeighborLists(offsets, it, scores, itemCount, max);
    }

    public int itemCount() { return itemCount; }
    /** Longest list (the K the trainer used, unless every list is shorter). */
    public int maxLength() { return maxLength; }
    public long start(int item) { return offsets.getAtIndex(ModelFile.LONG, item); }
    public long end(int item) { return offsets.getAtIndex(ModelFile.LONG, item + 1L); }
    public int neighbor(long position) { return items.getAtIndex(ModelFile.INT, position); }
    public float score(long position) { return scores.getAtIndex(ModelFile.FLOAT, position); }

    /**
     * Copies {@code count} neighbours and scores from {@code position} on into the arrays (from index 0):
     * one bounds check per list instead of two per entry, for loops that read whole lists.
     */
    public void copy(long position, int count, int[] neighborsOut, float[] scoresOut) {
        MemorySegment.copy(items, ModelFile.INT, position * Integer.BYTES, neighborsOut, 0, count);
        MemorySegment.copy(scores, ModelFile.FLOAT, position * Float.BYTES, scoresOut, 0, count);
    }
}
