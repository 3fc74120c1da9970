package reco.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.trainer.data.Interactions;
import reco.synth.SyntheticInteractions.Columns;
import reco.synth.SyntheticInteractions.Params;
import reco.synth.SyntheticInteractions.WeightKind;

class SyntheticInteractionsTest {
    private static final Pattern RATING = Pattern.compile("[0-5]\\.[05]");
    private static final Pattern COUNT = Pattern.compile("[1-9][0-9]*");
    private static final Params SMALL = Params.builder().users(2_000).items(5_000).interactions(100_000).seed(7).build();

    @TempDir
    Path dir;

    @Test
    void sameSeedGivesIdenticalFilesAndDifferentSeedDoesNot() throws IOException {
        Path a = dir.resolve("a.tsv");
        Path b = dir.resolve("b.tsv");
        Path c = dir.resolve("c.tsv");
        assertEquals(100_000, SyntheticInteractions.writeTsv(SMALL, a));
        SyntheticInteractions.writeTsv(SMALL, b);
        SyntheticInteractions.writeTsv(SMALL.toBuilder().seed(8).build(), c);
        assertEquals(-1, Files.mismatch(a, b), "same seed must give byte-identical files");
        assertNotEquals(-1, Files.mismatch(a, c), "a different seed must change the file");
    }

    @Test
    void fileMatchesInMemoryColumnsRowForRow() throws IOException {
        for (WeightKind kind : WeightKind.values()) {
            Params params = SMALL.toBuilder().weightKind(kind).interactions(20_000).build();
            Path file = dir.resolve(kind + ".tsv");
            SyntheticInteractions.writeTsv(params, file);
            Columns columns = SyntheticInteractions.generateColumns(params);
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            assertEquals(columns.size(), lines.size());
            for (int r = 0; r < lines.size(); r++) {
                String[] f = lines.get(r).split("\t", -1);
                int line = r + 1;
                assertEquals(4, f.length, () -> "line " + line);
                assertEquals(columns.users()[r], Integer.parseInt(f[0]));
                assertEquals(columns.items()[r], Integer.parseInt(f[1]));
                assertEquals(columns.weights()[r], Float.parseFloat(f[2]));
                assertEquals(columns.timestamps()[r], Long.parseLong(f[3]));
                if (kind == WeightKind.RATINGS) {
                    assertTrue(RATING.matcher(f[2]).matches(), () -> "rating as written: " + f[2]);
                } else {
                    assertTrue(COUNT.matcher(f[2]).matches(), () -> "count as written: " + f[2]);
                }
            }
        }
    }

    @Test
    void exactCountsNoDuplicatePairsAndValuesInRange() {
        Params params = SMALL.toBuilder().weightKind(WeightKind.RATINGS).build();
        Columns columns = SyntheticInteractions.generateColumns(params);
        assertEquals(params.interactions(), columns.size());
        long[] pairs = new long[columns.size()];
        int[] rowsPerUser = new int[params.users()];
        long end = params.startEpochSecond() + params.spanSeconds();
        for (int r = 0; r < columns.size(); r++) {
            int u = columns.users()[r];
            int i = columns.items()[r];
            assertTrue(i >= 0 && i < params.items(), "item index in range");
            pairs[r] = (long) u * params.items() + i;
            rowsPerUser[u]++;
            float w = columns.weights()[r];
            assertTrue(w >= 0.5f && w <= 5f && w * 2 == Math.rint(w * 2), () -> "half-star rating " + w);
            long ts = columns.timestamps()[r];
            assertTrue(ts >= params.startEpochSecond() && ts <= end, () -> "timestamp " + ts);
            if (r > 0 && columns.users()[r - 1] == u) {
                assertTrue(ts >= columns.timestamps()[r - 1], "a user's rows are in time order");
            } else if (r > 0) {
                assertEquals(columns.users()[r - 1] + 1, u, "users come in ascending order");
            }
        }
        Arrays.sort(pairs);
        for (int r = 1; r < pairs.length; r++) {
            assertNotEquals(pairs[r - 1], pairs[r], "duplicate (user, item) pair");
        }
        for (int count : rowsPerUser) {
            assertTrue(count >= 1 && count <= params.maxRowsPerUser(), () -> "rows per user " + count);
        }
    }

