package reco.model.format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFileTest {
    @TempDir
    Path dir;

    private Path writeSample() throws IOException {
        Path f = dir.resolve("sample.bin");
        try (ModelFileWriter w = ModelFileWriter.create(f, "reco.test")) {
            w.declare("ints", SectionType.INT32, 5)
                    .declare("empty", SectionType.FLOAT32, 0)
                    .declare("floats", SectionType.FLOAT32, 3)
                    .declare("longs", SectionType.INT64, 2)
                    .declare("bytes", SectionType.BYTES, 3)
                    .begin();
            w.putInts(new int[] {1, -2, 3, Integer.MAX_VALUE, Integer.MIN_VALUE});
            w.putFloats(new float[] {0.5f, Float.NaN, -1e30f});
            w.putLongs(new long[] {Long.MAX_VALUE, -7});
            w.putBytes(new byte[] {'a', 'b', 'c'});
        }
        return f;
    }

    @Test
    void roundTripsEverySectionType() throws IOException {
        Path f = writeSample();
        try (Arena arena = Arena.ofConfined()) {
            ModelFile m = ModelFile.open(f, "reco.test", arena, true);
            assertEquals(ModelFileFormat.CURRENT_VERSION, m.version());
            assertArrayEquals(new int[] {1, -2, 3, Integer.MAX_VALUE, Integer.MIN_VALUE},
                    m.section("ints", SectionType.INT32, 5).segment().toArray(ModelFile.INT));
            assertArrayEquals(new float[] {0.5f, Float.NaN, -1e30f},
                    m.section("floats", SectionType.FLOAT32, 3).segment().toArray(ModelFile.FLOAT));
            assertArrayEquals(new long[] {Long.MAX_VALUE, -7}, m.section("longs", SectionType.INT64).segment().toArray(ModelFile.LONG));
            assertArrayEquals(new byte[] {'a', 'b', 'c'}, m.section("bytes", SectionType.BYTES).segment().toArray(ModelFile.BYTE));
            assertEquals(0, m.section("empty", SectionType.FLOAT32).count());
            assertEquals(0, m.section("floats", SectionType.FLOAT32).segment().address() % ModelFileFormat.ALIGNMENT,
                    "sections start 64-byte aligned so floats can be read aligned");
        }
    }

    @Test
    void fileIsLittleEndianWithMagicFirst() throws IOException {
        byte[] bytes = Files.readAllBytes(writeSample());
        assertEquals('R', bytes[0]);
        assertEquals('E', bytes[1]);
        assertEquals('C', bytes[2]);
        assertEquals('O', bytes[3]);
        assertEquals(bytes.length, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(8));
    }

    @Test
    void everyFlippedByteIsDetected() throws IOException {
        Path f = writeSample();
        byte[] original = Files.readAllBytes(f);
        for (int i = 0; i < original.length; i++) {
            byte[] damaged = original.clone();
            damaged[i] ^= 0x10;
            Files.write(f, damaged);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> open(f), "byte " + i);
            assertTrue(e.kind() == ModelFormatException.Kind.CORRUPT || e.kind() == ModelFormatException.Kind.TRUNCATED
                            || e.kind() == ModelFormatException.Kind.TOO_NEW || e.kind() == ModelFormatException.Kind.TOO_OLD,
                    "byte " + i + ": " + e.getMessage());
        }
    }

    @Test
    void checksumMismatchIsReportedAsCorrupt() throws IOException {
        Path f = writeSample();
        byte[] bytes = Files.readAllBytes(f);
        bytes[200] ^= 1; // inside a section's data
        Files.write(f, bytes);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> open(f));
        assertEquals(ModelFormatException.Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @Test
    void truncationIsReportedAsTruncated() throws IOException {
        Path f = writeSample();
        long size = Files.size(f);
        for (long keep : new long[] {size - 1, size - 16, size / 2, 40}) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(keep);
            }
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> open(f));
            assertEquals(ModelFormatException.Kind.TRUNCATED, e.kind(), e.getMessage());
            writeSample();
        }
        Files.write(f, new byte[3]);
        assertEquals(ModelFormatException.Kind.TRUNCATED, assertThrows(ModelFormatException.class, () -> open(f)).kind());
    }

    @Test
    void versionsOutsideTheSupportedRangeAreTooOldOrTooNew() throws IOException {
        Path f = writeSample();
        setVersion(f, ModelFileFormat.CURRENT_VERSION + 1);
        ModelFormatException newer = assertThrows(ModelFormatException.class, () -> open(f));
        assertEquals(ModelFormatException.Kind.TOO_NEW, newer.kind());
        assertTrue(newer.getMessage().contains("version " + (ModelFileFormat.CURRENT_VERSION + 1)), newer.getMessage());
        setVersion(f, ModelFileFormat.MIN_SUPPORTED_VERSION - 1);
        assertEquals(ModelFormatException.Kind.TOO_OLD, assertThrows(ModelFormatException.class, () -> open(f)).kind());
    }

    @Test
    void wrongFormatNameAndMissingFileAreDistinct() throws IOException {
        Path f = writeSample();
        try (Arena arena = Arena.ofConfined()) {
            ModelFormatException wrong = assertThrows(ModelFormatException.class,
                    () -> ModelFile.open(f, "reco.other", arena, true));
            assertEquals(ModelFormatException.Kind.CORRUPT, wrong.kind());
            ModelFormatException missing = assertThrows(ModelFormatException.class,
                    () -> ModelFile.open(dir.resolve("nope.bin"), "reco.test", arena, true));
            assertEquals(ModelFormatException.Kind.MISSING, missing.kind());
        }
    }

    @Test
    void aVersionOneFileIsStillRead() throws Exception {
        Path golden = Path.of(getClass().getResource("/golden/model-file-v1.bin").toURI());
        try (Arena arena = Arena.ofConfined()) {
            ModelFile m = ModelFile.open(golden, "reco.test", arena, true);
            assertEquals(1, m.version());
            assertEquals(null, m.generationId(), "version 1 has no generation id field");
            assertArrayEquals(new int[] {1, -2, 3, Integer.MAX_VALUE, Integer.MIN_VALUE},
                    m.section("ints", SectionType.INT32, 5).segment().toArray(ModelFile.INT));
            assertArrayEquals(new byte[] {'a', 'b', 'c'}, m.section("bytes", SectionType.BYTES).segment().toArray(ModelFile.BYTE));
        }
    }

    @Test
    void stampingWritesTheGenerationIdAndResealsTheFooter() throws IOException {
        Path f = writeSample();
        try (Arena arena = Arena.ofConfined()) {
            assertEquals("", ModelFile.open(f, "reco.test", arena, true).generationId(), "written unstamped");
        }
        long whole = ModelFileWriter.stampGenerationId(f, "gen-20240101-000000-000");
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(Files.readAllBytes(f));
        assertEquals(crc.getValue(), whole, "returns the CRC32C of the whole stamped file");
        try (Arena arena = Arena.ofConfined()) {
            ModelFile m = ModelFile.open(f, "reco.test", arena, true);
            assertEquals("gen-20240101-000000-000", m.generationId());
            assertEquals(whole, m.fileChecksum());
        }
        ModelFileWriter.stampGenerationId(f, "gen-2");
        try (Arena arena = Arena.ofConfined()) {
            assertEquals("gen-2", ModelFile.open(f, "reco.test", arena, true).generationId());
        }
        byte[] bytes = Files.readAllBytes(f);
        bytes[22] ^= 1; // inside the stamped id
        Files.write(f, bytes);
        assertTrue(assertThrows(ModelFormatException.class, () -> open(f)).getMessage().contains("checksum mismatch"));
        assertThrows(IllegalArgumentException.class, () -> ModelFileWriter.stampGenerationId(f, "has space"));
        assertThrows(IllegalArgumentException.class, () -> ModelFileWriter.stampGenerationId(f, "x".repeat(64)));
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "not a model file at all, but long enough to hold a header");
        assertThrows(ModelFormatException.class, () -> ModelFileWriter.stampGenerationId(text, "gen-1"));
    }

    @Test
    void aFifoOrDeviceIsRefusedWithoutBeingOpened() throws Exception {
        Path fifo = dir.resolve("fifo.bin");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        ModelFormatException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                () -> assertThrows(ModelFormatException.class, () -> open(fifo)));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertTrue(assertThrows(ModelFormatException.class, () -> open(Path.of("/dev/zero"))).getMessage()
                .contains("not a regular file"));
    }

    @Test
    void writerRejectsMoreOrFewerElementsThanDeclared() throws IOException {
        Path f = dir.resolve("bad.bin");
        ModelFileWriter w = ModelFileWriter.create(f, "reco.test");
        w.declare("ints", SectionType.INT32, 2).begin();
        w.putInt(1);
        assertThrows(IllegalStateException.class, () -> w.putFloat(1f));
        assertThrows(IllegalStateException.class, w::close);
        ModelFileWriter w2 = ModelFileWriter.create(f, "reco.test");
        w2.declare("ints", SectionType.INT32, 1).begin();
        assertThrows(IllegalStateException.class, () -> w2.putInts(new int[] {1, 2}));
        assertThrows(IllegalStateException.class, w2::close);
    }

    /** Writes a file over 2 GiB (sparse where the file system allows) and reads its last section. */
    @Test
    void mapsFilesLargerThan2GiB() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("reco.test.large"),
                "set -Dreco.test.large=true to write and map a >2 GiB model file");
        Path f = dir.resolve("large.bin");
        long floats = (1L << 31) / 4 + 1_000_000; // > 2 GiB of floats
        try (ModelFileWriter w = ModelFileWriter.create(f, "reco.test")) {
            w.declare("big", SectionType.FLOAT32, floats).declare("tail", SectionType.INT32, 1).begin();
            float[] chunk = new float[1 << 20];
            for (long written = 0; written < floats; ) {
                int n = (int) Math.min(chunk.length, floats - written);
                chunk[0] = written;
                w.putFloats(chunk, 0, n);
                written += n;
            }
            w.putInt(42);
        }
        assertTrue(Files.size(f) > (1L << 31));
        try (Arena arena = Arena.ofConfined()) {
            ModelFile m = ModelFile.open(f, "reco.test", arena, true);
            assertEquals(42, m.section("tail", SectionType.INT32, 1).segment().getAtIndex(ModelFile.INT, 0));
            assertEquals((float) (1L << 29), m.section("big", SectionType.FLOAT32).segment().getAtIndex(ModelFile.FLOAT, 1L << 29));
        }
    }

    private void open(Path f) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            ModelFile.open(f, "reco.test", arena, true);
        }
    }

    private static void setVersion(Path f, int version) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(version).flip(), 4);
        }
    }
}
