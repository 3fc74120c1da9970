package reco.model.generation;

import reco.model.ModelKind;
import reco.model.ann.IvfIndex;
import reco.model.format.ModelFile;
import reco.model.format.ModelFileFormat;
import reco.model.format.ModelFormatException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static reco.model.format.ModelFormatException.Kind.CORRUPT;
import static reco.model.format.ModelFormatException.Kind.MISSING;
import static reco.model.format.ModelFormatException.Kind.TOO_NEW;
import static reco.model.format.ModelFormatException.Kind.TOO_OLD;
import static reco.model.format.ModelFormatException.Kind.TRUNCATED;

/**
 * A validated, memory-mapped model generation. {@link #open} checks the manifest, every file's size,
 * header, version and checksum before returning, so a generation that opens is safe to serve.
 * {@link #close()} unmaps everything: call it only when no request still reads from it.
 */
public final class Generation implements AutoCloseable {
    private final Path directory;
    private final Manifest manifest;
    private final Arena arena;
    private final IdList itemIds;
    private final IdList userIds;
    private final IdIndex itemIndex;
    private final IdIndex userIndex;
    private final ItemCatalog catalog;
    private final UserHistories histories;
    private final PopularityRanking popularity;
    private final Map<ModelKind, NeighborLists> neighbors;
    private final Map<String, EmbeddingMatrix> embeddings;
    private final Map<ModelKind, IvfIndex> approximateIndexes;
    private TimeOfDayProfile timeOfDay; // optional: null when the generation has none
    private BlockList blockList = BlockList.EMPTY; // optional

    /** Model parameter naming the model's approximate item index file (large catalogues only). */
    public static final String ANN_INDEX_PARAMETER = "annIndexFile";

    private Generation(Path directory, Manifest manifest, Arena arena, IdList itemIds, IdList userIds,
                       IdIndex itemIndex, IdIndex userIndex, ItemCatalog catalog, UserHistories histories,
                       PopularityRanking popularity, Map<ModelKind, NeighborLists> neighbors,
                       Map<String, EmbeddingMatrix> embeddings, Map<ModelKind, IvfIndex> approximateIndexes) {
        this.directory = directory;
        this.manifest = manifest;
        this.arena = arena;
        this.itemIds = itemIds;
        this.userIds = userIds;
        this.itemIndex = itemIndex;
        this.userIndex = userIndex;
        this.catalog = catalog;
        this.histories = histories;
        this.popularity = popularity;
        this.neighbors = neighbors;
        this.embeddings = embeddings;
        this.approximateIndexes = approximateIndexes;
    }

    /** The directory {@code root/CURRENT} points to. */
    public static Path currentDirectory(Path root) throws IOException {
        String id = GenerationWriter.readCurrent(root);
        if (id == null) {
            throw new ModelFormatException(MISSING, root.resolve(GenerationFiles.CURRENT),
                    "no generation published under " + root + " (run `reco train --out " + root + "` first)");
        }
        if (id.contains("/") || id.contains("\\") || id.startsWith(".")) {
            throw new ModelFormatException(CORRUPT, root.resolve(GenerationFiles.CURRENT), "bad generation name '" + id + "'");
        }
        return root.resolve(id);
    }

    /** Opens {@code dir}, verifying checksums of every binary file. */
    public static Generation open(Path dir) throws IOException {
        return open(dir, true);
    }

    public static Generation open(Path dir, boolean verifyChecksums) throws IOException {
        Generation g = openDeferringIdMaps(dir, verifyChecksums);
        g.itemIndex.startOpening();
        g.userIndex.startOpening();
        return g;
    }

