package reco.trainer.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import reco.trainer.data.Interactions;

/** Known counts of the real MovieLens latest-small dataset (skipped when it is not on this machine). */
class MovieLensLatestSmallTest {

    static Path sharedDataset() {
        String shared = System.getProperty("reco.shared.dir");
        Path base = shared != null ? Path.of(shared) : Path.of("..", "shared");
        if (!Files.isDirectory(base.resolve("data"))) {
            base = Path.of("..", "shared");
        }
        return base.resolve("data").resolve("ml-latest-small");
    }

    @Test
    void readsTheExactCounts() throws IOException {
        Path dir = sharedDataset();
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("ratings.csv")), "no dataset at " + dir);

        Dataset data = DatasetLoader.load(LoadRequest.of(dir).withStrict(true));
        Interactions ratings = data.interactions();
        assertEquals(100_836, ratings.size());
        assertEquals(610, data.userCount());
        assertEquals(9_724, data.interactedItemCount());
        assertEquals(3, data.reports().size());
        for (ReadReport report : data.reports()) {
            assertEquals(InputFormat.MOVIELENS, report.format(), report.summary());
            assertEquals(0, report.malformed(), report.summary());
            assertEquals(report.rowsRead(), report.rowsKept(), report.summary());
        }
        assertEquals(0, data.reports().get(0).duplicates());
        assertEquals(9_742, data.reports().get(1).rowsKept());
        assertEquals(3_683, data.reports().get(2).rowsKept());

        int described = 0;
        long tagApplications = 0;
        Set<String> genres = new HashSet<>();
        for (int i = 0; i < data.metadata().size(); i++) {
            described += data.metadata().isDescribed(i) ? 1 : 0;
            tagApplications += data.metadata().tags(i).size();
            genres.addAll(data.metadata().categories(i));
        }
        assertEquals(9_742, described);
        assertEquals(3_683, tagApplications);
        assertEquals(19, genres.size(), genres.toString()); // 20 genre names minus "(no genres listed)"

        int toyStory = ratings.items.indexOf("1");
        assertEquals("Toy Story (1995)", data.metadata().title(toyStory));
        assertEquals(4.0f, ratings.weight(0));
        assertEquals(964982703L, ratings.timestamp(0));
        assertEquals("11'09\"01 - September 11 (2002)", data.metadata().title(ratings.items.indexOf("7789")));
        assertEquals(Files.size(dir.resolve("ratings.csv")), data.inputs().getFirst().sizeBytes());
    }
}
