package reco.model.generation;

import reco.model.format.ModelFile;
import reco.model.format.ModelFileWriter;
import reco.model.format.ModelFormatException;
import reco.model.format.SectionType;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Display metadata per item: a title and category ids (e.g. genres), with the category names. Items
 * without metadata have an empty title and no categories.
 */
public final class ItemCatalog {
    private final MemorySegment titleOffsets;
    private final MemorySegment titleBytes;
    private final MemorySegment categoryOffsets;
    private final MemorySegment categoryIds;
    private final String[] categoryNames;
    private final Map<String, Integer> categoryIndex;
    private final int itemCount;

    private ItemCatalog(MemorySegment titleOffsets, MemorySegment titleBytes, MemorySegment categoryOffsets,
                        MemorySegment categoryIds, String[] categoryNames, int itemCount) {
        this.titleOffsets = titleOffsets;
        this.titleBytes = titleBytes;
        this.categoryOffsets = categoryOffsets;
        this.categoryIds = categoryIds;
        this.categoryNames = categoryNames;
        this.itemCount = itemCount;
        this.categoryIndex = new HashMap<>();
        for (int c = 0; c < categoryNames.length; c++) {
            categoryIndex.put(categoryNames[c], c);
        }
    }

    /** Writes titles (null = none) and categories per item; category names are numbered in first-seen order. */
    public static void write(Path file, List<String> titles, List<List<String>> categories) throws IOException {
        int n = titles.size();
        if (categories.size() != n) {
            throw new IllegalArgumentException("titles and categories differ in length");
        }
        Map<String, Integer> names = new LinkedHashMap<>();
        byte[][] encodedTitles = new byte[n][];
        long titleTotal = 0;
        long categoryTotal = 0;
        for (int i = 0; i < n; i++) {
            String t = titles.get(i);
            encodedTitles[i] = t == null ? new byte[0] : t.getBytes(StandardCharsets.UTF_8);
            titleTotal += encodedTitles[i].length;
            for (String c : categories.get(i)) {
                names.putIfAbsent(c, names.size());
            }
            categoryTotal += categories.get(i).size();
        }
        List<byte[]> encodedNames = new ArrayList<>();
        long namesTotal = 0;
        for (String name : names.keySet()) {
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            encodedNames.add(b);
            namesTotal += b.length;
        }
        try (ModelFileWriter w = ModelFileWriter.create(file, GenerationFiles.FORMAT_ITEM_CATALOG)) {
            w.declare("title-offsets", SectionType.INT64, n + 1L)
                    .declare("title-bytes", SectionType.BYTES, titleTotal)
                    .declare("category-offsets", SectionType.INT64, n + 1L)
                    .declare("category-ids", SectionType.INT32, categoryTotal)
                    .declare("category-name-offsets", SectionType.INT64, encodedNames.size() + 1L)
                    .declare("category-name-bytes", SectionType.BYTES, namesTotal)
                    .begin();
            long off = 0;
            w.putLong(0);
            for (byte[] t : encodedTitles) {
                w.putLong(off += t.length);
            }
            for (byte[] t : encodedTitles) {
                w.putBytes(t);
            }
            off = 0;
            w.putLong(0);
            for (List<String> cs : categories) {
                w.putLong(off += cs.size());
            }
            for (List<String> cs : categories) {
                for (String c : cs) {
                    w.putInt(names.get(c));
                }
            }
            off = 0;
            w.putLong(0);
            for (byte[] b : encodedNames) {
                w.putLong(off += b.length);
            }
            for (byte[] b : encodedNames) {
                w.putBytes(b);
            }
        }
    }

    public static ItemCatalog open(ModelFile file, int itemCount) throws ModelFormatException {
        MemorySegment titleOffsets = file.section("title-offsets", SectionType.INT64, itemCount + 1L).segment();
        ModelFile.Section titleBytes = file.section("title-bytes", SectionType.BYTES);
        MemorySegment categoryOffsets = file.section("category-offsets", SectionType.INT64, itemCount + 1L).segment();
        ModelFile.Section categoryIds = file.section("category-ids", SectionType.INT32);
        ModelFile.Section nameOffsets = file.section("category-name-offsets", SectionType.INT64);
        ModelFile.Section nameBytes = file.section("category-name-bytes", SectionType.BYTES);
        checkOffsets(file, titleOffsets, itemCount, titleBytes.count(), "title");
        checkOffsets(file, categoryOffsets, itemCount, categoryIds.count(), "category");
        int names = (int) (nameOffsets.count() - 1);
        checkOffsets(file, nameOffsets.segment(), names, nameBytes.count(), "category name");
        String[] categoryNames = new String[names];
        for (int c = 0; c < names; c++) {
            long from = nameOffsets.segment().getAtIndex(ModelFile.LONG, c);
            long to = nameOffsets.segment().getAtIndex(ModelFile.LONG, c + 1L);
            categoryNames[c] = new String(nameBytes.segment().asSlice(from, to - from).toArray(ModelFile.BYTE),
                    StandardCharsets.UTF_8);
        }
        MemorySegment ids = categoryIds.segment();
        file.checkIntRange(ids, 0, names, "category id");
        return new ItemCatalog(titleOffsets, titleBytes.segment(), categoryOffsets, ids, categoryNames, itemCount);
    }

    static void checkOffsets(ModelFile file, MemorySegment offsets, long n, long total, String what)
            throws ModelFormatException {
        file.checkOffsets(offsets, n, total, what);
    }

    public int itemCount() {
        return itemCount;
    }

    /** The item's title, or "" when it has none. */
    public String title(int item) {
        long from = titleOffsets.getAtIndex(ModelFile.LONG, item);
        long to = titleOffsets.getAtIndex(ModelFile.LONG, item + 1L);
        return from == to ? "" : new String(titleBytes.asSlice(from, to - from).toArray(ModelFile.BYTE), StandardCharsets.UTF_8);
    }

    public int categoryCount(int item) {
        return (int) (categoryOffsets.getAtIndex(ModelFile.LONG, item + 1L) - categoryOffsets.getAtIndex(ModelFile.LONG, item));
    }

    /** The k-th category id of an item. */
    public int category(int item, int k) {
        return categoryIds.getAtIndex(ModelFile.INT, categoryOffsets.getAtIndex(ModelFile.LONG, item) + k);
    }

    public List<String> categories(int item) {
        int n = categoryCount(item);
        List<String> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            out.add(categoryNames[category(item, k)]);
        }
        return out;
    }

    public boolean hasCategory(int item, int categoryId) {
        int n = categoryCount(item);
        for (int k = 0; k < n; k++) {
            if (category(item, k) == categoryId) {
                return true;
            }
        }
        return false;
    }

    /** Category id for a name, or -1. */
    public int categoryId(String name) {
        Integer c = categoryIndex.get(name);
        return c == null ? -1 : c;
    }

    public int categoryNameCount() {
        return categoryNames.length;
    }

    public String categoryName(int id) {
        return categoryNames[id];
    }
}