    /**
     * As {@link #open(Path, boolean)}, but the id indexes' Chronicle Maps are not opened yet: lookups
     * binary-search the id lists until the caller starts them ({@link IdIndex#startOpening()}), e.g.
     * once a server is serving.
     */
    public static Generation openDeferringIdMaps(Path dir, boolean verifyChecksums) throws IOException {
        Path manifestFile = dir.resolve(GenerationFiles.MANIFEST);
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException(MISSING, dir, "no such generation directory");
        }
        if (!Files.exists(manifestFile)) {
            throw new ModelFormatException(MISSING, manifestFile, "generation is incomplete (no manifest)");
        }
        Manifest manifest;
        try {
            manifest = Manifest.read(manifestFile);
        } catch (IOException e) {
            throw new ModelFormatException(CORRUPT, manifestFile, "unreadable manifest: " + e.getMessage());
        }
        if (manifest.formatVersion() < ModelFileFormat.MIN_SUPPORTED_VERSION) {
            throw new ModelFormatException(TOO_OLD, manifestFile, "format version " + manifest.formatVersion()
                    + ", this reader supports " + ModelFileFormat.MIN_SUPPORTED_VERSION + ".." + ModelFileFormat.CURRENT_VERSION);
        }
        if (manifest.formatVersion() > ModelFileFormat.CURRENT_VERSION) {
            throw new ModelFormatException(TOO_NEW, manifestFile, "format version " + manifest.formatVersion()
                    + ", this reader supports " + ModelFileFormat.MIN_SUPPORTED_VERSION + ".." + ModelFileFormat.CURRENT_VERSION);
        }
        if (manifest.files() == null || manifest.counts() == null || manifest.models() == null) {
            throw new ModelFormatException(CORRUPT, manifestFile, "manifest lacks files, counts or models");
        }
        for (Manifest.FileEntry f : manifest.files()) {
            Path p = dir.resolve(f.name());
            if (!Files.exists(p)) {
                throw new ModelFormatException(MISSING, p, "listed in the manifest but absent");
            }
            long size = Files.size(p);
            if (size < f.size()) {
                throw new ModelFormatException(TRUNCATED, p, size + " bytes, manifest says " + f.size());
            }
            if (size > f.size()) {
                throw new ModelFormatException(CORRUPT, p, size + " bytes, manifest says " + f.size());
            }
        }
        int items = Math.toIntExact(manifest.counts().items());
        int users = Math.toIntExact(manifest.counts().users());
        Arena arena = Arena.ofShared();
        IdIndex itemIndex = null;
        IdIndex userIndex = null;
        try {
            IdList itemIds = IdList.open(ModelFile.open(dir.resolve(GenerationFiles.ITEM_IDS), GenerationFiles.FORMAT_IDS, arena, verifyChecksums));
            IdList userIds = IdList.open(ModelFile.open(dir.resolve(GenerationFiles.USER_IDS), GenerationFiles.FORMAT_IDS, arena, verifyChecksums));
            check(itemIds.size() == items, dir.resolve(GenerationFiles.ITEM_IDS), "holds " + itemIds.size() + " ids, manifest says " + items);
            check(userIds.size() == users, dir.resolve(GenerationFiles.USER_IDS), "holds " + userIds.size() + " ids, manifest says " + users);

            Path catalogFile = dir.resolve(GenerationFiles.ITEM_CATALOG);
            ItemCatalog catalog = Files.exists(catalogFile)
                    ? ItemCatalog.open(ModelFile.open(catalogFile, GenerationFiles.FORMAT_ITEM_CATALOG, arena, verifyChecksums), items)
                    : null;
            UserHistories histories = UserHistories.open(ModelFile.open(dir.resolve(GenerationFiles.USER_HISTORIES),
                    GenerationFiles.FORMAT_USER_HISTORIES, arena, verifyChecksums), users, items);
            PopularityRanking popularity = PopularityRanking.open(ModelFile.open(dir.resolve(GenerationFiles.POPULARITY),
                    GenerationFiles.FORMAT_POPULARITY, arena, verifyChecksums), items);
            Map<ModelKind, NeighborLists> neighbors = new EnumMap<>(ModelKind.class);
            Map<String, EmbeddingMatrix> embeddings = new HashMap<>();
            Map<ModelKind, IvfIndex> approximate = new EnumMap<>(ModelKind.class);
            for (Manifest.ModelEntry m : manifest.models()) {
                ModelKind kind;
                try {
                    kind = ModelKind.fromId(m.name());
                } catch (IllegalArgumentException e) {
                    throw new ModelFormatException(TOO_NEW, manifestFile, "unknown model '" + m.name() + "'");
                }
                if (m.neighborsFile() != null) {
                    neighbors.put(kind, NeighborLists.open(ModelFile.open(dir.resolve(m.neighborsFile()),
                            GenerationFiles.FORMAT_NEIGHBORS, arena, verifyChecksums), items));
                }
                if (m.itemEmbeddingsFile() != null) {
                    embeddings.put(m.itemEmbeddingsFile(), EmbeddingMatrix.open(ModelFile.open(dir.resolve(m.itemEmbeddingsFile()),
                            GenerationFiles.FORMAT_EMBEDDINGS, arena, verifyChecksums), items));
                }
                if (m.itemEmbeddingsFile() != null && m.parameters() != null
                        && m.parameters().get(ANN_INDEX_PARAMETER) instanceof String annFile) {
                    EmbeddingMatrix items0 = embeddings.get(m.itemEmbeddingsFile());
                    approximate.put(kind, IvfIndex.open(ModelFile.open(dir.resolve(annFile), IvfIndex.FORMAT, arena,
                            verifyChecksums), items, items0.dimensions()));
                }
                if (m.userEmbeddingsFile() != null) {
                    embeddings.put(m.userEmbeddingsFile(), EmbeddingMatrix.open(ModelFile.open(dir.resolve(m.userEmbeddingsFile()),
                            GenerationFiles.FORMAT_EMBEDDINGS, arena, verifyChecksums), users));
                }
            }
            // Chronicle Map opens are slow (run-time class generation): started only once everything else
            // validated, they finish in the background while lookups binary-search the id lists
            itemIndex = IdIndex.open(dir.resolve(GenerationFiles.ITEM_INDEX), itemIds);
            userIndex = IdIndex.open(dir.resolve(GenerationFiles.USER_INDEX), userIds);
            Generation generation = new Generation(dir, manifest, arena, itemIds, userIds, itemIndex, userIndex, catalog,
                    histories, popularity, neighbors, embeddings, approximate);
            try {
                generation.openOptionalParts(verifyChecksums);
            } catch (IOException | RuntimeException e) {
                itemIndex.close();
                userIndex.close();
                throw e;
            }
            return generation;
        } catch (IOException | RuntimeException e) {
            if (itemIndex != null) {
                itemIndex.close();
            }
            if (userIndex != null) {
                userIndex.close();
            }
            arena.close();
            throw e;
        }
    }

    /**
     * Files later trainers added; older generations lack them and open unchanged: the time-of-day
     * profile and the block list.
     */
    private void openOptionalParts(boolean verifyChecksums) throws IOException {
        Path timeFile = directory.resolve(GenerationFiles.TIME_OF_DAY);
        if (Files.exists(timeFile)) {
            timeOfDay = TimeOfDayProfile.open(ModelFile.open(timeFile, GenerationFiles.FORMAT_TIME_OF_DAY, arena, verifyChecksums),
                    itemCount(), catalog == null ? 0 : catalog.categoryNameCount());
        }
        Path blockFile = directory.resolve(GenerationFiles.BLOCK_LIST);
        if (Files.exists(blockFile)) {
            blockList = BlockList.read(blockFile, itemIndex::indexOf);
        }
    }

    private static void check(boolean ok, Path p, String detail) throws ModelFormatException {
        if (!ok) {
            throw new ModelFormatException(CORRUPT, p, detail);
        }
    }

    public Path directory() { return directory; }
    public String id() { return manifest.generationId(); }
    public Manifest manifest() { return manifest; }
    public int itemCount() { return itemIds.size(); }
    public int userCount() { return userIds.size(); }
    public IdList itemIds() { return itemIds; }
    public IdList userIds() { return userIds; }
    public IdIndex itemIndex() { return itemIndex; }
    public IdIndex userIndex() { return userIndex; }
    /** Item titles and categories, or null when the generation was trained without item metadata. */
    public ItemCatalog catalog() { return catalog; }
    public UserHistories histories() { return histories; }
    public PopularityRanking popularity() { return popularity; }
    /** Item and category popularity by time of day, or null when the generation has none. */
    public TimeOfDayProfile timeOfDay() { return timeOfDay; }
    /** Items never to recommend ({@link BlockList#EMPTY} when the generation has no block list). */
    public BlockList blockList() { return blockList; }
    /** The model's neighbour lists, or null. */
    public NeighborLists neighbors(ModelKind model) { return neighbors.get(model); }
    public boolean hasModel(ModelKind model) { return manifest.model(model.id) != null; }
    public Manifest.ModelEntry modelEntry(ModelKind model) { return manifest.model(model.id); }

    /** The model's item embeddings, or null. */
    public EmbeddingMatrix itemEmbeddings(ModelKind model) {
        Manifest.ModelEntry m = manifest.model(model.id);
        return m == null || m.itemEmbeddingsFile() == null ? null : embeddings.get(m.itemEmbeddingsFile());
    }

    /** The model's user embeddings, or null. */
    public EmbeddingMatrix userEmbeddings(ModelKind model) {
        Manifest.ModelEntry m = manifest.model(model.id);
        return m == null || m.userEmbeddingsFile() == null ? null : embeddings.get(m.userEmbeddingsFile());
    }

    /** The model's approximate item index (present only for large catalogues), or null. */
    public IvfIndex approximateIndex(ModelKind model) {
        return approximateIndexes.get(model);
    }

    public ModelKind defaultModel() {
        return manifest.defaultModel() == null ? ModelKind.POPULARITY : ModelKind.fromId(manifest.defaultModel());
    }

    /** Unmaps all files and closes the id indexes. */
    @Override
    public void close() {
        try {
            itemIndex.close();
            userIndex.close();
        } finally {
            arena.close();
        }
    }
}
