package reco.model.generation;

import reco.model.format.ModelFile;
import reco.model.format.ModelFileWriter;
import reco.model.format.ModelFormatException;
import reco.model.format.SectionType;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Items ranked by popularity, best first: globally (distinct users with a positive interaction) and
 * recency-weighted (exponential decay); plus each item's positive-interaction count, which tells how
 * much collaborative signal an item has.
 */
public final class PopularityRanking {
    private final MemorySegment globalItems;
    private final MemorySegment globalScores;
    private final MemorySegment recentItems;
    private final MemorySegment recentScores;
    private final MemorySegment itemCounts;
    private final int globalSize;
    private final int recentSize;

    private PopularityRanking(MemorySegment globalItems, MemorySegment globalScores, MemorySegment recentItems,
                              MemorySegment recentScores, MemorySegment itemCounts, int globalSize, int recentSize) {
        this.globalItems = globalItems;
        this.globalScores = globalScores;
        this.recentItems = recentItems;
        this.recentScores = recentScores;
        this.itemCounts = itemCounts;
        this.globalSize = globalSize;
        this.recentSize = recentSize;
    }

    public static void write(Path file, int[] globalItems, float[] globalScores, int[] recentItems,
                             float[] recentScores, int[] itemCounts) throws IOException {
        ModelFileWriter.requireFinite(file, "popularity score", globalScores, 1);
        ModelFileWriter.requireFinite(file, "recent popularity score", recentScores, 1);
        try (ModelFileWriter w = ModelFileWriter.create(file, GenerationFiles.FORMAT_POPULARITY)) {
            w.declare("global-items", SectionType.INT32, globalItems.length)
                    .declare("global-scores", SectionType.FLOAT32, globalScores.length)
                    .declare("recent-items", SectionType.INT32, recentItems.length)
                    .declare("recent-scores", SectionType.FLOAT32, recentScores.length)
                    .declare("item-counts", SectionType.INT32, itemCounts.length)
                    .begin();
            w.putInts(globalItems);
            w.putFloats(globalScores);
            w.putInts(recentItems);
            w.putFloats(recentScores);
            w.putInts(itemCounts);
        }
    }

    public static PopularityRanking open(ModelFile file, int itemCount) throws ModelFormatException {
        ModelFile.Section gi = file.section("global-items", SectionType.INT32);
        ModelFile.Section gs = file.section("global-scores", SectionType.FLOAT32, gi.count());
        ModelFile.Section ri = file.section("recent-items", SectionType.INT32);
        ModelFile.Section rs = file.section("recent-scores", SectionType.FLOAT32, ri.count());
        ModelFile.Section counts = file.section("item-counts", SectionType.INT32, itemCount);
        file.check(gi.count() <= itemCount && ri.count() <= itemCount, "ranking longer than the catalogue");
        for (ModelFile.Section s : new ModelFile.Section[] {gi, ri}) {
            file.checkIntRange(s.segment(), 0, itemCount, "ranked item");
        }
        file.checkFinite(gs.segment(), "popularity score");
        file.checkFinite(rs.segment(), "recent popularity score");
        return new PopularityRanking(gi.segment(), gs.segment(), ri.segment(), rs.segment(), counts.segment(),
                (int) gi.count(), (int) ri.count());
    }

    public int size(boolean recent) { return recent ? recentSize : globalSize; }
    public int item(boolean recent, int rank) {
        return (recent ? recentItems : globalItems).getAtIndex(ModelFile.INT, rank);
    }
    public float score(boolean recent, int rank) {
        return (recent ? recentScores : globalScores).getAtIndex(ModelFile.FLOAT, rank);
    }
    /** Number of positive interactions of an item in the training data. */
    public int count(int item) { return itemCounts.getAtIndex(ModelFile.INT, item); }
}
