package reco.trainer.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.model.generation.IdList;
import reco.trainer.data.Interactions;
import reco.trainer.data.ItemMetadata;

/**
 * Input that is not what a reader expects, one documented outcome each (docs/reliability.md): a
 * whole file the reader cannot use is refused with one line naming it; a bad row is reported with
 * file and line and skipped (or stops a strict run).
 */
class HostileInputTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static ReadReport read(Path file, Interactions target) throws IOException {
        return InteractionsReader.read(file, InputFormat.AUTO, DelimitedOptions.DEFAULT, false, target);
    }

    @Test
    void utf16FilesAreRefusedWithAConversionHint() throws IOException {
        String tsv = "u1\ti1\t4\nu2\ti2\t5\n";
        byte[] le = tsv.getBytes(StandardCharsets.UTF_16LE);
        byte[] withBom = new byte[le.length + 2];
        withBom[0] = (byte) 0xFF;
        withBom[1] = (byte) 0xFE;
        System.arraycopy(le, 0, withBom, 2, le.length);
        for (Path file : List.of(write("bom.tsv", withBom), write("no-bom.tsv", le),
                write("be.tsv", tsv.getBytes(StandardCharsets.UTF_16)))) {
            InputException e = assertThrows(InputException.class, () -> read(file, new Interactions()), file.toString());
            assertTrue(e.getMessage().startsWith(file + ": looks like UTF-16"), e.getMessage());
            assertTrue(e.getMessage().contains("iconv"), e.getMessage());
            assertEquals(0, e.line());
        }
        Path csv = write("movies.csv", "movieId,title,genres\n1,Toy Story (1995),Animation\n".getBytes(StandardCharsets.UTF_16));
        assertThrows(InputException.class, () -> ItemsReader.read(csv, InputFormat.MOVIELENS, DelimitedOptions.DEFAULT,
                false, new ItemMetadata(new reco.trainer.data.IdDictionary()), new java.util.ArrayList<>()));
    }

    @Test
    void aNulByteMakesItsRowMalformed() throws IOException {
        Path file = write("nul.tsv", "u1\ti1\t4\nu2\ti\u00002\t5\nu3\ti3\t1\n");
        Interactions in = new Interactions();
        ReadReport report = read(file, in);
        assertEquals(2, report.rowsKept());
        assertEquals(1, report.malformed());
        assertTrue(report.malformedExamples().getFirst().startsWith(file + ":2: NUL byte"), report.malformedExamples().toString());
        InputException strict = assertThrows(InputException.class, () -> InteractionsReader.read(file, InputFormat.AUTO,
                DelimitedOptions.DEFAULT, true, new Interactions()));
        assertEquals(2, strict.line());
    }

    @Test
    void idsLongerThanTheApiAcceptsAreMalformedRows() throws IOException {
        String longest = "u".repeat(IdList.MAX_ID_BYTES);
        String tooLong = "\u00e9".repeat(IdList.MAX_ID_BYTES / 2 + 1); // 514 bytes of UTF-8 in 257 characters
        Path file = write("ids.tsv", longest + "\ti1\t4\n" + tooLong + "\ti2\t5\nu3\t" + "i".repeat(513) + "\t1\n");
        Interactions in = new Interactions();
        ReadReport report = read(file, in);
        assertEquals(1, report.rowsKept(), "an id of exactly 512 bytes is fine");
        assertEquals(longest, in.users.id(0));
        assertEquals(2, report.malformed());
        assertTrue(report.malformedExamples().get(0).startsWith(file + ":2: user id of 514 bytes"), report.malformedExamples().toString());
        assertTrue(report.malformedExamples().get(1).startsWith(file + ":3: item id of 513 bytes"), report.malformedExamples().toString());

        Path items = write("items.tsv", "i1\tOne\tDrama\n" + "x".repeat(600) + "\tToo long\tDrama\n");
        ItemMetadata metadata = new ItemMetadata(new reco.trainer.data.IdDictionary());
        List<ReadReport> reports = new java.util.ArrayList<>();
        ItemsReader.read(items, InputFormat.DELIMITED, DelimitedOptions.DEFAULT, false, metadata, reports);
        ReadReport itemsReport = reports.getFirst();
        assertEquals(1, itemsReport.malformed());
        assertTrue(itemsReport.malformedExamples().getFirst().contains(":2: item id of 600 bytes"));
        Path tags = write("tags.tsv", "i1\tfunny\n" + "x".repeat(600) + "\tsad\n");
        ReadReport tagsReport = TagsReader.read(tags, InputFormat.DELIMITED, DelimitedOptions.DEFAULT, false, metadata);
        assertEquals(1, tagsReport.malformed());
    }

    @Test
    void nonFiniteWeightsAreMalformedAndHugeOrNegativeOnesAreRead() throws IOException {
        // (a first line with a non-numeric weight would be taken as a header)
        Path file = write("weights.tsv", "u\te\t3e38\nu\ta\tNaN\nu\tb\tInfinity\nu\tc\t-Infinity\nu\td\t1e39\nu\tf\t-2\nu\tg\t0\n");
        Interactions in = new Interactions();
        ReadReport report = read(file, in);
        assertEquals(4, report.malformed(), report.malformedExamples().toString());
        assertTrue(report.malformedExamples().getFirst().startsWith(file + ":2: bad weight 'NaN'"), report.malformedExamples().toString());
        assertTrue(report.malformedExamples().get(3).startsWith(file + ":5: bad weight '1e39'"), "beyond a float: infinite");
        assertEquals(3, report.rowsKept());
        assertEquals(3e38f, in.weight(0));
        assertEquals(-2f, in.weight(1));
        assertEquals(0f, in.weight(2));
    }

    @Test
    void aLineLongerThan64MiBRefusesTheFile() throws IOException {
        Path file = dir.resolve("long-line.tsv");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("u1\ti1\t4\nu2\t".getBytes(StandardCharsets.UTF_8));
            byte[] block = new byte[1 << 20];
            java.util.Arrays.fill(block, (byte) 'x');
            for (int i = 0; i < 65; i++) {
                out.write(block);
            }
            out.write("\t5\nu3\ti3\t1\n".getBytes(StandardCharsets.UTF_8));
        }
        InputException e = assertThrows(InputException.class, () -> read(file, new Interactions()));
        assertTrue(e.getMessage().startsWith(file + ":2: a line longer than 64 MiB"), e.getMessage());
    }
}
