package reco.trainer.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.model.feedback.FeedbackEvent;
import reco.model.feedback.FeedbackLog;
import reco.trainer.data.Interactions;

class FeedbackLogReaderTest {
    @TempDir
    Path dir;

    private Path feedback() throws IOException {
        Path fb = dir.resolve("feedback");
        try (FeedbackLog log = FeedbackLog.open(fb)) {
            log.append(List.of(new FeedbackEvent("1", "20", Float.NaN, 7_500, 0),
                    new FeedbackEvent("new-user", "10", 2.5f, 9_000, 0)), () -> 100_000);
        }
        return fb;
    }

    @Test
    void feedbackEventsJoinTheInteractionsRightAfterTheInteractionsFile() throws IOException {
        Files.writeString(dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,10,4.0,5\n");
        Files.writeString(dir.resolve("movies.csv"), "movieId,title,genres\n10,Ten,Drama\n30,Thirty,Comedy\n20,Twenty,Drama\n");
        FeedbackLog.Snapshot snapshot = FeedbackLogReader.snapshot(feedback(), () -> 200_000);
        Dataset data = DatasetLoader.load(LoadRequest.of(dir), snapshot, 4f, reco.trainer.progress.Progress.Factory.NONE);
        Interactions in = data.interactions();
        assertEquals(3, in.size());
        assertEquals(List.of("1", "new-user"), in.users.ids());
        assertEquals(List.of("10", "20", "30"), in.items.ids(), "feedback items count as interacted items");
        assertEquals(2, data.interactedItemCount());
        assertEquals(4f, in.weight(1), "no weight recorded: the positive weight given");
        assertEquals(7, in.timestamp(1), "unix seconds");
        assertEquals(2.5f, in.weight(2));
        ReadReport report = data.reports().get(1);
        assertEquals(snapshot.file(), report.path());
        assertEquals(2, report.rowsKept());
        assertEquals(Files.size(snapshot.file()), report.fingerprint().sizeBytes());
    }

    @Test
    void malformedLinesAreReportedWithTheirLineAndStrictModeStopsAtThem() throws IOException {
        Path fb = feedback();
        Files.writeString(fb.resolve(FeedbackLog.FILE_NAME), "oops\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        FeedbackLog.Snapshot snapshot = FeedbackLogReader.snapshot(fb, () -> 200_000);
        ReadReport report = FeedbackLogReader.read(snapshot, 1f, false, new Interactions());
        assertEquals(3, report.rowsRead());
        assertEquals(1, report.malformed());
        assertTrue(report.malformedExamples().get(0).contains(":3: expected 5 tab-separated fields"),
                report.malformedExamples().toString());
        InputException e = assertThrows(InputException.class,
                () -> FeedbackLogReader.read(snapshot, 1f, true, new Interactions()));
        assertTrue(e.getMessage().contains(":3:"), e.getMessage());
    }

    @Test
    void aDirectoryWithoutALogIsAClearInputError() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        InputException e = assertThrows(InputException.class, () -> FeedbackLogReader.snapshot(dir.resolve("empty"), () -> 0));
        assertTrue(e.getMessage().contains("no feedback event log"), e.getMessage());
        InputException missing = assertThrows(InputException.class, () -> FeedbackLogReader.snapshot(dir.resolve("nope"), () -> 0));
        assertTrue(missing.getMessage().contains("no such feedback directory"), missing.getMessage());
    }
}
