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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.trainer.data.IdDictionary;
import reco.trainer.data.ItemMetadata;

class ItemsAndTagsReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.write(dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
    }

    private static List<ReadReport> readItems(Path file, InputFormat format, DelimitedOptions options,
            ItemMetadata target) throws IOException {
        List<ReadReport> reports = new ArrayList<>();
        ItemsReader.read(file, format, options, false, target, reports);
        return reports;
    }

    private static int index(ItemMetadata metadata, String id) {
        int i = metadata.items.indexOf(id);
        assertTrue(i >= 0, "unknown item " + id);
        return i;
    }

    @Test
    void readsMovieLensMoviesWithQuotedTitlesAndCrlf() throws IOException {
        Path movies = write("movies.csv", "movieId,title,genres\r\n"
                + "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\r\n"
                + "11,\"American President, The (1995)\",Comedy|Drama|Romance\r\n"
                + "7789,\"11'09\"\"01 - September 11 (2002)\",Drama\r\n"
                + "182727,A Christmas Story Live! (2017),(no genres listed)\r\n");
        ItemMetadata metadata = new ItemMetadata(new IdDictionary());
        List<ReadReport> reports = readItems(movies, InputFormat.AUTO, DelimitedOptions.DEFAULT, metadata);
        assertEquals(1, reports.size());
        assertEquals(InputFormat.MOVIELENS, reports.getFirst().format());
        assertEquals(4, reports.getFirst().rowsKept());
        assertEquals("American President, The (1995)", metadata.title(index(metadata, "11")));
        assertEquals(List.of("Comedy", "Drama", "Romance"), metadata.categories(index(metadata, "11")));
        assertEquals("11'09\"01 - September 11 (2002)", metadata.title(index(metadata, "7789")));
        assertEquals(List.of(), metadata.categories(index(metadata, "182727")));
        assertEquals(List.of("Adventure", "Animation", "Children", "Comedy", "Fantasy"),
                metadata.categories(index(metadata, "1")));
        assertNull(metadata.text(index(metadata, "1")));
    }

    private static String uItemLine(String id, String title, int... genreFlagsSet) {
        StringBuilder s = new StringBuilder(id).append('|').append(title).append("|01-Jan-1995||http://x");
        for (int g = 0; g < 19; g++) {
            final int genre = g;
            s.append('|').append(java.util.Arrays.stream(genreFlagsSet).anyMatch(f -> f == genre) ? '1' : '0');
        }
        return s.append('\n').toString();
    }

    @Test
    void readsLatin1UItemWithDefaultGenres() throws IOException {
        String content = uItemLine("1", "Toy Story (1995)", 3, 4, 5)
                + uItemLine("1682", "Mis\u00e9rables, Les (1995)", 8)
                + uItemLine("267", "unknown", 0)
                + "9|short|line\n";
        Path item = Files.write(dir.resolve("u.item"), content.getBytes(StandardCharsets.ISO_8859_1));
        ItemMetadata metadata = new ItemMetadata(new IdDictionary());
        List<ReadReport> reports = readItems(item, InputFormat.AUTO, DelimitedOptions.DEFAULT, metadata);
        ReadReport report = reports.getFirst();
        assertEquals(InputFormat.ML100K, report.format());
        assertEquals(3, report.rowsKept());
        assertEquals(List.of(item + ":4: expected 24 fields, got 3"), report.malformedExamples());
        assertEquals("Mis\u00e9rables, Les (1995)", metadata.title(index(metadata, "1682")));
        assertEquals(List.of("Drama"), metadata.categories(index(metadata, "1682")));
        assertEquals(List.of("Animation", "Children's", "Comedy"), metadata.categories(index(metadata, "1")));
        assertEquals(List.of(), metadata.categories(index(metadata, "267")), "'unknown' genre means none");
    }

    @Test
    void readsGenreNamesFromUGenreBesideUItem() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("ml-100k"));
        StringBuilder genres = new StringBuilder();
        for (int g = 0; g < 19; g++) {
            genres.append("G").append(g).append('|').append(g).append('\n');
        }
        Files.writeString(sub.resolve("u.genre"), genres + "\n\n");
        Path item = Files.writeString(sub.resolve("u.item"), uItemLine("5", "X", 1, 18) + uItemLine("6", "Y", 2, 19 - 1));
        ItemMetadata metadata = new ItemMetadata(new IdDictionary());
        List<ReadReport> reports = readItems(item, InputFormat.ML100K, DelimitedOptions.DEFAULT, metadata);
        assertEquals(2, reports.size());
        assertEquals(InputKind.AUXILIARY, reports.get(0).kind());
        assertEquals(19, reports.get(0).rowsKept());
        assertEquals(List.of("G1", "G18"), metadata.categories(index(metadata, "5")));

        Files.writeString(sub.resolve("u.genre"), "unknown|0\nAction|2\n");
        InputException e = assertThrows(InputException.class,
                () -> readItems(item, InputFormat.ML100K, DelimitedOptions.DEFAULT, new ItemMetadata(new IdDictionary())));
        assertEquals(sub.resolve("u.genre") + ":2: expected 'name|1', got 'Action|2'", e.getMessage());
    }

    @Test
    void readsGenericItemsWithOptionalColumnsAndHeaderDetection() throws IOException {
        Path items = write("items.tsv", "id\ttitle\tcategories\ttext\n"
                + "a\tAlpha\tx|y\tfirst letter\n"
                + "b\t\t\t\n"
                + "a\tAlpha 2\tz\t\n"
                + "\tnone\t\t\n");
        ItemMetadata metadata = new ItemMetadata(new IdDictionary());
        ReadReport report = readItems(items, InputFormat.AUTO, DelimitedOptions.DEFAULT, metadata).getFirst();
        assertEquals("id\ttitle\tcategories\ttext", report.header());
        assertEquals(4, report.rowsRead());
        assertEquals(3, report.rowsKept());
        assertEquals(1, report.duplicates());
        assertEquals(List.of(items + ":5: empty item id"), report.malformedExamples());
        int a = index(metadata, "a");
        assertEquals("Alpha 2", metadata.title(a), "a later description wins");
        assertEquals(List.of("z"), metadata.categories(a));
        int b = index(metadata, "b");
        assertTrue(metadata.isDescribed(b));
        assertNull(metadata.title(b));
        assertEquals(List.of(), metadata.categories(b));
        assertNull(metadata.text(b));

        Path twoColumns = write("titles.tsv", "i1\tOne\ni2\tTwo\n");
        ItemMetadata titles = new ItemMetadata(new IdDictionary());
        ReadReport titleReport = readItems(twoColumns, InputFormat.AUTO, DelimitedOptions.DEFAULT, titles).getFirst();
        assertNull(titleReport.header());
        assertEquals("Two", titles.title(index(titles, "i2")));
        assertFalse(titleReport.notes().isEmpty());
    }

    @Test
    void readsMovieLensAndGenericTags() throws IOException {
        Path tags = write("tags.csv", "userId,movieId,tag,timestamp\r\n"
                + "2,60756,funny,1445714994\r\n"
                + "567,4552,\"\"\"artsy\"\"\",1525285878\r\n"
                + "3,60756,\"dark, funny\",1445714995\r\n"
                + "4,60756,,1445714996\r\n");
        ItemMetadata metadata = new ItemMetadata(new IdDictionary());
        ReadReport report = TagsReader.read(tags, InputFormat.AUTO, DelimitedOptions.DEFAULT, false, metadata);
        assertEquals(InputFormat.MOVIELENS, report.format());
        assertEquals(3, report.rowsKept());
        assertEquals(List.of(tags + ":5: empty tag"), report.malformedExamples());
        assertEquals(List.of("funny", "dark, funny"), metadata.tags(index(metadata, "60756")));
        assertEquals(List.of("\"artsy\""), metadata.tags(index(metadata, "4552")));

        ItemMetadata pairs = new ItemMetadata(new IdDictionary());
        TagsReader.read(write("pairs.tsv", "i1\tred\ni1\tred\ni2\tblue\n"), InputFormat.AUTO, DelimitedOptions.DEFAULT,
                false, pairs);
        assertEquals(List.of("red", "red"), pairs.tags(index(pairs, "i1")));

        ItemMetadata triples = new ItemMetadata(new IdDictionary());
        TagsReader.read(write("triples.tsv", "user\titem\ttag\tts\nu1\ti9\tgreen\t5\n"), InputFormat.AUTO,
                DelimitedOptions.DEFAULT, false, triples);
        assertEquals(List.of("green"), triples.tags(index(triples, "i9")));
        assertEquals(-1, triples.items.indexOf("u1"));
    }

    @Test
    void emptyItemAndTagFilesAreErrors() throws IOException {
        Path empty = write("movies.csv", "");
        assertThrows(InputException.class,
                () -> readItems(empty, InputFormat.AUTO, DelimitedOptions.DEFAULT, new ItemMetadata(new IdDictionary())));
        Path headerOnly = write("tags.csv", "userId,movieId,tag,timestamp\r\n");
        InputException e = assertThrows(InputException.class, () -> TagsReader.read(headerOnly, InputFormat.AUTO,
                DelimitedOptions.DEFAULT, false, new ItemMetadata(new IdDictionary())));
        assertEquals(headerOnly + ": no data rows after the header", e.getMessage());
    }
}
