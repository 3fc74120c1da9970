package reco.trainer.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.trainer.data.Interactions;
import reco.trainer.io.DelimitedOptions.InteractionColumns;

class InteractionsReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.write(dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
    }

    private static ReadReport read(Path file, Interactions target) throws IOException {
        return InteractionsReader.read(file, InputFormat.AUTO, DelimitedOptions.DEFAULT, false, target);
    }

    /** Rows as "user item weight timestamp". */
    private static List<String> rows(Interactions in) {
        return java.util.stream.IntStream.range(0, in.size())
                .mapToObj(r -> in.users.id(in.user(r)) + " " + in.items.id(in.item(r)) + " " + in.weight(r) + " "
                        + in.timestamp(r))
                .toList();
    }

    @Test
    void readsFourColumnTsvWithDefaults() throws IOException {
        Path file = write("train.tsv", "u1\ti1\t4.5\t964982703\nu2\ti1\t3\t964982704\nu1\ti2\t13883\t0\n");
        Interactions in = new Interactions();
        ReadReport report = read(file, in);
        assertEquals(List.of("u1 i1 4.5 964982703", "u2 i1 3.0 964982704", "u1 i2 13883.0 0"), rows(in));
        assertEquals(InputFormat.DELIMITED, report.format());
        assertNull(report.header());
        assertEquals(3, report.rowsRead());
        assertEquals(3, report.rowsKept());
        assertEquals(0, report.malformed());
        assertTrue(in.hasWeights());
        assertTrue(in.hasTimestamps());
        assertEquals(2, in.userCount());
        assertEquals(2, in.itemCount());
    }

    @Test
    void readsThreeAndTwoColumnTsvWithDefaults() throws IOException {
        Interactions three = new Interactions();
        ReadReport report3 = read(write("three.tsv", "a\tx\t2\nb\ty\t1.5\n"), three);
        assertEquals(List.of("a x 2.0 0", "b y 1.5 0"), rows(three));
        assertTrue(three.hasWeights());
        assertFalse(three.hasTimestamps());
        assertEquals(List.of("no timestamp column (column 3 is beyond the 3 fields per row): timestamps are 0"),
                report3.notes());

        Interactions two = new Interactions();
        read(write("test.tsv", "a\tx\nb\ty\n"), two);
        assertEquals(List.of("a x 1.0 0", "b y 1.0 0"), rows(two));
        assertFalse(two.hasWeights());
    }

    @Test
    void keepsIdsExactlyAsWritten() throws IOException {
        Interactions in = new Interactions();
        read(write("ids.tsv", " u 1\tItem\u00e9\t1\t2\n"), in);
        assertEquals(" u 1", in.users.id(0));
        assertEquals("Item\u00e9", in.items.id(0));
    }

    @Test
    void detectsHeaderByNameOrByNonNumericWeight() throws IOException {
        Interactions named = new Interactions();
        ReadReport byName = read(write("named.tsv", "user_id\titem_id\n7\t8\n"), named);
        assertEquals("user_id\titem_id", byName.header());
        assertEquals(List.of("7 8 1.0 0"), rows(named));

        Interactions odd = new Interactions();
        ReadReport byNumber = read(write("odd.tsv", "who\twhat\thow much\nu\ti\t2\n"), odd);
        assertEquals("who\twhat\thow much", byNumber.header());
        assertEquals(List.of("u i 2.0 0"), rows(odd));

        Interactions none = new Interactions();
        ReadReport noHeader = read(write("none.tsv", "42\t43\t1\t5\n"), none);
        assertNull(noHeader.header());
        assertEquals(1, none.size());
    }

    @Test
    void explicitHeaderModeAndColumnsAndDelimiter() throws IOException {
        Path file = write("custom.csv", "ts;item;user;score\n100;i1;u1;0.5\n200;i2;u1;1\n");
        DelimitedOptions options = DelimitedOptions.DEFAULT.withDelimiter(';').withHeader(HeaderMode.YES)
                .withInteractionColumns(new InteractionColumns(2, 1, 3, 0));
        Interactions in = new Interactions();
        ReadReport report = InteractionsReader.read(file, InputFormat.DELIMITED, options, false, in);
        assertEquals(List.of("u1 i1 0.5 100", "u1 i2 1.0 200"), rows(in));
        assertEquals("ts;item;user;score", report.header());

        Interactions noWeight = new Interactions();
        InteractionsReader.read(file, InputFormat.DELIMITED,
                options.withInteractionColumns(new InteractionColumns(2, 1, DelimitedOptions.ABSENT, 0)), false, noWeight);
        assertEquals(List.of("u1 i1 1.0 100", "u1 i2 1.0 200"), rows(noWeight));
    }

    @Test
    void acceptsIsoTimestamps() throws IOException {
        Interactions in = new Interactions();
        read(write("iso.tsv", "u\ti\t1\t2020-01-02T03:04:05Z\nu\tj\t1\t2020-01-02\nu\tk\t1\t2020-01-02T00:00:00+01:00\n"), in);
        assertEquals(1577934245L, in.timestamp(0));
        assertEquals(1577923200L, in.timestamp(1));
        assertEquals(1577919600L, in.timestamp(2));
    }

    @Test
    void countsAndReportsMalformedRowsWithFileAndLine() throws IOException {
        byte[] badUtf8 = {'u', '9', '\t', 'i', (byte) 0xE9, '\t', '1', '\t', '5', '\n'};
        String head = "u1\ti1\t4\t10\n" // 1 ok
                + "u2\ti2\t4\n" // 2 short
                + "u3\ti3\tx\t10\n" // 3 bad weight
                + "u4\ti4\t4\tlater\n" // 4 bad timestamp
                + "\ti5\t4\t10\n" // 5 empty user
                + "u6\t\t4\t10\n" // 6 empty item
                + "u7\ti7\tInfinity\t10\n"; // 7 non-finite weight
        byte[] tail = "u1\ti1\t5\t11\n".getBytes(StandardCharsets.UTF_8); // 9 ok, repeats (u1, i1)
        Path file = dir.resolve("bad.tsv");
        byte[] all = new byte[head.length() + badUtf8.length + tail.length];
        System.arraycopy(head.getBytes(StandardCharsets.UTF_8), 0, all, 0, head.length());
        System.arraycopy(badUtf8, 0, all, head.length(), badUtf8.length); // 8 bad UTF-8
        System.arraycopy(tail, 0, all, head.length() + badUtf8.length, tail.length);
        Files.write(file, all);

        Interactions in = new Interactions();
        ReadReport report = read(file, in);
        assertEquals(9, report.rowsRead());
        assertEquals(2, report.rowsKept());
        assertEquals(7, report.malformed());
        assertEquals(1, report.duplicates());
        assertEquals(List.of(
                file + ":2: expected 4 fields, got 3",
                file + ":3: bad weight 'x'",
                file + ":4: bad timestamp 'later'",
                file + ":5: empty user id",
                file + ":6: empty item id"), report.malformedExamples());
        assertEquals(List.of("u1 i1 4.0 10", "u1 i1 5.0 11"), rows(in));
        assertTrue(report.summary().contains("7 malformed"), report.summary());

        Interactions again = new Interactions();
        InputException strict = assertThrows(InputException.class,
                () -> InteractionsReader.read(file, InputFormat.AUTO, DelimitedOptions.DEFAULT, true, again));
        assertEquals(file, strict.path());
        assertEquals(2, strict.line());
        assertTrue(strict.getMessage().startsWith(file + ":2: expected 4 fields, got 3"), strict.getMessage());
    }

    @Test
    void reportsInvalidUtf8WithItsLine() throws IOException {
        Path file = dir.resolve("latin1.tsv");
        Files.write(file, new byte[] {'a', '\t', 'b', '\n', 'c', '\t', (byte) 0xE9, '\n', 'e', '\t', 'f', '\n'});
        ReadReport report = read(file, new Interactions());
        assertEquals(List.of(file + ":2: invalid UTF-8"), report.malformedExamples());
        assertEquals(2, report.rowsKept());
        InputException strict = assertThrows(InputException.class,
                () -> InteractionsReader.read(file, InputFormat.AUTO, DelimitedOptions.DEFAULT, true, new Interactions()));
        assertEquals(2, strict.line());
    }

    @Test
    void failsClearlyOnMissingEmptyOrUnusableFiles() throws IOException {
        Path missing = dir.resolve("missing.tsv");
        InputException e1 = assertThrows(InputException.class, () -> read(missing, new Interactions()));
        assertEquals(missing + ": no such file", e1.getMessage());

        Path empty = write("empty.tsv", "");
        InputException e2 = assertThrows(InputException.class, () -> read(empty, new Interactions()));
        assertEquals(empty + ": no data rows (empty file)", e2.getMessage());

        Path blank = write("blank.tsv", "\r\n\n");
        assertEquals(blank + ": no data rows (empty file)",
                assertThrows(InputException.class, () -> read(blank, new Interactions())).getMessage());

        Path headerOnly = write("header.tsv", "user\titem\n");
        assertEquals(headerOnly + ": no data rows after the header",
                assertThrows(InputException.class, () -> read(headerOnly, new Interactions())).getMessage());

        Path csv = write("comma.tsv", "u1,i1,1,5\n");
        String message = assertThrows(InputException.class, () -> read(csv, new Interactions())).getMessage();
        assertTrue(message.startsWith(csv + ":1: expected at least 2 fields (user in column 0, item in column 1), got 1;"
                + " is the delimiter '\\t' right?"), message);

        Path oneGood = write("onegood.tsv", "u\ti\t1\t1\nu\ti\nv\tj\n");
        assertEquals(1, read(oneGood, new Interactions()).rowsKept());
        Path noneGood = write("nonegood.tsv", "user\titem\tweight\nu\ti\nv\tj\n");
        String all = assertThrows(InputException.class, () -> read(noneGood, new Interactions())).getMessage();
        assertEquals(noneGood + ": all 2 rows are malformed; first: " + noneGood + ":2: expected 3 fields, got 2", all);
    }

    @Test
    void readsMovieLensRatingsWithCrlfAndMl100kData() throws IOException {
        Path ratings = write("ratings.csv", "userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n1,3,4.5,964981247\r\n");
        Interactions in = new Interactions();
        ReadReport report = read(ratings, in);
        assertEquals(InputFormat.MOVIELENS, report.format());
        assertEquals("userId,movieId,rating,timestamp", report.header());
        assertEquals(List.of("1 1 4.0 964982703", "1 3 4.5 964981247"), rows(in));

        Path bad = write("r2.csv", "userId,movieId,rating,timestamp\n1,1,four,5\n1,2,3,5\n");
        ReadReport badReport = InteractionsReader.read(bad, InputFormat.MOVIELENS, DelimitedOptions.DEFAULT, false,
                new Interactions());
        assertEquals(List.of(bad + ":2: bad rating 'four'"), badReport.malformedExamples());

        Path data = write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n");
        Interactions ml = new Interactions();
        ReadReport mlReport = read(data, ml);
        assertEquals(InputFormat.ML100K, mlReport.format());
        assertEquals(List.of("196 242 3.0 881250949", "186 302 3.0 891717742"), rows(ml));
    }

    @Test
    void countsRepeatedPairsAcrossUsers() {
        Interactions in = new Interactions();
        String[][] pairs = {{"a", "x"}, {"b", "x"}, {"a", "y"}, {"a", "x"}, {"b", "x"}, {"a", "x"}, {"c", "y"}};
        for (String[] p : pairs) {
            in.add(p[0], p[1], Float.NaN, 0);
        }
        assertEquals(3, InteractionsReader.countRepeatedPairs(in, 0));
    }
}
