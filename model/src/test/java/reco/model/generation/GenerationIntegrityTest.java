package reco.model.generation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.model.format.ModelFile;
import reco.model.format.ModelFileFormat;
import reco.model.format.ModelFileWriter;
import reco.model.format.ModelFormatException;
import reco.model.format.SectionType;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link Generation#open} refuses, and that it refuses it with the file at fault: files the
 * manifest lists that are not what was written (checksums, sizes, generation ids), names that point
 * outside the generation or at something that is not a regular file, and values no model can hold.
 */
class GenerationIntegrityTest {
    @TempDir
    Path root;

    private Path generation() throws IOException {
        return GenerationTest.writeGeneration(root);
    }

    private static ModelFormatException refused(Path dir) {
        return assertThrows(ModelFormatException.class, () -> Generation.open(dir).close());
    }

    /** Rewrites the manifest of {@code dir} (e.g. to make a changed file's size and checksum fit again). */
    static void editManifest(Path dir, java.util.function.UnaryOperator<Manifest> edit) throws IOException {
        Path file = dir.resolve(GenerationFiles.MANIFEST);
        Files.write(file, edit.apply(Manifest.read(file)).toJson());
    }

    /** Lists {@code name} in the manifest with its current size and checksum, as if it had been written so. */
    static void relist(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        Manifest.FileEntry entry = new Manifest.FileEntry(name, Files.size(p), GenerationWriter.crc32cHex(p));
        editManifest(dir, m -> withFiles(m, files -> {
            files.removeIf(f -> f.name().equals(name));
            files.add(entry);
        }));
    }

    static Manifest withFiles(Manifest m, Consumer<List<Manifest.FileEntry>> change) {
        List<Manifest.FileEntry> files = new ArrayList<>(m.files());
        change.accept(files);
        return new Manifest(m.formatVersion(), m.generationId(), m.createdAt(), m.trainerVersion(), m.inputs(),
                m.counts(), m.models(), m.defaultModel(), m.parameters(), files);
    }

    @Test
    void everyModelFileCarriesItsGenerationId() throws IOException {
        Path dir = generation();
        String id = dir.getFileName().toString();
        try (Arena arena = Arena.ofConfined()) {
            ModelFile ids = ModelFile.open(dir.resolve(GenerationFiles.ITEM_IDS), GenerationFiles.FORMAT_IDS, arena, true);
            assertEquals(ModelFileFormat.CURRENT_VERSION, ids.version());
            assertEquals(id, ids.generationId());
            assertEquals(GenerationWriter.crc32cHex(dir.resolve(GenerationFiles.ITEM_IDS)),
                    java.util.HexFormat.of().toHexDigits((int) ids.fileChecksum()), "the manifest's checksum, footer included");
        }
        try (Generation g = Generation.open(dir)) {
            assertEquals(id, g.id());
        }
    }

    @Test
    void aValidFileCopiedInFromAnotherGenerationIsRefused() throws IOException {
        Path first = generation();
        Path second = generation();
        String name = GenerationFiles.POPULARITY;
        Files.copy(first.resolve(name), second.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // the checksum the manifest lists catches the copy ...
        ModelFormatException e = refused(second);
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("checksum mismatch"), e.getMessage());
        // ... and so does the file's own header when the manifest was "repaired" to fit
        relist(second, name);
        e = refused(second);
        assertEquals(ModelFormatException.Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().contains("belongs to generation '" + first.getFileName() + "'"), e.getMessage());
    }

    @Test
    void theManifestsChecksumOfFilesTheServerDoesNotMapIsVerifiedToo() throws IOException {
        Path dir = generation();
        Path index = dir.resolve(GenerationFiles.USER_INDEX);
        byte[] bytes = Files.readAllBytes(index);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(index, bytes);
        ModelFormatException e = refused(dir);
        assertTrue(e.getMessage().contains(GenerationFiles.USER_INDEX) && e.getMessage().contains("checksum mismatch"),
                e.getMessage());
    }

