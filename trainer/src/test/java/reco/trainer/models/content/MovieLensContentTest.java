package reco.trainer.models.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import reco.model.Neighborhoods;
import reco.trainer.data.IdDictionary;
import reco.trainer.data.ItemMetadata;
import reco.trainer.progress.Progress;

/**
 * Sanity check on real metadata (skipped when MovieLens latest-small is not around): Toy Story's
 * content neighbours should be family animation. Parses the CSVs minimally on purpose; the real
 * readers live elsewhere.
 */
class MovieLensContentTest {

    private static Path dataDir() {
        String shared = System.getProperty("reco.shared.dir", "../shared");
        return Path.of(shared, "data", "ml-latest-small");
    }

    /** {@code id,title,genres} where only the title may contain commas (then it is quoted). */
    static ItemMetadata readMovies(Path dir) throws IOException {
        ItemMetadata m = new ItemMetadata(new IdDictionary());
        List<String> lines = Files.readAllLines(dir.resolve("movies.csv"), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            int first = line.indexOf(','), last = line.lastIndexOf(',');
            String title = unquote(line.substring(first + 1, last));
            m.describe(line.substring(0, first), title, Arrays.asList(line.substring(last + 1).split("\\|")), null);
        }
        List<String> tags = Files.readAllLines(dir.resolve("tags.csv"), StandardCharsets.UTF_8);
        for (String line : tags.subList(1, tags.size())) {
            // userId,movieId,tag,timestamp where only the tag may contain commas
            int first = line.indexOf(','), second = line.indexOf(',', first + 1), last = line.lastIndexOf(',');
            m.addTag(line.substring(first + 1, second), unquote(line.substring(second + 1, last)));
        }
        return m;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1).replace("\"\"", "\"") : s;
    }

    @Test
    void toyStoryNeighboursAreFamilyAnimation() throws IOException {
        Path dir = dataDir();
        assumeTrue(Files.isRegularFile(dir.resolve("movies.csv")), "MovieLens latest-small not found at " + dir);
        ItemMetadata movies = readMovies(dir);

        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long start = System.nanoTime(), cpuStart = os.getProcessCpuTime();
        ContentVectors vectors = ContentVectorizer.vectorize(movies, ContentFeatureParams.defaults());
        Neighborhoods nb = ContentNeighbors.compute(vectors, ContentNeighborParams.defaults(), Progress.Factory.NONE);
        System.err.printf("ml-latest-small: %d items, %d features, %d nnz, vectors + neighbours in %.2f s wall"
                        + " (%.2f s process cpu)%n", vectors.itemCount(), vectors.featureCount(), vectors.matrix().nnz(),
                (System.nanoTime() - start) / 1e9, (os.getProcessCpuTime() - cpuStart) / 1e9);

        int toyStory = movies.items.indexOf("1");
        assertEquals("Toy Story (1995)", movies.title(toyStory));
        assertEquals(100, nb.size(toyStory));
        int family = 0;
        StringBuilder listing = new StringBuilder();
        for (int p = nb.start(toyStory); p < nb.start(toyStory) + 10; p++) {
            int item = nb.items()[p];
            List<String> genres = movies.categories(item);
            if (genres.contains("Animation") || genres.contains("Children")) family++;
            listing.append(String.format("%n  %.3f %s %s", nb.scores()[p], movies.title(item), genres));
        }
        System.err.println("Toy Story top 10:" + listing);
        assertTrue(family >= 7, "only " + family + "/10 Animation/Children neighbours:" + listing);
    }
}
