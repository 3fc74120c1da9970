package reco.model.feedback;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedbackStoreTest {
    @TempDir
    Path dir;

    private static FeedbackStore.Recent event(String item, long recordedAt) {
        return new FeedbackStore.Recent(item, Float.NaN, recordedAt - 5, recordedAt);
    }

    private static List<String> items(List<FeedbackStore.Recent> events) {
        return events.stream().map(FeedbackStore.Recent::itemId).toList();
    }

    @Test
    void keepsTheLastEventsPerUserInOrderAndSurvivesReopening() throws Exception {
        FeedbackStore.Settings settings = new FeedbackStore.Settings(3, Duration.ofDays(1), 100);
        try (FeedbackStore store = FeedbackStore.open(dir, settings)) {
            assertEquals(FeedbackStore.Dropped.NONE, store.add("u", List.of(event("a", 1000), event("b", 1001)), 2000));
            FeedbackStore.Dropped dropped = store.add("u", List.of(event("c", 1002), event("d", 1003)), 2000);
            assertEquals(1, dropped.perUserLimit());
            assertEquals(List.of("b", "c", "d"), items(store.recent("u", 2000)));
            assertEquals(List.of(), store.recent("nobody", 2000));
        }
        try (FeedbackStore reopened = FeedbackStore.open(dir, settings)) {
            List<FeedbackStore.Recent> recent = reopened.recent("u", 2000);
            assertEquals(List.of("b", "c", "d"), items(recent));
            assertEquals(1001, recent.get(0).recordedAtMillis());
            assertEquals(996, recent.get(0).eventTimeMillis());
            assertTrue(Float.isNaN(recent.get(0).weight()));
        }
    }

    @Test
    void weightsAndUnicodeIdsRoundTrip() throws Exception {
        try (FeedbackStore store = FeedbackStore.open(dir, FeedbackStore.Settings.defaults())) {
            String item = "caf\u00e9-\uD83D\uDE00-" + "x".repeat(400);
            store.add("\u00fcser", List.of(new FeedbackStore.Recent(item, 4.5f, 7, 9)), 10);
            FeedbackStore.Recent r = store.recent("\u00fcser", 10).get(0);
            assertEquals(item, r.itemId());
            assertEquals(4.5f, r.weight());
        }
    }

    @Test
    void eventsOlderThanTheTtlAreNeitherServedNorKept() throws Exception {
        long day = Duration.ofDays(1).toMillis();
        try (FeedbackStore store = FeedbackStore.open(dir, new FeedbackStore.Settings(10, Duration.ofDays(1), 100))) {
            store.add("u", List.of(event("old", 1000), event("new", 1000 + day)), 1000);
            assertEquals(List.of("new"), items(store.recent("u", 1500 + day)));
            store.add("v", List.of(event("old", 1000)), 1000);
            assertEquals(2, store.expire(1500 + day));
            assertEquals(1, store.users());
            assertEquals(List.of("new"), items(store.recent("u", 1000)));
        }
    }

    @Test
    void retiresOnlyEventsRecordedBeforeTheCutOff() throws Exception {
        try (FeedbackStore store = FeedbackStore.open(dir, FeedbackStore.Settings.defaults())) {
            store.add("u", List.of(event("a", 100), event("b", 200)), 200);
            store.add("v", List.of(event("c", 150)), 200);
            assertEquals(2, store.retireRecordedBefore(200));
            assertEquals(List.of("b"), items(store.recent("u", 200)));
            assertEquals(List.of(), store.recent("v", 200));
            assertEquals(1, store.users());
        }
    }

    @Test
    void evictsTheLeastRecentlyActiveUsersBeyondTheCap() throws Exception {
        try (FeedbackStore store = FeedbackStore.open(dir, new FeedbackStore.Settings(10, Duration.ofDays(1), 10))) {
            for (int u = 0; u < 10; u++) {
                store.add("u" + u, List.of(event("a", 1000 + u), event("b", 1000 + u)), 1000);
            }
            assertEquals(0, store.evictOverCapacity());
            store.add("u10", List.of(event("a", 2000)), 2000);
            store.add("u0", List.of(event("c", 2001)), 2001); // active again: stays
            assertEquals(2 * 2, store.evictOverCapacity()); // 11 users -> 9: u1 and u2 go
            assertEquals(9, store.users());
            assertEquals(List.of(), store.recent("u1", 2001));
            assertEquals(List.of(), store.recent("u2", 2001));
            assertEquals(List.of("a", "b", "c"), items(store.recent("u0", 2001)));
        }
    }

    @Test
    void twoHandlesOnOneFileSeeEachOthersEvents() throws Exception {
        // what two server processes do: each maps the same file; Chronicle Map's locks live in the mapping
        try (FeedbackStore a = FeedbackStore.open(dir, FeedbackStore.Settings.defaults());
             FeedbackStore b = FeedbackStore.open(dir, FeedbackStore.Settings.defaults())) {
            Thread[] writers = new Thread[4];
            for (int t = 0; t < writers.length; t++) {
                FeedbackStore s = t % 2 == 0 ? a : b;
                int id = t;
                writers[t] = new Thread(() -> {
                    for (int i = 0; i < 200; i++) {
                        s.add("shared", List.of(event("t" + id + "-" + i, 1000 + i)), 1000);
                    }
                });
                writers[t].start();
            }
            for (Thread w : writers) {
                w.join();
            }
            // 800 appends, every one atomic: the user holds exactly the last 100 and no event was torn
            assertEquals(100, a.recent("shared", 1000).size());
            assertEquals(items(a.recent("shared", 1000)), items(b.recent("shared", 1000)));
        }
    }

    @Test
    void aUserAtTheLimitWithTheLongestIdsFits() throws Exception {
        // the largest entry the API allows under the default limit: 100 events with 512-byte item ids
        try (FeedbackStore store = FeedbackStore.open(dir, FeedbackStore.Settings.defaults())) {
            for (int i = 0; i < 150; i++) {
                String item = String.format("%03d", i) + "y".repeat(509);
                store.add("heavy", List.of(event(item, 1000 + i)), 1000);
            }
            List<FeedbackStore.Recent> recent = store.recent("heavy", 1000);
            assertEquals(100, recent.size());
            assertTrue(recent.get(0).itemId().startsWith("050"));
            // and a full MAX_VALUE_BYTES entry in a map sized for the default user cap
            List<FeedbackStore.Recent> full = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                full.add(event(String.format("%03d", i) + "w".repeat(509), 2000));
            }
            try (FeedbackStore wide = FeedbackStore.open(dir, new FeedbackStore.Settings(1000, Duration.ofDays(1),
                    FeedbackStore.Settings.DEFAULT_MAX_USERS))) {
                wide.add("fullest", full, 2000);
                assertEquals((FeedbackStore.MAX_VALUE_BYTES - 4) / (22 + 512), wide.recent("fullest", 2000).size());
            }
            store.add("light", List.of(event("a", 1000)), 1000);
            assertEquals(3, store.users());
        }
    }

    @Test
    void entriesAreCappedInBytesAndTheHighestLimitFitsWithShortIds() throws Exception {
        try (FeedbackStore store = FeedbackStore.open(dir, new FeedbackStore.Settings(1000, Duration.ofDays(1), 10))) {
            List<FeedbackStore.Recent> shortIds = new java.util.ArrayList<>();
            List<FeedbackStore.Recent> longIds = new java.util.ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                shortIds.add(event(String.format("item-%05d", i), 1000));
                longIds.add(event(String.format("%04d", i) + "z".repeat(508), 1000));
            }
            assertEquals(FeedbackStore.Dropped.NONE, store.add("many", shortIds, 1000));
            assertEquals(1000, store.recent("many", 1000).size());
            // 1000 x 534 bytes do not fit in 64 KiB: the newest 122 stay, the rest count as dropped
            FeedbackStore.Dropped dropped = store.add("heaviest", longIds, 1000);
            List<FeedbackStore.Recent> kept = store.recent("heaviest", 1000);
            assertEquals(1000 - kept.size(), dropped.perUserLimit());
            assertEquals((FeedbackStore.MAX_VALUE_BYTES - 4) / (22 + 512), kept.size());
            assertTrue(kept.get(kept.size() - 1).itemId().startsWith("0999"));
        }
    }

    @Test
    void settingsAreRangeChecked() {
        assertThrows(IllegalArgumentException.class, () -> new FeedbackStore.Settings(0, Duration.ofDays(1), 1));
        assertThrows(IllegalArgumentException.class, () -> new FeedbackStore.Settings(1, Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> new FeedbackStore.Settings(1, Duration.ofDays(1), 0));
    }
}
