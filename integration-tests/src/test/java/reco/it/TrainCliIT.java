package reco.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/reco train} on bad input, through the launcher: malformed rows are reported with file and
 * line and skipped (training still publishes), {@code --strict} stops at the first one with exit code 1,
 * and a missing file is a one-line error with a non-zero exit code.
 */
class TrainCliIT {
    /** Row 3 has a field missing, row 4 an unparsable rating; the other four rows are fine. */
    private static final String RATINGS_WITH_TWO_BAD_ROWS = """
            userId,movieId,rating,timestamp
            1,1,4.0,964982703
            1,2,5.0
            2,1,five,964982703
            2,3,4.0,964982703
            3,2,4.5,964982224
            3,3,4.0,964982224
            """;

    @TempDir
    Path work;

    private final Launcher launcher = Launcher.ofRepository();

    private Path ratings() throws Exception {
        return Files.writeString(work.resolve("ratings.csv"), RATINGS_WITH_TWO_BAD_ROWS, StandardCharsets.UTF_8);
    }

    @Test
    void malformedRowsAreReportedWithFileAndLineAndTrainingStillPublishes() throws Exception {
        Path ratings = ratings();
        Path out = work.resolve("model");
        Launcher.Result train = launcher.run("train", "--interactions", ratings.toString(), "--out", out.toString());
        assertEquals(0, train.exitCode(), train::describe);
        assertTrue(train.stderr().contains(ratings + ":3:"), train::describe);
        assertTrue(train.stderr().contains(ratings + ":4:"), train::describe);
        assertTrue(train.stderr().contains("2 malformed"), train::describe);
        assertTrue(train.stdout().contains("3 users, 3 items"), train::describe);
        assertTrue(Files.isRegularFile(out.resolve("CURRENT")), train::describe);
    }

    @Test
    void strictStopsAtTheFirstMalformedRowWithExitCodeOne() throws Exception {
        Path ratings = ratings();
        Path out = work.resolve("strict-model");
        Launcher.Result train = launcher.run("train", "--strict", "--interactions", ratings.toString(), "--out", out.toString());
        assertEquals(1, train.exitCode(), train::describe);
        assertTrue(train.stderr().contains(ratings + ":3:"), train::describe);
        assertFalse(train.stderr().contains(ratings + ":4:"), train::describe);
        assertFalse(Files.exists(out.resolve("CURRENT")), "nothing is published: " + train.describe());
    }

    @Test
    void aMissingInputIsAOneLineErrorWithANonZeroExitCode() throws Exception {
        Path missing = work.resolve("no-such-ratings.csv");
        Launcher.Result train = launcher.run("train", "--interactions", missing.toString(), "--out", work.resolve("m").toString());
        assertNotEquals(0, train.exitCode(), train::describe);
        List<String> errorLines = train.stderr().lines().filter(l -> l.contains(missing.toString())).toList();
        assertEquals(1, errorLines.size(), train::describe);
        assertTrue(errorLines.getFirst().startsWith("reco train: "), train::describe);
        assertFalse(train.stderr().contains("\tat "), "no stack trace without --verbose: " + train.describe());
    }
}
