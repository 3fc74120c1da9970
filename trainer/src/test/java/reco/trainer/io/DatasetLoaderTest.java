package reco.trainer.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderTest {
    @TempDir
    Path dir;

    @Test
    void movieLensDirectoryPicksUpMoviesAndTags() throws IOException {
        Files.writeString(dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp\r\n1,10,4.0,5\r\n2,20,3.5,6\r\n");
        Files.writeString(dir.resolve("movies.csv"), "movieId,title,genres\r\n10,Ten,Drama\r\n30,Thirty,Comedy\r\n");
        Files.writeString(dir.resolve("tags.csv"), "userId,movieId,tag,timestamp\r\n1,20,nice,7\r\n");
        Dataset data = DatasetLoader.load(LoadRequest.of(dir));
        assertEquals(List.of(dir.resolve("ratings.csv"), dir.resolve("movies.csv"), dir.resolve("tags.csv")),
                data.inputs().stream().map(FileFingerprint::path).toList());
        assertEquals(List.of(InputFormat.MOVIELENS, InputFormat.MOVIELENS, InputFormat.MOVIELENS),
                data.reports().stream().map(ReadReport::format).toList());
        assertEquals(2, data.userCount());
        assertEquals(2, data.interactedItemCount());
        assertEquals(List.of("10", "20", "30"), data.interactions().items.ids(), "interacted items first");
        assertEquals("Thirty", data.metadata().title(2));
        assertEquals(List.of("nice"), data.metadata().tags(1));
        for (FileFingerprint input : data.inputs()) {
            assertEquals(FileFingerprint.of(input.path()), input);
        }
    }

    @Test
    void explicitPathsOverrideTheDirectoryDefaults() throws IOException {
        Files.writeString(dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,10,4.0,5\n");
        Files.writeString(dir.resolve("movies.csv"), "movieId,title,genres\n10,Ten,Drama\n");
        Path items = Files.writeString(dir.resolve("other.tsv"), "10\tTen again\n");
        Dataset data = DatasetLoader.load(LoadRequest.of(dir).withItems(items));
        assertEquals(List.of(dir.resolve("ratings.csv"), items),
                data.inputs().stream().map(FileFingerprint::path).toList());
        assertEquals("Ten again", data.metadata().title(0));
    }

    @Test
    void ml100kDirectoryPicksUpUItem() throws IOException {
        Files.writeString(dir.resolve("u.data"), "196\t242\t3\t881250949\n186\t302\t3\t891717742\n");
        Files.writeString(dir.resolve("u.item"), "242|Kolya (1996)|24-Jan-1997||http://x|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n");
        Dataset data = DatasetLoader.load(LoadRequest.of(dir));
        assertEquals(List.of(InputFormat.ML100K, InputFormat.ML100K),
                data.reports().stream().map(ReadReport::format).toList());
        assertEquals("Kolya (1996)", data.metadata().title(data.interactions().items.indexOf("242")));
        assertEquals(List.of("Comedy"), data.metadata().categories(data.interactions().items.indexOf("242")));
    }

    @Test
    void plainFileWithFormatOverrideAndStrictMode() throws IOException {
        Path file = Files.writeString(dir.resolve("log.txt"), "u1,i1,1,5\nu2,i2\n");
        DelimitedOptions comma = DelimitedOptions.DEFAULT.withDelimiter(',');
        LoadRequest request = LoadRequest.of(file).withFormat(InputFormat.DELIMITED).withDelimited(comma);
        Dataset lenient = DatasetLoader.load(request);
        assertEquals(1, lenient.interactions().size());
        assertEquals(List.of(file + ":2: expected 4 fields, got 2"), lenient.reports().getFirst().malformedExamples());
        InputException strict = assertThrows(InputException.class, () -> DatasetLoader.load(request.withStrict(true)));
        assertEquals(2, strict.line());
    }

    @Test
    void clearErrorsForMissingInputsAndForeignDirectories() throws IOException {
        Path missing = dir.resolve("nope");
        assertEquals(missing + ": no such file or directory",
                assertThrows(InputException.class, () -> DatasetLoader.load(LoadRequest.of(missing))).getMessage());
        Path empty = Files.createDirectories(dir.resolve("emptydir"));
        String message = assertThrows(InputException.class, () -> DatasetLoader.load(LoadRequest.of(empty))).getMessage();
        assertTrue(message.startsWith(empty + ": directory holds neither ratings.csv"), message);
        Path ratings = Files.writeString(dir.resolve("r.tsv"), "a\tb\n");
        Path missingItems = dir.resolve("items.tsv");
        assertEquals(missingItems + ": no such file", assertThrows(InputException.class,
                () -> DatasetLoader.load(LoadRequest.of(ratings).withItems(missingItems))).getMessage());
    }

    @Test
    void reportsReadingProgressInBytes() throws IOException {
        StringBuilder rows = new StringBuilder();
        for (int r = 0; r < 200_000; r++) {
            rows.append('u').append(r % 977).append("\ti").append(r % 313).append('\n');
        }
        Path file = Files.writeString(dir.resolve("big.tsv"), rows);
        java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger steps = new java.util.concurrent.atomic.AtomicInteger();
        reco.trainer.progress.Progress.Factory factory = (phase, units) -> {
            assertEquals("read big.tsv", phase);
            total.set(units);
            return new reco.trainer.progress.Progress() {
                @Override public void step(long n) {
                    done.addAndGet(n);
                    steps.incrementAndGet();
                }
                @Override public void close() {}
            };
        };
        Dataset data = DatasetLoader.load(LoadRequest.of(file), factory);
        assertEquals(200_000, data.interactions().size());
        assertEquals(Files.size(file), total.get());
        assertEquals(Files.size(file), done.get());
        assertTrue(steps.get() >= 2, "steps: " + steps.get());
        // 977 and 313 are coprime, so all 200,000 (u, i) pairs differ (Chinese remainder theorem).
        assertEquals(0, data.reports().getFirst().duplicates());
    }

    @Test
    void formatAndHeaderNamesParseForTheCli() {
        assertEquals(InputFormat.ML100K, InputFormat.parse("ML100K"));
        assertEquals(InputFormat.DELIMITED, InputFormat.parse("tsv"));
        assertEquals("format: 'xml' is not one of auto, movielens, ml100k, delimited",
                assertThrows(IllegalArgumentException.class, () -> InputFormat.parse("xml")).getMessage());
        assertEquals(HeaderMode.NO, HeaderMode.parse("no"));
        assertEquals('\t', DelimitedOptions.parseDelimiter("tab"));
        assertEquals(';', DelimitedOptions.parseDelimiter(";"));
        assertThrows(IllegalArgumentException.class, () -> DelimitedOptions.parseDelimiter("::"));
        assertThrows(IllegalArgumentException.class,
                () -> new DelimitedOptions.InteractionColumns(0, -1, 2, 3));
    }
}
