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

    /** Exit code 1 with exactly one {@code reco train:} line naming the problem, no stack trace, nothing published. */
    private static void assertOneLineDataError(Launcher.Result train, Path out, String expected) {
        assertEquals(1, train.exitCode(), train::describe);
        List<String> errors = train.stderr().lines().filter(l -> l.startsWith("reco train: ")).toList();
        assertEquals(1, errors.size(), train::describe);
        assertTrue(errors.getFirst().contains(expected), train::describe);
        assertFalse(train.stderr().contains("\tat "), "no stack trace without --verbose: " + train.describe());
        assertFalse(Files.exists(out.resolve("CURRENT")), "nothing is published: " + train.describe());
    }

    @Test
    void hostileWeightsAndIdsGetOneDocumentedOutcomeEach() throws Exception {
        String longId = "u".repeat(513);
        // row by row: a negative and a zero weight (seen, never positive), NaN and infinity (malformed),
        // 3e38 (a finite weight), a NUL byte and a 513-byte id (malformed), and plain positives
        Path weights = Files.writeString(work.resolve("weights.tsv"), "a\tx\t4\na\ty\t-2\na\tz\t0\nb\tx\tNaN\n"
                + "b\ty\tInfinity\nc\tx\t3e38\nc\ty\t1\nd\tx\u0000\t1\n" + longId + "\tx\t1\nd\tz\t2\n", StandardCharsets.UTF_8);
        Path out = work.resolve("weights-model");
        Launcher.Result train = launcher.run("train", "--interactions", weights.toString(), "--duplicates", "sum",
                "--out", out.toString());
        assertEquals(0, train.exitCode(), train::describe);
        for (int line : new int[] {4, 5, 8, 9}) {
            assertTrue(train.stderr().contains(weights + ":" + line + ":"), line + ": " + train.describe());
        }
        assertTrue(train.stderr().contains("4 malformed"), train::describe);
        assertTrue(train.stderr().contains("NUL byte") && train.stderr().contains("user id of 513 bytes"), train::describe);
        assertTrue(train.stdout().contains("3 users, 3 items"), train::describe);

        // the same weights summed past what a float holds: a data error (exit 1), not a usage error (2)
        Path overflow = Files.writeString(work.resolve("overflow.tsv"), "a\tx\t3e38\na\tx\t3e38\nb\ty\t1\n");
        Path overflowOut = work.resolve("overflow-model");
        assertOneLineDataError(launcher.run("train", "--interactions", overflow.toString(), "--duplicates", "sum",
                "--out", overflowOut.toString()), overflowOut, "sum to Infinity");

        // nothing positive at all
        Path negative = Files.writeString(work.resolve("negative.tsv"), "a\tx\t-1\nb\ty\t0\n");
        Path negativeOut = work.resolve("negative-model");
        assertOneLineDataError(launcher.run("train", "--interactions", negative.toString(), "--out", negativeOut.toString()),
                negativeOut, "no positive interactions");
    }

    @Test
    void utf16InputAndOverlongLinesRefuseTheFileWithOneLine() throws Exception {
        Path utf16 = Files.write(work.resolve("utf16.tsv"), "a\tx\t1\nb\ty\t1\n".getBytes(StandardCharsets.UTF_16));
        Path out = work.resolve("utf16-model");
        assertOneLineDataError(launcher.run("train", "--interactions", utf16.toString(), "--out", out.toString()), out,
                utf16 + ": looks like UTF-16");

        Path longLine = work.resolve("long-line.tsv");
        try (java.io.OutputStream o = Files.newOutputStream(longLine)) {
            o.write("a\tx\t1\nb\t".getBytes(StandardCharsets.UTF_8));
            byte[] block = new byte[1 << 20];
            java.util.Arrays.fill(block, (byte) 'y');
            for (int i = 0; i < 65; i++) {
                o.write(block);
            }
            o.write("\t1\n".getBytes(StandardCharsets.UTF_8));
        }
        Path longOut = work.resolve("long-line-model");
        assertOneLineDataError(launcher.run("train", "--interactions", longLine.toString(), "--out", longOut.toString()),
                longOut, longLine + ":2: a line longer than 64 MiB");
    }
}
