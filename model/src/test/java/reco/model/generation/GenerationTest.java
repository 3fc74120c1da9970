package reco.model.generation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.model.ModelKind;
import reco.model.Neighborhoods;
import reco.model.format.ModelFileFormat;
import reco.model.format.ModelFormatException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerationTest {
    @TempDir
    Path root;

    static final List<String> ITEMS = List.of("i1", "i2", "i3", "ünï");
    static final List<String> USERS = List.of("alice", "bob");

    /** Writes a small but complete generation and returns its directory. */
    static Path writeGeneration(Path root) throws IOException {
        try (GenerationWriter w = GenerationWriter.begin(root)) {
            IdList.write(w.file(GenerationFiles.ITEM_IDS), ITEMS);
            IdList.write(w.file(GenerationFiles.USER_IDS), USERS);
            IdIndex.write(w.file(GenerationFiles.ITEM_INDEX), "items", ITEMS);
            IdIndex.write(w.file(GenerationFiles.USER_INDEX), "users", USERS);
            ItemCatalog.write(w.file(GenerationFiles.ITEM_CATALOG), java.util.Arrays.asList("One", "Two, with comma", null, "Ünï"),
                    List.of(List.of("Drama"), List.of("Drama", "Comedy"), List.of(), List.of("Comedy")));
            UserHistories.write(w.file(GenerationFiles.USER_HISTORIES), new long[] {0, 2, 3}, new int[] {0, 1, 2},
                    new float[] {1f, 0f, 2f}, new long[] {10, 20, 30});
            PopularityRanking.write(w.file(GenerationFiles.POPULARITY), new int[] {2, 0}, new float[] {2f, 1f},
                    new int[] {0, 2}, new float[] {1.5f, 1f}, new int[] {1, 0, 1, 0});
            NeighborLists.write(w.file(GenerationFiles.neighbors("content")),
                    new Neighborhoods(new int[] {0, 2, 3, 3, 4}, new int[] {1, 3, 0, 0}, new float[] {0.9f, 0.1f, 0.9f, 0.5f}));
            EmbeddingMatrix.write(w.file(GenerationFiles.embeddings("als-items")),
                    new float[] {1, 0, 0, 1, 1, 1, 0.5f, 0.5f}, 4, 2, new float[] {2.25f, 1.25f, 1.25f, 2.25f});
            EmbeddingMatrix.write(w.file(GenerationFiles.embeddings("als-users")), new float[] {1, 2, 3, 4}, 2, 2, null);
            Manifest m = new Manifest(0, null, null, "test", List.of(),
                    new Manifest.Counts(2, 4, 3, 2, 0, 3),
                    List.of(new Manifest.ModelEntry("content", GenerationFiles.neighbors("content"), null, null, 2, 0, true, Map.of()),
                            new Manifest.ModelEntry("als", null, GenerationFiles.embeddings("als-items"),
                                    GenerationFiles.embeddings("als-users"), 0, 2, true, Map.of("factors", 2))),
                    "content", Map.of(), null);
            return w.commit(m, 3);
        }
    }

    @Test
    void writesAndReadsBackEveryComponent() throws IOException {
        Path dir = writeGeneration(root);
        assertEquals(dir, Generation.currentDirectory(root));
        try (Generation g = Generation.open(dir)) {
            assertEquals(4, g.itemCount());
            assertEquals(2, g.userCount());
            assertEquals("ünï", g.itemIds().id(3));
            assertEquals(3, g.itemIndex().indexOf("ünï"));
            assertEquals(-1, g.itemIndex().indexOf("nope"));
            assertEquals(1, g.userIndex().indexOf("bob"));
            assertEquals("Two, with comma", g.catalog().title(1));
            assertEquals("", g.catalog().title(2));
            assertEquals(List.of("Drama", "Comedy"), g.catalog().categories(1));
            assertTrue(g.catalog().hasCategory(3, g.catalog().categoryId("Comedy")));
            assertEquals(2, g.histories().length(0));
            assertEquals(0f, g.histories().strength(1));
            assertEquals(30, g.histories().timestamp(g.histories().start(1)));
            assertEquals(2, g.popularity().item(false, 0));
            assertEquals(0, g.popularity().item(true, 0));
            assertEquals(1, g.popularity().count(2));
            assertEquals(3, g.neighbors(ModelKind.CONTENT).neighbor(1));
            assertEquals(2, g.neighbors(ModelKind.CONTENT).maxLength());
            assertEquals(1f, g.itemEmbeddings(ModelKind.ALS).get(2, 1));
            assertEquals(2.25f, g.itemEmbeddings(ModelKind.ALS).gram()[0]);
            assertEquals(4f, g.userEmbeddings(ModelKind.ALS).get(1, 1));
            assertNull(g.neighbors(ModelKind.ALS));
            assertEquals(ModelKind.CONTENT, g.defaultModel());
            assertEquals(ModelFileFormat.CURRENT_VERSION, g.manifest().formatVersion());
            assertFalse(g.manifest().files().isEmpty());
            assertNotNull(g.manifest().createdAt());
        }
    }

    @Test
    void idsResolveByBinarySearchOverTheIdList() throws IOException {
        List<String> ids = new java.util.ArrayList<>(List.of("", "a", "ab", "b", "ünï", "z", "\uD83D\uDE00", "10", "9"));
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 500; i++) {
            ids.add(Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
        }
        ids = new java.util.ArrayList<>(new java.util.LinkedHashSet<>(ids));
        Path file = root.resolve("ids.bin");
        IdList.write(file, ids);
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) {
            IdList list = IdList.open(reco.model.format.ModelFile.open(file, GenerationFiles.FORMAT_IDS, arena, true));
            for (int i = 0; i < ids.size(); i++) {
                assertEquals(i, list.indexOf(ids.get(i)), ids.get(i));
            }
            for (String unknown : List.of("aa", "ü", "zz", "a\u0000", "1")) {
                assertEquals(-1, list.indexOf(unknown), unknown);
            }
            IdIndex index = IdIndex.of(list);
            for (int i = 0; i < ids.size(); i++) {
                assertEquals(i, index.indexOf(ids.get(i)));
            }
            assertEquals(-1, index.indexOf("zz"));
        }
        assertThrows(IllegalArgumentException.class, () -> IdList.write(root.resolve("dup.bin"), List.of("x", "y", "x")));
        assertThrows(IllegalArgumentException.class, () -> IdList.write(root.resolve("long.bin"),
                List.of("x", "\u00e9".repeat(IdList.MAX_ID_BYTES / 2 + 1))), "an id that could never be queried");
        IdList.write(root.resolve("longest.bin"), List.of("x".repeat(IdList.MAX_ID_BYTES)));
    }

    @Test
    void aHashTableThatWouldMissAnIdIsRefused() throws IOException {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add("user-" + i);
        }
        Path file = root.resolve("ids.bin");
        IdList.write(file, ids);
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            reco.model.format.ModelFile f = reco.model.format.ModelFile.open(file, GenerationFiles.FORMAT_IDS, arena, true);
            java.lang.foreign.MemorySegment slots = f.section(IdList.SECTION_HASH_SLOTS, reco.model.format.SectionType.INT32).segment();
            long slotsAt = slots.address() - f.section("offsets", reco.model.format.SectionType.INT64).segment().address()
                    + offsetOf(f);
            int[] table = slots.toArray(reco.model.format.ModelFile.INT);
            // empty the slot just before an id that had to probe past its first slot: it becomes unreachable
            int victim = -1;
            for (int s = 1; s < table.length && victim < 0; s++) {
                if (table[s] != 0 && table[s - 1] != 0) {
                    victim = s - 1;
                }
            }
            assertTrue(victim >= 0, "1000 ids in 2048 slots collide somewhere");
            byte[] bytes = Files.readAllBytes(file);
            java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) (slotsAt + 4L * victim), 0);
            Path damaged = root.resolve("damaged.bin");
            Files.write(damaged, bytes);
            // without the checksum (which would catch it first), the table check still refuses it
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> IdList.open(
                    reco.model.format.ModelFile.open(damaged, GenerationFiles.FORMAT_IDS, arena, false)));
            assertTrue(e.getMessage().contains("not reachable") || e.getMessage().contains("holds 999 of 1000"), e.getMessage());
        }
    }

    /** File offset of the ids file's first section ("offsets"), from its section table. */
    private static long offsetOf(reco.model.format.ModelFile f) throws IOException {
        byte[] bytes = Files.readAllBytes(f.path());
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int pos = 84; // version 2 fixed header
        pos += 2 + (b.getShort(pos) & 0xffff); // format name
        pos += 2 + (b.getShort(pos) & 0xffff); // first section's name
        return b.getLong(pos + 1 + 8);
    }

    @Test
    void anUncommittedGenerationLeavesNothingVisible() throws IOException {
        try (GenerationWriter w = GenerationWriter.begin(root)) {
            IdList.write(w.file(GenerationFiles.ITEM_IDS), ITEMS);
        }
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(List.of(GenerationFiles.LOCK), s.map(p -> p.getFileName().toString()).toList(),
                    "only the (released) lock file");
        }
        assertThrows(ModelFormatException.class, () -> Generation.currentDirectory(root));
    }

    @Test
    void aStaleTemporaryDirectoryIsRemovedByTheNextWriter() throws IOException {
        Path stale = root.resolve(GenerationFiles.TEMP_PREFIX + "gen-x-999999999");
        Files.createDirectories(stale);
        Files.writeString(stale.resolve("junk"), "x");
        writeGeneration(root);
        assertFalse(Files.exists(stale));
    }

    @Test
    void aDamagedFileIsRefusedWithItsKind() throws IOException {
        Path dir = writeGeneration(root);
        Path neighbors = dir.resolve(GenerationFiles.neighbors("content"));
        byte[] bytes = Files.readAllBytes(neighbors);
        bytes[bytes.length - 40] ^= 1;
        Files.write(neighbors, bytes);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Generation.open(dir));
        assertEquals(ModelFormatException.Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().contains("neighbors-content.bin"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsRefusedAsTruncated() throws IOException {
        Path dir = writeGeneration(root);
        Path users = dir.resolve(GenerationFiles.USER_HISTORIES);
        byte[] bytes = Files.readAllBytes(users);
        Files.write(users, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertEquals(ModelFormatException.Kind.TRUNCATED,
                assertThrows(ModelFormatException.class, () -> Generation.open(dir)).kind());
    }

    @Test
    void aMissingManifestOrNewerFormatIsRefused() throws IOException {
        Path dir = writeGeneration(root);
        Path manifest = dir.resolve(GenerationFiles.MANIFEST);
        String json = Files.readString(manifest);
        Files.writeString(manifest, json.replaceFirst("\"formatVersion\" : \\d+", "\"formatVersion\" : 99"));
        assertEquals(ModelFormatException.Kind.TOO_NEW, assertThrows(ModelFormatException.class, () -> Generation.open(dir)).kind());
        Files.delete(manifest);
        assertEquals(ModelFormatException.Kind.MISSING, assertThrows(ModelFormatException.class, () -> Generation.open(dir)).kind());
    }

    @Test
    void currentPointsAtTheNewestAndOldGenerationsArePruned() throws IOException {
        Path first = writeGeneration(root);
        Path last = null;
        for (int i = 0; i < 4; i++) {
            last = writeGeneration(root);
        }
        assertEquals(last.getFileName().toString(),
                Files.readString(root.resolve(GenerationFiles.CURRENT), StandardCharsets.UTF_8).trim());
        assertFalse(Files.exists(first), "only the newest 3 generations are kept");
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(3, s.filter(p -> p.getFileName().toString().startsWith("gen-")).count());
        }
    }
}