    @Test
    void manifestNamesThatLeaveTheGenerationOrAreNotRegularFilesAreRefusedAtOnce() throws Exception {
        Path dir = generation();
        Files.writeString(root.resolve("other"), "outside the generation");
        Path fifo = dir.resolve("a-fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo is needed by this test");
        Files.createSymbolicLink(dir.resolve("a-link"), Path.of("/dev/zero"));
        Files.createDirectory(dir.resolve("a-directory"));
        Generation.open(dir).close(); // warm: the checks below must not pay for class loading
        Path manifest = dir.resolve(GenerationFiles.MANIFEST);
        byte[] good = Files.readAllBytes(manifest);
        for (String name : List.of("../other", "/dev/zero", "sub/file", "..", ".", "", "a-fifo", "a-link", "a-directory",
                "nul\u0000byte")) {
            Files.write(manifest, good);
            editManifest(dir, m -> withFiles(m, files -> files.add(new Manifest.FileEntry(name, 0, "00000000"))));
            ModelFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> refused(dir),
                    "manifest name '" + name + "' must be refused without blocking");
            assertEquals(ModelFormatException.Kind.CORRUPT, e.kind(), name + ": " + e.getMessage());
        }
        // a model entry naming a file outside the list is refused as well
        Files.write(manifest, good);
        editManifest(dir, m -> new Manifest(m.formatVersion(), m.generationId(), m.createdAt(), m.trainerVersion(),
                m.inputs(), m.counts(), List.of(new Manifest.ModelEntry("content", "../other", null, null, 2, 0, true, Map.of())),
                "content", m.parameters(), m.files()));
        assertTrue(refused(dir).getMessage().contains("../other"));
        // the manifest itself must be a regular file
        Files.delete(manifest);
        new ProcessBuilder("mkfifo", manifest.toString()).inheritIO().start().waitFor();
        assertEquals(ModelFormatException.Kind.CORRUPT, assertTimeoutPreemptively(Duration.ofSeconds(1), () -> refused(dir)).kind());
    }

    @Test
    void nonFiniteEmbeddingsOrScoresWithAValidChecksumAreRefused() throws IOException {
        Path dir = generation();
        String embeddings = GenerationFiles.embeddings("als-users");
        Path file = dir.resolve(embeddings);
        Files.delete(file);
        // written past EmbeddingMatrix.write's own check, stamped and listed like a real file
        try (ModelFileWriter w = ModelFileWriter.create(file, GenerationFiles.FORMAT_EMBEDDINGS)) {
            w.declare("shape", SectionType.INT64, 2).declare("vectors", SectionType.FLOAT32, 4)
                    .declare("gram", SectionType.FLOAT32, 0).begin();
            w.putLong(2);
            w.putLong(2);
            w.putFloats(new float[] {1, Float.NaN, 3, 4});
        }
        ModelFileWriter.stampGenerationId(file, dir.getFileName().toString());
        relist(dir, embeddings);
        ModelFormatException e = refused(dir);
        assertTrue(e.getMessage().contains(embeddings) && e.getMessage().contains("NaN"), e.getMessage());

        Path other = GenerationTest.writeGeneration(root.resolve("other-root"));
        String neighbors = GenerationFiles.neighbors("content");
        Path lists = other.resolve(neighbors);
        Files.delete(lists);
        try (ModelFileWriter w = ModelFileWriter.create(lists, GenerationFiles.FORMAT_NEIGHBORS)) {
            w.declare("offsets", SectionType.INT64, 5).declare("items", SectionType.INT32, 1)
                    .declare("scores", SectionType.FLOAT32, 1).begin();
            w.putLongs(new long[] {0, 1, 1, 1, 1});
            w.putInt(1);
            w.putFloat(Float.POSITIVE_INFINITY);
        }
        ModelFileWriter.stampGenerationId(lists, other.getFileName().toString());
        relist(other, neighbors);
        e = refused(other);
        assertTrue(e.getMessage().contains(neighbors) && e.getMessage().contains("Infinity"), e.getMessage());
    }

    @Test
    void writersRefuseNonFiniteValues() {
        Path file = root.resolve("x.bin");
        assertThrows(ModelFormatException.class, () -> EmbeddingMatrix.write(file, new float[] {1, Float.NaN}, 1, 2, null));
        assertThrows(ModelFormatException.class, () -> NeighborLists.write(file,
                new reco.model.Neighborhoods(new int[] {0, 1}, new int[] {0}, new float[] {Float.NEGATIVE_INFINITY})));
        assertThrows(ModelFormatException.class, () -> PopularityRanking.write(file, new int[] {0}, new float[] {Float.NaN},
                new int[0], new float[0], new int[] {1}));
        assertTrue(!Files.exists(file), "nothing is written");
    }

    @Test
    void currentMustNameAGenerationDirectoryOfTheRoot() throws Exception {
        Path dir = generation();
        Path current = root.resolve(GenerationFiles.CURRENT);
        Files.createDirectories(root.resolve(GenerationFiles.TEMP_PREFIX + "gen-x-1"));
        for (String junk : List.of("../x", "/etc", dir.toAbsolutePath().toString(), ".tmp-gen-x-1", "..", "gen a",
                "gen-\u00e9", "x".repeat(64), "two\nlines")) {
            Files.writeString(current, junk + "\n", StandardCharsets.UTF_8);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> Generation.currentDirectory(root), junk);
            assertEquals(ModelFormatException.Kind.CORRUPT, e.kind(), junk + ": " + e.getMessage());
        }
        Files.write(current, new byte[] {(byte) 0xff, (byte) 0xfe, 'g', 0, 'e', 0});
        assertEquals(ModelFormatException.Kind.CORRUPT,
                assertThrows(ModelFormatException.class, () -> Generation.currentDirectory(root)).kind());
        Files.writeString(current, "gen-19700101-000000-000\n");
        assertEquals(ModelFormatException.Kind.MISSING,
                assertThrows(ModelFormatException.class, () -> Generation.currentDirectory(root)).kind());
        Files.delete(current);
        new ProcessBuilder("mkfifo", current.toString()).inheritIO().start().waitFor();
        assertEquals(ModelFormatException.Kind.CORRUPT, assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> assertThrows(ModelFormatException.class, () -> Generation.currentDirectory(root))).kind());
        Files.delete(current);
        assertNull(GenerationWriter.readCurrent(root), "no CURRENT: nothing published");
        Files.writeString(current, dir.getFileName() + "\n");
        assertEquals(dir, Generation.currentDirectory(root));
    }

    @Test
    void aVersionOneGenerationIsStillReadAndIdsResolveByBinarySearch() throws Exception {
        Path copy = root.resolve("v1");
        copyTree(Path.of(getClass().getResource("/golden/model-root-v1").toURI()), copy);
        Path dir = Generation.currentDirectory(copy);
        try (Generation g = Generation.open(dir)) {
            assertEquals(1, g.manifest().formatVersion());
            assertEquals(4, g.itemCount());
            for (int i = 0; i < GenerationTest.ITEMS.size(); i++) {
                assertEquals(i, g.itemIndex().indexOf(GenerationTest.ITEMS.get(i)));
            }
            assertEquals(-1, g.itemIndex().indexOf("nope"));
            assertEquals(1, g.userIndex().indexOf("bob"));
            assertEquals(3, g.neighbors(reco.model.ModelKind.CONTENT).neighbor(1));
        }
        try (Arena arena = Arena.ofConfined()) {
            ModelFile v1 = ModelFile.open(dir.resolve(GenerationFiles.ITEM_IDS), GenerationFiles.FORMAT_IDS, arena, true);
            assertEquals(1, v1.version());
            assertNull(v1.generationId(), "version 1 has no generation id field");
        }
        // a version-2 file mixed into a version-1 generation is refused
        Path fresh = generation();
        Files.copy(fresh.resolve(GenerationFiles.USER_IDS), dir.resolve(GenerationFiles.USER_IDS),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        relist(dir, GenerationFiles.USER_IDS);
        assertTrue(refused(dir).getMessage().contains("in a version 1 generation"));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
