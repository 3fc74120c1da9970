package reco.trainer.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    @Test
    void plainLinesEveryTenPercentAndOnClose() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        ProgressReporter reporter = new ProgressReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, clock::get);
        try (Progress p = reporter.start("phase", 10_000)) {
            for (int k = 0; k < 25; k++) {
                clock.addAndGet(100_000_000L); // 0.1 s per 1000 units: never hits the 5 s interval
                p.step(1000);
                if (k == 9) break;
            }
            p.message("loss 0.5");
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of(
                "phase 10% (1000/10000) 0.1 s",
                "phase 20% (2000/10000) 0.2 s",
                "phase 30% (3000/10000) 0.3 s",
                "phase 40% (4000/10000) 0.4 s",
                "phase 50% (5000/10000) 0.5 s",
                "phase 60% (6000/10000) 0.6 s",
                "phase 70% (7000/10000) 0.7 s",
                "phase 80% (8000/10000) 0.8 s",
                "phase 90% (9000/10000) 0.9 s",
                "phase 100% (10000/10000) 1.0 s loss 0.5"), lines);
    }

    @Test
    void plainLinesThrottledBetweenThresholdsExceptEveryFiveSeconds() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        ProgressReporter reporter = new ProgressReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, clock::get);
        try (Progress p = reporter.start("slow", 1000)) {
            for (int k = 0; k < 99; k++) {
                clock.addAndGet(1_000_000_000L); // 1 s per unit: the 5 s interval dominates
                p.step(1);
            }
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("slow 0% (5/1000) 5.0 s", lines.get(0));
        assertEquals("slow 1% (10/1000) 10.0 s", lines.get(1));
        assertEquals(20, lines.size(), lines.toString()); // 19 timed lines (5 s .. 95 s) + the closing line
        assertEquals("slow 9% (99/1000) 99.0 s", lines.getLast());
    }

    @Test
    void unknownTotalPrintsCounts() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong clock = new AtomicLong();
        ProgressReporter reporter = new ProgressReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, clock::get);
        Progress p = reporter.start("read", 0);
        p.step(7);
        clock.addAndGet(6_000_000_000L);
        p.step(3);
        p.close();
        p.close();
        assertEquals(List.of("read 10 6.0 s", "read 10 6.0 s"), bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void concurrentStepsCountEverything() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressReporter reporter = new ProgressReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        Progress p = reporter.start("par", 40_000);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> { for (int k = 0; k < 10_000; k++) p.step(1); });
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        p.close();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(true, lines.getLast().startsWith("par 100% (40000/40000) "), lines.toString());
        assertEquals(true, lines.size() <= 10, lines.toString());
    }

    @Test
    void barModeWritesSomethingAndCloses() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressReporter reporter = new ProgressReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        try (Progress p = reporter.start("bar", 10)) {
            p.step(10);
            p.message("done");
        }
        assertEquals(true, bytes.toString(StandardCharsets.UTF_8).contains("bar"));
    }
}
