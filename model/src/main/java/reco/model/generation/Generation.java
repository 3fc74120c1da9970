package reco.model.generation;

import reco.model.ModelKind;
import reco.model.ann.IvfIndex;
import reco.model.format.ModelFile;
import reco.model.format.ModelFileFormat;
import reco.model.format.ModelFormatException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    private final List<MappedFile> mappedFiles;
    private TimeOfDayProfile timeOfDay; // optional: null when the generation has none
    private BlockList blockList = BlockList.EMPTY; // optional

    /** Model parameter naming the model's approximate item index file (large catalogues only). */
    public static final String ANN_INDEX_PARAMETER = "annIndexFile";

    private Generation(Path directory, Manifest manifest, Arena arena, IdList itemIds, IdList userIds,
                       IdIndex itemIndex, IdIndex userIndex, ItemCatalog catalog, UserHistories histories,
                       PopularityRanking popularity, Map<ModelKind, NeighborLists> neighbors,
                       Map<String, EmbeddingMatrix> embeddings, Map<ModelKind, IvfIndex> approximateIndexes,
                       List<MappedFile> mappedFiles) {
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
        this.mappedFiles = mappedFiles;
    }

    /** A file the generation maps, as it was when mapped: the same file (inode) must keep this size. */
    private record MappedFile(Path path, Object fileKey, long size) {}

    /**
     * The directory {@code root/CURRENT} names. CURRENT must be a small regular file holding one
     * generation name ({@link GenerationFiles#isGenerationName}): never a path, a temporary directory or
     * bytes that are not text.
     *
     * @throws ModelFormatException MISSING when there is no CURRENT or the directory it names is absent,
     *                              CORRUPT when CURRENT does not hold a generation name
     */
    public static Path currentDirectory(Path root) throws IOException {
        String id = GenerationWriter.readCurrent(root);
        if (id == null) {
            throw new ModelFormatException(MISSING, root.resolve(GenerationFiles.CURRENT),
                    "no generation published under " + root + " (run `reco train --out " + root + "` first)");
        }
        Path dir = root.resolve(id);
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException(MISSING, root.resolve(GenerationFiles.CURRENT),
                    "names generation '" + id + "', but " + dir + " is not a directory");
        }
        return dir;
    }

    /** Opens {@code dir}, verifying checksums of every file. */
    public static Generation open(Path dir) throws IOException {
        return open(dir, true);
    }

    /**
     * Opens and validates the generation in {@code dir}: the manifest (format version range, file names,
     * every listed file a regular file of the listed size), then every file it lists: the CRC32C the
     * manifest gives (when {@code verifyChecksums}), each binary file's own header, version, footer
     * checksum and generation id, and the structure of each part (offsets, index ranges, finite
     * floats). Files the manifest does not list are never opened.
     *
     * @throws ModelFormatException when anything does not hold, with the file at fault and why
     */
    public static Generation open(Path dir, boolean verifyChecksums) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException(MISSING, dir, "no such generation directory");
        }
        Path manifestFile = dir.resolve(GenerationFiles.MANIFEST);
        Manifest manifest = readManifest(manifestFile);
        ListedFiles listed = ListedFiles.check(dir, manifestFile, manifest);
        int items = count(manifest.counts().items(), manifestFile, "items");
        int users = count(manifest.counts().users(), manifestFile, "users");
        Arena arena = Arena.ofShared();
        try {
            Opener files = new Opener(listed, manifest, arena, verifyChecksums);
            IdList itemIds = IdList.open(files.required(GenerationFiles.ITEM_IDS, GenerationFiles.FORMAT_IDS));
            IdList userIds = IdList.open(files.required(GenerationFiles.USER_IDS, GenerationFiles.FORMAT_IDS));
            check(itemIds.size() == items, dir.resolve(GenerationFiles.ITEM_IDS), "holds " + itemIds.size() + " ids, manifest says " + items);
            check(userIds.size() == users, dir.resolve(GenerationFiles.USER_IDS), "holds " + userIds.size() + " ids, manifest says " + users);

            ModelFile catalogFile = files.optional(GenerationFiles.ITEM_CATALOG, GenerationFiles.FORMAT_ITEM_CATALOG);
            ItemCatalog catalog = catalogFile == null ? null : ItemCatalog.open(catalogFile, items);
            UserHistories histories = UserHistories.open(files.required(GenerationFiles.USER_HISTORIES,
                    GenerationFiles.FORMAT_USER_HISTORIES), users, items);
            PopularityRanking popularity = PopularityRanking.open(files.required(GenerationFiles.POPULARITY,
                    GenerationFiles.FORMAT_POPULARITY), items);
            Map<ModelKind, NeighborLists> neighbors = new EnumMap<>(ModelKind.class);
            Map<String, EmbeddingMatrix> embeddings = new HashMap<>();
            Map<ModelKind, IvfIndex> approximate = new EnumMap<>(ModelKind.class);
            for (Manifest.ModelEntry m : manifest.models()) {
                ModelKind kind;
                try {
                    kind = ModelKind.fromId(m.name());
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw new ModelFormatException(TOO_NEW, manifestFile, "unknown model '" + m.name() + "'");
                }
                if (m.neighborsFile() != null) {
                    neighbors.put(kind, NeighborLists.open(files.model(m.neighborsFile(), GenerationFiles.FORMAT_NEIGHBORS), items));
                }
                if (m.itemEmbeddingsFile() != null) {
                    embeddings.put(m.itemEmbeddingsFile(), EmbeddingMatrix.open(
                            files.model(m.itemEmbeddingsFile(), GenerationFiles.FORMAT_EMBEDDINGS), items));
                }
                if (m.itemEmbeddingsFile() != null && m.parameters() != null
                        && m.parameters().get(ANN_INDEX_PARAMETER) instanceof String annFile) {
                    EmbeddingMatrix itemVectors = embeddings.get(m.itemEmbeddingsFile());
                    approximate.put(kind, IvfIndex.open(files.model(annFile, IvfIndex.FORMAT), items, itemVectors.dimensions()));
                }
                if (m.userEmbeddingsFile() != null) {
                    embeddings.put(m.userEmbeddingsFile(), EmbeddingMatrix.open(
                            files.model(m.userEmbeddingsFile(), GenerationFiles.FORMAT_EMBEDDINGS), users));
                }
            }
            ModelFile timeFile = files.optional(GenerationFiles.TIME_OF_DAY, GenerationFiles.FORMAT_TIME_OF_DAY);
            TimeOfDayProfile timeOfDay = timeFile == null ? null
                    : TimeOfDayProfile.open(timeFile, items, catalog == null ? 0 : catalog.categoryNameCount());
            if (verifyChecksums) {
                files.verifyTheRest();
            }
            Generation generation = new Generation(dir, manifest, arena, itemIds, userIds, IdIndex.of(itemIds),
                    IdIndex.of(userIds), catalog, histories, popularity, neighbors, embeddings, approximate,
                    List.copyOf(files.mapped()));
            generation.timeOfDay = timeOfDay;
            if (listed.entry(GenerationFiles.BLOCK_LIST) != null) {
                generation.blockList = BlockList.read(dir.resolve(GenerationFiles.BLOCK_LIST), generation.itemIndex::indexOf);
            }
            return generation;
        } catch (InternalError e) {
            // a mapped page vanished under a check: a file was truncated while being validated
            arena.close();
            throw new ModelFormatException(TRUNCATED, dir, "a file shrank while being validated ("
                    + e.getMessage() + "); was the generation changed in place?");
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static Manifest readManifest(Path manifestFile) throws IOException {
        if (!Files.exists(manifestFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new ModelFormatException(MISSING, manifestFile, "generation is incomplete (no manifest)");
        }
        if (!Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new ModelFormatException(CORRUPT, manifestFile, "not a regular file");
        }
        long size = Files.size(manifestFile);
        if (size > GenerationFiles.MAX_MANIFEST_BYTES) {
            throw new ModelFormatException(CORRUPT, manifestFile, size + " bytes: too large for a manifest");
        }
        Manifest manifest;
        try {
            manifest = Manifest.parse(Files.readAllBytes(manifestFile));
        } catch (IOException | RuntimeException e) {
            throw new ModelFormatException(CORRUPT, manifestFile, "unreadable manifest: " + firstLine(e.getMessage()));
        }
        String range = ", this reader supports " + ModelFileFormat.MIN_SUPPORTED_VERSION + ".." + ModelFileFormat.CURRENT_VERSION;
        if (manifest.formatVersion() < ModelFileFormat.MIN_SUPPORTED_VERSION) {
            throw new ModelFormatException(TOO_OLD, manifestFile, "format version " + manifest.formatVersion() + range
                    + "; retrain with this trainer");
        }
        if (manifest.formatVersion() > ModelFileFormat.CURRENT_VERSION) {
            throw new ModelFormatException(TOO_NEW, manifestFile, "format version " + manifest.formatVersion() + range
                    + "; upgrade the server");
        }
        if (manifest.files() == null || manifest.counts() == null || manifest.models() == null
                || manifest.generationId() == null) {
            throw new ModelFormatException(CORRUPT, manifestFile, "manifest lacks generationId, files, counts or models");
        }
        return manifest;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static int count(long n, Path manifestFile, String what) throws ModelFormatException {
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new ModelFormatException(CORRUPT, manifestFile, "implausible count of " + what + ": " + n);
        }
        return (int) n;
    }

    /**
     * The manifest's file list, checked before anything is opened: plain names only (no path can leave
     * the generation directory), no name twice, each a regular file (never a symbolic link, FIFO or
     * device, which could block a reader or point anywhere) of exactly the listed size.
     */
    private record ListedFiles(Path dir, Path manifestFile, Map<String, Manifest.FileEntry> entries) {
        static ListedFiles check(Path dir, Path manifestFile, Manifest manifest) throws IOException {
            Map<String, Manifest.FileEntry> entries = new LinkedHashMap<>();
            for (Manifest.FileEntry f : manifest.files()) {
                if (f == null || !GenerationFiles.isPlainFileName(f.name()) || f.name().equals(GenerationFiles.MANIFEST)) {
                    throw new ModelFormatException(CORRUPT, manifestFile, "lists a file named '"
                            + (f == null ? null : f.name()) + "': only plain file names of the generation directory are allowed");
                }
                if (entries.put(f.name(), f) != null) {
                    throw new ModelFormatException(CORRUPT, manifestFile, "lists '" + f.name() + "' twice");
                }
                Path p = dir.resolve(f.name());
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new ModelFormatException(MISSING, p, "listed in the manifest but absent");
                }
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new ModelFormatException(CORRUPT, p, "not a regular file (a link, FIFO, device or directory)");
                }
                long size = Files.size(p);
                if (size < f.size()) {
                    throw new ModelFormatException(TRUNCATED, p, size + " bytes, manifest says " + f.size());
                }
                if (size > f.size()) {
                    throw new ModelFormatException(CORRUPT, p, size + " bytes, manifest says " + f.size());
                }
            }
            return new ListedFiles(dir, manifestFile, entries);
        }

        Manifest.FileEntry entry(String name) throws ModelFormatException {
            if (!GenerationFiles.isPlainFileName(name)) {
                throw new ModelFormatException(CORRUPT, manifestFile, "names a model file '" + name
                        + "': only plain file names of the generation directory are allowed");
            }
            return entries.get(name);
        }

        static void checkChecksum(Path p, Manifest.FileEntry f, String actual) throws ModelFormatException {
            if (f.crc32c() == null || !f.crc32c().equalsIgnoreCase(actual)) {
                throw new ModelFormatException(CORRUPT, p, "checksum mismatch: manifest lists CRC32C " + f.crc32c()
                        + ", file has " + actual);
            }
        }
    }

    /** Opens listed model files, checking each against the manifest (checksum, generation id). */
    private record Opener(ListedFiles listed, Manifest manifest, Arena arena, boolean verifyChecksums, Set<String> verified,
                          List<MappedFile> mapped) {
        Opener(ListedFiles listed, Manifest manifest, Arena arena, boolean verifyChecksums) {
            this(listed, manifest, arena, verifyChecksums, new HashSet<>(), new ArrayList<>());
        }

        /**
         * Checks the CRC32C of the listed files no model part opened (the block list, the Chronicle Map
         * id indexes the server does not read): every byte the manifest lists is verified.
         */
        void verifyTheRest() throws IOException {
            for (Manifest.FileEntry f : listed.entries().values()) {
                if (!verified.contains(f.name())) {
                    Path p = listed.dir().resolve(f.name());
                    ListedFiles.checkChecksum(p, f, GenerationWriter.crc32cHex(p));
                }
            }
        }

        ModelFile required(String name, String format) throws IOException {
            ModelFile f = optional(name, format);
            if (f == null) {
                throw new ModelFormatException(MISSING, listed.dir().resolve(name), "not listed in the manifest");
            }
            return f;
        }

        /** A file a model entry names: it must be listed like every other. */
        ModelFile model(String name, String format) throws IOException {
            if (listed.entry(name) == null) {
                throw new ModelFormatException(CORRUPT, listed.manifestFile(), "a model names '" + name
                        + "', which the file list does not hold");
            }
            return required(name, format);
        }

        /** The file, or null when the manifest does not list it. */
        ModelFile optional(String name, String format) throws IOException {
            Manifest.FileEntry entry = listed.entry(name);
            if (entry == null) {
                return null;
            }
            Path p = listed.dir().resolve(name);
            BasicFileAttributes attributes = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            ModelFile f = ModelFile.open(p, format, arena, verifyChecksums);
            mapped.add(new MappedFile(p, attributes.fileKey(), attributes.size()));
            if (verifyChecksums) {
                ListedFiles.checkChecksum(p, entry, HexFormat.of().toHexDigits((int) f.fileChecksum()));
                verified.add(name);
            }
            checkGenerationId(p, f);
            return f;
        }

        /**
         * Version-2 generations: every file carries the manifest's generation id, so a file copied in
         * from another generation is refused even if its size and checksum were made to fit. Version-1
         * generations predate the field; their files must be version 1 too (never a mix).
         */
        private void checkGenerationId(Path p, ModelFile f) throws ModelFormatException {
            if (manifest.formatVersion() < ModelFileFormat.GENERATION_ID_VERSION) {
                if (f.generationId() != null) {
                    throw new ModelFormatException(CORRUPT, p, "format version " + f.version()
                            + " file in a version " + manifest.formatVersion() + " generation");
                }
                return;
            }
            if (f.generationId() == null) {
                throw new ModelFormatException(CORRUPT, p, "format version " + f.version()
                        + " file (no generation id) in a version " + manifest.formatVersion() + " generation");
            }
            if (!f.generationId().equals(manifest.generationId())) {
                throw new ModelFormatException(CORRUPT, p, "belongs to generation '" + f.generationId()
                        + "', not '" + manifest.generationId() + "' (a file from another generation?)");
            }
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

    /**
     * Mapped files changed in place since they were opened: the same file (inode) with another size,
     * i.e. truncated or extended by someone writing into the published generation. Reading a page a
     * truncation removed faults. A file deleted or replaced by a new one (what pruning and retraining
     * do) is no problem: the mapping keeps the old file alive. Costs one stat per mapped file.
     *
     * @return one line per changed file; empty when none changed
     */
    public List<String> filesChangedInPlace() {
        List<String> changed = new ArrayList<>();
        for (MappedFile f : mappedFiles) {
            try {
                BasicFileAttributes now = Files.readAttributes(f.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                boolean sameFile = f.fileKey() == null || f.fileKey().equals(now.fileKey());
                if (sameFile && now.size() != f.size()) {
                    changed.add(f.path() + " is " + now.size() + " bytes, " + f.size() + " when mapped");
                }
            } catch (NoSuchFileException deleted) {
                // unlinked: the mapping still holds the file
            } catch (IOException e) {
                changed.add(f.path() + ": " + e.getMessage());
            }
        }
        return changed;
    }

    /** Unmaps all files. */
    @Override
    public void close() {
        arena.close();
    }
}
