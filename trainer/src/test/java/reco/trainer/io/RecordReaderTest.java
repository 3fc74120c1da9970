package reco.trainer.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordReaderTest {
    @TempDir
    Path dir;

    /** Every record as "line:field|field|..." plus "!problem" when the record has one. */
    private List<String> records(byte[] content, char delimiter, boolean quoted, int blockBytes) throws IOException {
        Path file = dir.resolve("f" + System.nanoTime());
        Files.write(file, content);
        List<String> out = new ArrayList<>();
        try (RecordReader reader = RecordReader.open(file, delimiter, quoted, false, blockBytes)) {
            while (reader.next()) {
                StringBuilder s = new StringBuilder().append(reader.line()).append(':');
                for (int f = 0; f < reader.fieldCount(); f++) {
                    s.append(f == 0 ? "" : "|").append(reader.text(f));
                }
                if (reader.problem() != null) {
                    s.append('!').append(reader.problem());
                }
                out.add(s.toString());
            }
        }
        return out;
    }

    private List<String> records(String content, char delimiter, boolean quoted) throws IOException {
        List<String> large = records(content.getBytes(StandardCharsets.UTF_8), delimiter, quoted, 1 << 16);
        // A tiny block forces records across refills and buffer growth; the result must not change.
        List<String> tiny = records(content.getBytes(StandardCharsets.UTF_8), delimiter, quoted, 4);
        assertEquals(large, tiny, "block size changed the parse");
        return large;
    }

    @Test
    void splitsTabSeparatedFieldsWithLfAndCrlfAndKeepsEmptyFields() throws IOException {
        assertEquals(List.of("1:a|b|c", "2:d||f", "3:g|h|"),
                records("a\tb\tc\r\nd\t\tf\ng\th\t\r\n", '\t', false));
    }

    @Test
    void skipsBlankLinesButKeepsLineNumbers() throws IOException {
        assertEquals(List.of("2:a|b", "5:c|d"), records("\na\tb\r\n\r\n\nc\td", '\t', false));
    }

    @Test
    void skipsUtf8ByteOrderMark() throws IOException {
        assertEquals(List.of("1:id|x"), records("\uFEFFid,x\n", ',', false));
    }

    @Test
    void readsRfc4180QuotedFields() throws IOException {
        String csv = "movieId,title,genres\r\n"
                + "11,\"American President, The (1995)\",Comedy|Drama|Romance\r\n"
                + "7789,\"11'09\"\"01 - September 11 (2002)\",Drama\r\n"
                + "5,\"two\nlines\",x\r\n"
                + "6,\"\",plain \"inner\" quotes\r\n";
        assertEquals(List.of(
                "1:movieId|title|genres",
                "2:11|American President, The (1995)|Comedy|Drama|Romance",
                "3:7789|11'09\"01 - September 11 (2002)|Drama",
                "4:5|two\nlines|x",
                "6:6||plain \"inner\" quotes"), records(csv, ',', true));
    }

    @Test
    void reportsBrokenQuoting() throws IOException {
        assertEquals(List.of("1:a|\"b\"c!unexpected 'c' after a closing quote", "2:ok|x"),
                records("a,\"b\"c\nok,x\n", ',', true));
        assertEquals(List.of("1:a|b\n!unterminated quoted field"), records("a,\"b\n", ',', true));
    }

    @Test
    void reportsInvalidUtf8PerRecordAndGoesOn() throws IOException {
        byte[] content = {'a', '\t', (byte) 0xC3, (byte) 0xA9, '\n', 'b', '\t', (byte) 0xFF, 'x', '\n', 'c', '\t', 'd'};
        List<String> got = records(content, '\t', false, 1 << 16);
        assertEquals(3, got.size());
        assertEquals("1:a|é", got.get(0));
        assertTrue(got.get(1).startsWith("2:") && got.get(1).endsWith("!invalid UTF-8"), got.get(1));
        assertEquals("3:c|d", got.get(2));
    }

    @Test
    void utf8ValidationAgreesWithTheJdkDecoder() {
        Random random = new Random(7);
        byte[] pool = {0x41, (byte) 0x80, (byte) 0xBF, (byte) 0xC2, (byte) 0xC0, (byte) 0xDF, (byte) 0xE0, (byte) 0xA0,
            (byte) 0xED, (byte) 0x9F, (byte) 0xEF, (byte) 0xF0, (byte) 0x90, (byte) 0xF4, (byte) 0x8F, (byte) 0xF5};
        for (int trial = 0; trial < 50_000; trial++) {
            byte[] bytes = new byte[1 + random.nextInt(6)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextBoolean() ? pool[random.nextInt(pool.length)] : (byte) random.nextInt(256);
            }
            boolean expected;
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
                expected = true;
            } catch (CharacterCodingException e) {
                expected = false;
            }
            assertEquals(expected, Utf8.isValid(bytes, 0, bytes.length), () -> java.util.HexFormat.of().formatHex(bytes));
        }
    }

    @Test
    void parsesNumbersLikeTheJdk() throws IOException {
        String[] floats = {"4", "4.5", "-0.25", "+3", "0.1", "13883", "123456789", "1234567890", "1e3", "3.", ".5",
            " 2.5 ", "NaN", "x", "", "-", ".", "1.2.3", "0.333333333333"};
        StringBuilder content = new StringBuilder();
        for (String f : floats) {
            content.append(f).append('\n');
        }
        Path file = dir.resolve("numbers");
        Files.writeString(file, content.toString().replace("\n\n", "\n#\n"));
        try (RecordReader reader = RecordReader.open(file, '\t', false, false)) {
            for (String f : floats) {
                assertTrue(reader.next());
                if (f.isEmpty()) {
                    assertTrue(Float.isNaN(reader.parseFloat(0)), "# placeholder");
                    continue;
                }
                float expected;
                try {
                    expected = Float.parseFloat(f.strip());
                } catch (NumberFormatException e) {
                    expected = Float.NaN;
                }
                assertEquals(expected, reader.parseFloat(0), "'" + f + "'");
            }
            assertFalse(reader.next());
        }
        Path longs = dir.resolve("longs");
        Files.writeString(longs, "964982703\n-5\n 7 \n12345678901234567890\n1.5\n\t\n");
        try (RecordReader reader = RecordReader.open(longs, ',', false, false)) {
            long[] expected = {964982703L, -5, 7, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
            for (long e : expected) {
                assertTrue(reader.next());
                assertEquals(e, reader.parseLong(0));
            }
        }
    }

    @Test
    void fingerprintMatchesAStandaloneChecksum() throws IOException {
        Path file = dir.resolve("data.tsv");
        Files.writeString(file, "u1\ti1\t1\t5\nu2\ti2\t2\t6\n");
        try (RecordReader reader = RecordReader.open(file, '\t', false, false, 8)) {
            while (reader.next()) {
                assertNull(reader.problem());
            }
            assertEquals(FileFingerprint.of(file), reader.fingerprint());
        }
        // Known answer: CRC-32C("123456789") = e3069283.
        Path check = dir.resolve("check");
        Files.writeString(check, "123456789");
        assertEquals(new FileFingerprint(check, 9, "e3069283"), FileFingerprint.of(check));
    }
}