    @Test
    void heavyUsersNearTheCapStillGetDistinctItems() {
        // 20 items, cap 10 per user, 10 users x 10 rows: every user must take half the catalogue.
        Params params = Params.builder().users(10).items(20).interactions(100).tasteClusters(2).seed(3).build();
        Columns columns = SyntheticInteractions.generateColumns(params);
        assertEquals(100, columns.size());
        for (int u = 0; u < 10; u++) {
            final int user = u;
            long distinct = java.util.stream.IntStream.range(0, 100).filter(r -> columns.users()[r] == user)
                    .map(r -> columns.items()[r]).distinct().count();
            assertEquals(10, distinct);
        }
    }

    @Test
    void zipfHeadHoldsALargeShareAndExponentZeroIsFlat() {
        double skewed = topPercentShare(SMALL);
        double flat = topPercentShare(SMALL.toBuilder().zipfExponent(0).build());
        // Uniform popularity gives the top 1% of items about 1% of rows (a bit more by chance).
        assertTrue(flat < 0.03, "top 1% share without skew: " + flat);
        assertTrue(skewed > 0.15, "top 1% share with exponent 1: " + skewed);
    }

    private static double topPercentShare(Params params) {
        Columns columns = SyntheticInteractions.generateColumns(params);
        int[] counts = new int[params.items()];
        for (int item : columns.items()) {
            counts[item]++;
        }
        Arrays.sort(counts);
        long top = 0;
        for (int k = 0; k < params.items() / 100; k++) {
            top += counts[counts.length - 1 - k];
        }
        return (double) top / columns.size();
    }

    @Test
    void usersConcentrateOnTheirTasteClusters() {
        double withTaste = topClusterShare(SMALL);
        double withoutTaste = topClusterShare(SMALL.toBuilder().tasteAffinity(0).build());
        assertTrue(withTaste > 0.6, "share of a user's rows in their 3 largest clusters: " + withTaste);
        assertTrue(withoutTaste < withTaste - 0.25, "no taste: " + withoutTaste + " vs taste: " + withTaste);
    }

    /** Over users with >= 30 rows: the share of rows in each user's 3 most frequent clusters. */
    private static double topClusterShare(Params params) {
        SyntheticInteractions.Generator generator = new SyntheticInteractions.Generator(params);
        Columns columns = SyntheticInteractions.generateColumns(params);
        int k = params.tasteClusters();
        long inTop = 0;
        long total = 0;
        int start = 0;
        while (start < columns.size()) {
            int end = start;
            int[] perCluster = new int[k];
            while (end < columns.size() && columns.users()[end] == columns.users()[start]) {
                perCluster[generator.clusterOfItem(columns.items()[end])]++;
                end++;
            }
            if (end - start >= 30) {
                Arrays.sort(perCluster);
                inTop += perCluster[k - 1] + perCluster[k - 2] + perCluster[k - 3];
                total += end - start;
            }
            start = end;
        }
        return (double) inTop / total;
    }

    @Test
    void interactionsFormUsesTheTsvIdsInFirstSeenOrder() {
        Params params = SMALL.toBuilder().interactions(20_000).build();
        Interactions interactions = SyntheticInteractions.generateInteractions(params);
        Columns columns = SyntheticInteractions.generateColumns(params);
        assertEquals(columns.size(), interactions.size());
        assertEquals(params.users(), interactions.userCount());
        for (int r = 0; r < columns.size(); r++) {
            assertEquals(Integer.toString(columns.users()[r]), interactions.users.id(interactions.user(r)));
            assertEquals(Integer.toString(columns.items()[r]), interactions.items.id(interactions.item(r)));
            assertEquals(columns.weights()[r], interactions.weight(r));
        }
        assertEquals("0", interactions.users.id(0));
        assertEquals(Integer.toString(columns.items()[0]), interactions.items.id(0));
        assertTrue(interactions.hasWeights() && interactions.hasTimestamps());
    }

    @Test
    void metaJsonCarriesTheProtocolKind() throws IOException {
        Path meta = dir.resolve("meta.json");
        SyntheticInteractions.writeMetaJson(SMALL.toBuilder().weightKind(WeightKind.RATINGS).build(), meta);
        String json = Files.readString(meta);
        assertTrue(json.contains("\"kind\": \"explicit\""), json);
        assertTrue(json.contains("\"interactions\": 100000"), json);
        assertTrue(json.contains("\"zipf_exponent\": 1.0"), json);
    }

    @Test
    void activityMuSetsTheExpectedTotal() {
        Params params = Params.builder().users(1_000).items(10_000).activitySigma(1.0).activityMu(3.0).build();
        assertEquals(Math.round(1_000 * Math.exp(3.5)), params.interactions());
        Params explicit = Params.builder().activityMu(3.0).interactions(5_000_000).build();
        assertEquals(5_000_000, explicit.interactions(), "a later interactions() replaces activityMu");
    }

