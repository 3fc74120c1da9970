package reco.model.feedback;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedbackLogTest {
    @TempDir
    Path dir;

    private record Read(List<FeedbackEvent> events, List<String> malformed) {}

    private static Read readAll(FeedbackLog.Snapshot snapshot) throws IOException {
        List<FeedbackEvent> events = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        FeedbackLog.read(snapshot, new FeedbackLog.Visitor() {
            @Override
            public void event(long line, FeedbackEvent event) {
                events.add(event);
            }

            @Override
            public void malformed(long line, String text, String reason) {
                malformed.add(line + ": " + reason);
            }
        });
        return new Read(events, malformed);
    }

    @Test
    void appendedEventsReadBackStampedInOrder() throws Exception {
        AtomicLong clock = new AtomicLong(5000);
        try (FeedbackLog log = FeedbackLog.open(dir)) {
            log.append(List.of(new FeedbackEvent("u1", "i1", Float.NaN, 100, 0),
                    new FeedbackEvent("u1", "caf\u00e9", 4.5f, 200, 0)), clock::get);
            clock.set(6000);
            List<FeedbackEvent> stamped = log.append(List.of(new FeedbackEvent("u2", "i3", -1f, 300, 0)), clock::get);
            assertEquals(6000, stamped.get(0).recordedAtMillis());
        }
        Read read = readAll(FeedbackLog.snapshot(dir, () -> 7000));
        assertEquals(List.of(), read.malformed());
        assertEquals(List.of(new FeedbackEvent("u1", "i1", Float.NaN, 100, 5000),
                new FeedbackEvent("u1", "caf\u00e9", 4.5f, 200, 5000),
                new FeedbackEvent("u2", "i3", -1f, 300, 6000)), read.events());
    }

    @Test
    void aSnapshotReadsOnlyWhatWasThereWhenItWasTaken() throws Exception {
        try (FeedbackLog log = FeedbackLog.open(dir)) {
            log.append(List.of(new FeedbackEvent("u", "a", Float.NaN, 1, 0)), () -> 10);
            FeedbackLog.Snapshot snapshot = FeedbackLog.snapshot(dir, () -> 11);
            log.append(List.of(new FeedbackEvent("u", "b", Float.NaN, 1, 0)), () -> 12);
            assertEquals(11, snapshot.cutoffMillis());
            assertEquals(List.of("a"), readAll(snapshot).events().stream().map(FeedbackEvent::itemId).toList());
        }
    }

    @Test
    void aLineTornByACrashIsReportedWithItsLineAndTheNextBatchStartsCleanly() throws Exception {
        try (FeedbackLog log = FeedbackLog.open(dir)) {
            log.append(List.of(new FeedbackEvent("u", "a", Float.NaN, 1, 0)), () -> 10);
        }
        Files.writeString(dir.resolve(FeedbackLog.FILE_NAME), "11\tu\tb", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (FeedbackLog log = FeedbackLog.open(dir)) {
            log.append(List.of(new FeedbackEvent("u", "c", 2f, 1, 0)), () -> 12);
        }
        Read read = readAll(FeedbackLog.snapshot(dir, () -> 13));
        assertEquals(List.of("a", "c"), read.events().stream().map(FeedbackEvent::itemId).toList());
        assertEquals(1, read.malformed().size());
        assertTrue(read.malformed().get(0).startsWith("2: expected 5 tab-separated fields"), read.malformed().get(0));
    }

    @Test
    void malformedFieldsAreNamed() {
        assertEquals("weight 'x' is not a number", reason("1\tu\ti\tx\t0"));
        assertEquals("recordedAt 'z' is not a whole number of milliseconds", reason("z\tu\ti\t\t0"));
        assertEquals("empty item id", reason("1\tu\t\t\t0"));
        assertEquals("weight NaN is not finite", reason("1\tu\ti\tNaN\t0"));
    }

    private static String reason(String line) {
        try {
            FeedbackLog.parse(line);
            return "parsed";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    void idsWithLineBreaksOrTabsAreNotLoggable() {
        assertTrue(FeedbackEvent.isLoggable("a b"));
        assertTrue(!FeedbackEvent.isLoggable("a\tb") && !FeedbackEvent.isLoggable("a\nb") && !FeedbackEvent.isLoggable("a\rb"));
    }
}
