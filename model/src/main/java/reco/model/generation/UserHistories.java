package reco.model.generation;

import reco.model.format.ModelFile;
import reco.model.format.ModelFileWriter;
import reco.model.format.ModelFormatException;
import reco.model.format.SectionType;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Every user's interactions (CSR): item, strength and timestamp, oldest first. Strength is what the
 * models were trained on (0 for interactions below the trainer's --min-weight, which are only
 * "seen": excluded from recommendations but no signal of taste).
 */
public final class UserHistories {
    private final MemorySegment offsets;
    private final MemorySegment items;
    private final MemorySegment strengths;
    private final MemorySegment timestamps;
    private final int userCount;

    private UserHistories(MemorySegment offsets, MemorySegment items, MemorySegment strengths,
                          MemorySegment timestamps, int userCount) {
        this.offsets = offsets;
        this.items = items;
        this.strengths = strengths;
        this.timestamps = timestamps;
        this.userCount = userCount;
    }

    /** {@code offsets} has userCount + 1 entries; each user's entries must be oldest first. */
    public static void write(Path file, long[] offsets, int[] items, float[] strengths, long[] timestamps)
            throws IOException {
        int nnz = items.length;
        if (strengths.length != nnz || timestamps.length != nnz || offsets[offsets.length - 1] != nnz) {
            throw new IllegalArgumentException("user history arrays disagree in length");
        }
        ModelFileWriter.requireFinite(file, "interaction strength", strengths, 1);
        try (ModelFileWriter w = ModelFileWriter.create(file, GenerationFiles.FORMAT_USER_HISTORIES)) {
            w.declare("offsets", SectionType.INT64, offsets.length)
                    .declare("items", SectionType.INT32, nnz)
                    .declare("strengths", SectionType.FLOAT32, nnz)
                    .declare("timestamps", SectionType.INT64, nnz)
                    .begin();
            w.putLongs(offsets);
            w.putInts(items);
            w.putFloats(strengths);
            w.putLongs(timestamps);
        }
    }

    public static UserHistories open(ModelFile file, int userCount, int itemCount) throws ModelFormatException {
        MemorySegment offsets = file.section("offsets", SectionType.INT64, userCount + 1L).segment();
        ModelFile.Section items = file.section("items", SectionType.INT32);
        MemorySegment strengths = file.section("strengths", SectionType.FLOAT32, items.count()).segment();
        MemorySegment timestamps = file.section("timestamps", SectionType.INT64, items.count()).segment();
        ItemCatalog.checkOffsets(file, offsets, userCount, items.count(), "history");
        MemorySegment it = items.segment();
        file.checkIntRange(it, 0, itemCount, "history item");
        file.checkFloats(strengths, 0f, "interaction strength");
        return new UserHistories(offsets, it, strengths, timestamps, userCount);
    }

    public int userCount() { return userCount; }
    public long start(int user) { return offsets.getAtIndex(ModelFile.LONG, user); }
    public long end(int user) { return offsets.getAtIndex(ModelFile.LONG, user + 1L); }
    public int length(int user) { return (int) (end(user) - start(user)); }
    public int item(long position) { return items.getAtIndex(ModelFile.INT, position); }
    public float strength(long position) { return strengths.getAtIndex(ModelFile.FLOAT, position); }
    public long timestamp(long position) { return timestamps.getAtIndex(ModelFile.LONG, position); }
}