    @Test
    void invalidParametersNameTheParameterValueAndRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Params.builder().users(0).build());
        assertEquals("users must be in [1, 2147483647], got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Params.builder().users(10).items(100).interactions(501).build());
        assertTrue(e.getMessage().startsWith("interactions must be in [10, 500] for 10 users and 100 items"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Params.builder().zipfExponent(-1).build());
        assertEquals("zipfExponent must be in [0.0, 5.0], got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Params.builder().tasteAffinity(Double.NaN).build());
        assertTrue(e.getMessage().startsWith("tasteAffinity must be in [0.0, 1.0], got NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Params.builder().items(10).interactions(100_000).users(100_000).tasteClusters(11).build());
        assertEquals("tasteClusters must be in [1, 10], got 11", e.getMessage());
        assertEquals(5, Params.builder().items(5).users(2).interactions(4).build().tasteClusters(),
                "the default cluster count shrinks to a tiny catalogue");
    }

    @Test
    void splitMix64MatchesTheJdkSplittableRandomStream() {
        for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE}) {
            SplitMix64 ours = new SplitMix64(seed);
            java.util.SplittableRandom jdk = new java.util.SplittableRandom(seed);
            for (int k = 0; k < 100; k++) {
                assertEquals(jdk.nextLong(), ours.nextLong(), "seed " + seed + " draw " + k);
            }
        }
    }

    @Test
    void aliasTableSamplesInProportionToWeights() {
        double[] weights = {5, 0, 1, 3, 1};
        AliasTable table = new AliasTable(weights);
        SplitMix64 rng = new SplitMix64(99);
        int[] counts = new int[weights.length];
        int draws = 200_000;
        for (int k = 0; k < draws; k++) {
            counts[table.sample(rng)]++;
        }
        assertEquals(0, counts[1], "zero weight is never drawn");
        for (int i = 0; i < weights.length; i++) {
            double expected = draws * weights[i] / 10.0;
            assertEquals(expected, counts[i], 5 * Math.sqrt(expected) + 1, "index " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> new AliasTable(new double[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> new AliasTable(new double[] {1, -1}));
    }

    @Test
    void activitySharesAreExactBoundedAndMonotone() {
        double[] activity = {1, 100, 3, 0.5, 1000, 2};
        int[] rows = ActivityShares.allocate(activity, 200, 5, 60);
        assertEquals(200, Arrays.stream(rows).sum());
        // By hand: 5 each, 170 left. Scale 170/1106.5 puts user 4 over the 55 extra -> capped (115 left);
        // scale 115/106.5 caps user 1 (60 left); scale 60/6.5 gives 9.23, 27.69, 4.62, 18.46, which
        // cumulative rounding turns into 9, 28, 5, 18.
        assertArrayEquals(new int[] {14, 60, 33, 10, 60, 23}, rows);
        assertEquals(360, Arrays.stream(ActivityShares.allocate(activity, 360, 5, 60)).sum());
        assertArrayEquals(new int[] {5, 5, 5, 5, 5, 5}, ActivityShares.allocate(activity, 30, 5, 60));
    }

    /**
     * Speed measurement, not a test: {@code -Dreco.synth.measure=true} (optionally
     * {@code -Dreco.synth.measure.rows=50000000}) writes one file and prints rows per second.
     */
    @Test
    void measureTsvWriteSpeed() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("reco.synth.measure"), "set -Dreco.synth.measure=true to measure");
        long rows = Long.getLong("reco.synth.measure.rows", 10_000_000L);
        Params params = Params.builder().interactions(rows).users((int) Math.max(1_000, rows / 100))
                .items((int) Math.max(10_000, Math.min(1_000_000, rows / 200))).build();
        Path file = dir.resolve("bench.tsv");
        // CPU time beside wall time: on a shared machine the wall clock mostly measures the neighbours.
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long written = SyntheticInteractions.writeTsv(params, file);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        System.out.printf(Locale.ROOT,
                "synth: %,d rows (%,d users, %,d items), %,d bytes in %.2f s wall (%,.0f rows/s), %.2f s CPU (%,.0f rows/s)%n",
                written, params.users(), params.items(), Files.size(file), seconds, written / seconds, cpuSeconds,
                written / cpuSeconds);
    }
}
