package reco.model.ann;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reco.model.format.ModelFile;
import reco.model.format.ModelFileWriter;
import reco.model.format.ModelFormatException;
import reco.model.format.SectionType;
import reco.model.topk.TopK;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IvfIndexTest {
    static final int ROWS = 4_000;
    static final int DIMS = 64;
    /** Fewer tastes than at benchmark scale, keeping ~60 items per taste as in a 100k+ catalogue. */
    static final int CENTRES = 64;
    static final int QUERIES = 200;

    @TempDir
    Path dir;

    static float[] items;
    static float[][] queries;
    static BruteForce exact;

    @BeforeAll
    static void data() {
        AlsLikeFactors factors = new AlsLikeFactors(DIMS, CENTRES, 11);
        items = factors.items(ROWS);
        queries = factors.users(QUERIES);
        exact = new BruteForce(items, ROWS);
    }

    private Path build(IvfParameters p) throws IOException {
        Path f = dir.resolve(IvfIndex.fileName("test") + "-" + System.nanoTime());
        IvfIndexWriter.write(f, items, ROWS, DIMS, p);
        return f;
    }

    private static int[] search(IvfIndex index, float[] q, int k, int probes, IntPredicate accept) {
        TopK top = new TopK(k);
        index.search(q, k, probes, top, accept);
        int[] out = new int[k];
        return Arrays.copyOf(out, top.drainInto(out, new float[k]));
    }

    private static double meanRecall(IvfIndex index, int k, int probes) {
        TopK top = new TopK(k);
        double sum = 0;
        for (float[] q : queries) {
            sum += BruteForce.recall(exact.topK(q, k, null, top), search(index, q, k, probes, null));
        }
        return sum / queries.length;
    }

    @Test
    void defaultSettingsReachRecallTargetAgainstBruteForce() throws IOException {
        IvfParameters p = IvfParameters.defaults(ROWS);
        try (Arena arena = Arena.ofConfined()) {
            IvfIndex index = IvfIndex.open(build(p), arena, true, ROWS, DIMS);
            assertEquals(p.lists(), index.lists());
            assertEquals(p.defaultProbes(), index.defaultProbes());
            assertTrue(index.defaultProbes() < index.lists() / 4, "the test must exercise an approximate search");
            double r10 = meanRecall(index, 10, index.defaultProbes());
            double r100 = meanRecall(index, 100, index.probesFor(100));
            assertTrue(r10 >= 0.95, "recall@10 " + r10);
            assertTrue(r100 >= 0.95, "recall@100 " + r100 + " with " + index.probesFor(100) + " probes");
            assertTrue(meanRecall(index, 10, 1) < r10, "one probe must be worse, or the test shows nothing");
        }
    }

    @ParameterizedTest
    @EnumSource(Partitioning.class)
    void probingEveryListIsExactScoring(Partitioning partitioning) throws IOException {
        IvfParameters p = IvfParameters.defaults(ROWS).withLists(50).withPartitioning(partitioning);
        try (Arena arena = Arena.ofConfined()) {
            IvfIndex index = IvfIndex.open(build(p), arena, true, ROWS, DIMS);
            assertEquals(partitioning, index.partitioning());
            TopK top = new TopK(20);
            for (int q = 0; q < 40; q++) {
                int[] expected = exact.topK(queries[q], 20, null, top);
                assertArrayEquals(expected, search(index, queries[q], 20, index.lists(), null), "query " + q);
            }
        }
    }

    @Test
    void everyItemIsInExactlyOneListWithItsOwnVector() throws IOException {
        // unit vectors e_i (dims = rows) make each item's score for query e_i unique: only i scores 1
        int n = 12;
        float[] identity = new float[n * n];
        for (int i = 0; i < n; i++) {
            identity[i * n + i] = 1;
        }
        Path f = dir.resolve("identity.bin");
        IvfIndexWriter.IvfBuildSummary summary = IvfIndexWriter.write(f, identity, n, n,
                IvfParameters.defaults(n).withLists(3).withDefaultProbes(3));
        assertEquals(3, summary.lists());
        try (Arena arena = Arena.ofConfined()) {
            IvfIndex index = IvfIndex.open(f, arena, true, n, n);
            int total = 0;
            for (int l = 0; l < index.lists(); l++) {
                total += index.listSize(l);
            }
            assertEquals(n, total);
            for (int i = 0; i < n; i++) {
                float[] q = new float[n];
                q[i] = 1;
                TopK top = new TopK(1);
                assertEquals(n, index.search(q, 1, top, null), "all lists probed");
                int[] item = new int[1];
                float[] score = new float[1];
                top.drainInto(item, score);
                assertEquals(i, item[0]);
                assertEquals(1f, score[0]);
            }
        }
    }

    @Test
    void filterIsRespectedAndStrictFiltersStillFillK() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            IvfIndex index = IvfIndex.open(build(IvfParameters.defaults(ROWS)), arena, true, ROWS, DIMS);
            IntPredicate even = i -> i % 2 == 0;
            TopK top = new TopK(10);
            double recall = 0;
            for (float[] q : queries) {
                int[] got = search(index, q, 10, index.defaultProbes(), even);
                assertEquals(10, got.length);
                for (int i : got) {
                    assertTrue(even.test(i), "item " + i + " rejected by the filter");
                }
                recall += BruteForce.recall(exact.topK(q, 10, even, top), got);
            }
            assertTrue(recall / queries.length >= 0.95, "filtered recall@10 " + recall / queries.length);
            // only 15 of 4000 items allowed: far more lists than the default probes must be scanned
            IntPredicate rare = i -> i % 263 == 5;
            for (int q = 0; q < 20; q++) {
                int[] got = search(index, queries[q], 10, index.defaultProbes(), rare);
                assertEquals(10, got.length, "query " + q);
                for (int i : got) {
                    assertTrue(rare.test(i));
                }
            }
            assertEquals(0, search(index, queries[0], 10, index.defaultProbes(), i -> false).length);
        }
    }

    @Test
    void sameSeedGivesTheSameFileWhateverTheThreadCount() throws IOException {
        IvfParameters p = IvfParameters.defaults(ROWS).withSeed(3);
        byte[] one = Files.readAllBytes(build(p.withThreads(1)));
        byte[] two = Files.readAllBytes(build(p.withThreads(2)));
        byte[] again = Files.readAllBytes(build(p.withThreads(2)));
        assertArrayEquals(one, two);
        assertArrayEquals(two, again);
        assertFalse(Arrays.equals(one, Files.readAllBytes(build(p.withSeed(4)))), "the seed must matter");
    }

    @Test
    void damagedOrMismatchedFilesAreRejected() throws IOException {
        Path f = build(IvfParameters.defaults(ROWS).withLists(20));
        byte[] original = Files.readAllBytes(f);
        try (Arena arena = Arena.ofConfined()) {
            ModelFormatException rows = assertThrows(ModelFormatException.class,
                    () -> IvfIndex.open(f, arena, true, ROWS + 1, DIMS));
            assertEquals(ModelFormatException.Kind.CORRUPT, rows.kind());
            assertTrue(rows.getMessage().contains("index covers 4000 items, expected 4001"), rows.getMessage());
            ModelFormatException dims = assertThrows(ModelFormatException.class,
                    () -> IvfIndex.open(f, arena, true, ROWS, DIMS - 1));
            assertTrue(dims.getMessage().contains("64 dimensions, expected 63"), dims.getMessage());
        }
        for (int at : new int[] {original.length / 3, original.length / 2, original.length - 40}) {
            byte[] damaged = original.clone();
            damaged[at] ^= 0x40;
            Files.write(f, damaged);
            try (Arena arena = Arena.ofConfined()) {
                ModelFormatException e = assertThrows(ModelFormatException.class,
                        () -> IvfIndex.open(f, arena, true, ROWS, DIMS), "byte " + at);
                assertEquals(ModelFormatException.Kind.CORRUPT, e.kind());
            }
        }
        Files.write(f, Arrays.copyOf(original, original.length - 100));
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(ModelFormatException.Kind.TRUNCATED, assertThrows(ModelFormatException.class,
                    () -> IvfIndex.open(f, arena, true, ROWS, DIMS)).kind());
        }
    }

    @Test
    void structurallyInconsistentIndexIsRejectedEvenWithAValidChecksum() throws IOException {
        // a well-formed file whose lists name item 1 twice and item 2 never
        Path f = dir.resolve("duplicate.bin");
        try (ModelFileWriter w = ModelFileWriter.create(f, IvfIndex.FORMAT)) {
            w.declare(IvfIndex.SECTION_HEADER, SectionType.INT64, IvfIndex.HEADER_LONGS)
                    .declare(IvfIndex.SECTION_CENTROIDS, SectionType.FLOAT32, 2)
                    .declare(IvfIndex.SECTION_PROBE_BIAS, SectionType.FLOAT32, 1)
                    .declare(IvfIndex.SECTION_OFFSETS, SectionType.INT64, 2)
                    .declare(IvfIndex.SECTION_ITEMS, SectionType.INT32, 3)
                    .declare(IvfIndex.SECTION_VECTORS, SectionType.FLOAT32, 6)
                    .begin();
            w.putLongs(new long[] {3, 2, 1, Partitioning.RAW.code, 1});
            w.putFloats(new float[] {0, 0});
            w.putFloats(new float[] {0});
            w.putLongs(new long[] {0, 3});
            w.putInts(new int[] {0, 1, 1});
            w.putFloats(new float[6]);
        }
        try (Arena arena = Arena.ofConfined()) {
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> IvfIndex.open(ModelFile.open(f, IvfIndex.FORMAT, arena, true), 3, 2));
            assertTrue(e.getMessage().contains("item 1 appears in two lists"), e.getMessage());
        }
    }

    @Test
    void badParametersNameTheParameterValueAndRange() throws IOException {
        assertMessage("lists must be in [1, 2147483647], got 0", () -> IvfParameters.defaults(ROWS).withLists(0));
        assertMessage("defaultProbes must be in [1, 10], got 11",
                () -> IvfParameters.defaults(ROWS).withLists(10).withDefaultProbes(11));
        assertMessage("threads must be in [1, 1024], got 0", () -> IvfParameters.defaults(ROWS).withThreads(0));
        assertMessage("iterations must be in [0, 1000], got -1", () -> IvfParameters.defaults(ROWS).withIterations(-1));
        assertMessage("lists must be in [1, 3], got 4", () -> IvfIndexWriter.write(dir.resolve("x"), new float[6], 3, 2,
                IvfParameters.defaults(3).withLists(4)));
        assertMessage("vectors length 5 != rows x dims = 3 x 2", () -> IvfIndexWriter.write(dir.resolve("x"),
                new float[5], 3, 2, IvfParameters.defaults(3)));
        float[] nan = new float[6];
        nan[3] = Float.NaN;
        assertMessage("vectors[3] (row 1, column 1) is NaN", () -> IvfIndexWriter.write(dir.resolve("x"), nan, 3, 2,
                IvfParameters.defaults(3)));
        try (Arena arena = Arena.ofConfined()) {
            IvfIndex index = IvfIndex.open(build(IvfParameters.defaults(ROWS).withLists(30)), arena, true, ROWS, DIMS);
            TopK top = new TopK(10);
            assertMessage("probes must be in [1, 30], got 31", () -> index.search(queries[0], 10, 31, top, null));
            assertMessage("probes must be in [1, 30], got 0", () -> index.search(queries[0], 10, 0, top, null));
            assertMessage("k must be in [1, 2147483647], got 0", () -> index.search(queries[0], 0, 3, top, null));
            assertMessage("query has 63 dimensions, index 64", () -> index.search(new float[63], 10, top, null));
            float[] q = queries[0].clone();
            q[5] = Float.POSITIVE_INFINITY;
            assertMessage("query[5] is Infinity", () -> index.search(q, 10, top, null));
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void assertMessage(String expected, Action action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
