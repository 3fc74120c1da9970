package reco.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reco.model.Neighborhoods;
import reco.model.format.ModelFile;
import reco.model.generation.GenerationFiles;
import reco.model.generation.NeighborLists;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Scoring a user profile with a neighbour model: for each profile item, add weight x neighbour score
 * into a per-item accumulator, as {@code Recommender} does for content / item-kNN / EASE. The pair
 * compares the memory-mapped lists (what the server reads) with the same lists on the heap, so the
 * cost of going through {@code MemorySegment} is visible.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
// Random access into a 20k x 50 list set (8 MB with offsets): warm-up also warms the page cache.
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.VECTOR_MODULE, BenchmarkJvm.NATIVE_ACCESS,
        BenchmarkJvm.NO_VECTOR_BOUNDS_CHECK, BenchmarkJvm.NO_CHRONICLE_ANALYTICS})
public class NeighborListsBenchmark {
    private static final int ITEMS = 20_011;
    private static final int NEIGHBOURS = 50;
    /** Profiles cycled through, so successive calls touch different lists. */
    private static final int PROFILES = 256;

    /** Items in a user's profile: a short session and a long history. */
    @Param({"5", "50"})
    int profileLength;

    private Neighborhoods onHeap;
    private NeighborLists mapped;
    private Path directory;
    private Arena arena;
    private int[][] profiles;
    private float[][] weights;
    private float[] accumulator;
    private int[] touched;
    private int profile;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Random random = new Random(profileLength);
        int[] offsets = new int[ITEMS + 1];
        int[] neighbours = new int[ITEMS * NEIGHBOURS];
        float[] scores = new float[ITEMS * NEIGHBOURS];
        for (int i = 0; i < ITEMS; i++) {
            offsets[i + 1] = offsets[i] + NEIGHBOURS;
            float score = 1f;
            for (int n = 0; n < NEIGHBOURS; n++) {
                neighbours[i * NEIGHBOURS + n] = random.nextInt(ITEMS);
                score *= 0.97f; // best first, as stored
                scores[i * NEIGHBOURS + n] = score;
            }
        }
        onHeap = new Neighborhoods(offsets, neighbours, scores);
        directory = Files.createTempDirectory("reco-bench-neighbours");
        Path file = directory.resolve("neighbours.nbr");
        NeighborLists.write(file, onHeap);
        arena = Arena.ofShared();
        mapped = NeighborLists.open(ModelFile.open(file, GenerationFiles.FORMAT_NEIGHBORS, arena, true), ITEMS);

        profiles = new int[PROFILES][profileLength];
        weights = new float[PROFILES][profileLength];
        for (int p = 0; p < PROFILES; p++) {
            for (int i = 0; i < profileLength; i++) {
                profiles[p][i] = random.nextInt(ITEMS);
                weights[p][i] = 0.5f + random.nextFloat();
            }
        }
        accumulator = new float[ITEMS];
        touched = new int[ITEMS];

        for (int p = 0; p < PROFILES; p += 17) {
            profile = p;
            float fromMapped = accumulateMapped();
            profile = p;
            float fromHeap = accumulateOnHeap();
            BenchmarkJvm.check(fromMapped == fromHeap && fromMapped > 0,
                    "profile " + p + ": mapped " + fromMapped + " != heap " + fromHeap);
        }
        profile = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        arena.close();
        try (var files = Files.list(directory)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(directory);
    }

    /**
     * Reads back what was accumulated (selection would) and resets those entries for the next call;
     * the sum is returned so the work cannot be optimised away and so the set-up can compare paths.
     */
    private float drain(int touchedCount) {
        float sum = 0;
        for (int t = 0; t < touchedCount; t++) {
            int item = touched[t];
            sum += accumulator[item];
            accumulator[item] = 0;
        }
        return sum;
    }

    /** Positive scores only, so 0 marks an untouched entry and no stamp array is needed. */
    @Benchmark
    public float accumulateMapped() {
        int[] items = profiles[profile];
        float[] w = weights[profile];
        profile = (profile + 1) & (PROFILES - 1);
        int touchedCount = 0;
        for (int i = 0; i < items.length; i++) {
            for (long p = mapped.start(items[i]), end = mapped.end(items[i]); p < end; p++) {
                int neighbour = mapped.neighbor(p);
                if (accumulator[neighbour] == 0) {
                    touched[touchedCount++] = neighbour;
                }
                accumulator[neighbour] += w[i] * mapped.score(p);
            }
        }
        return drain(touchedCount);
    }

    @Benchmark
    public float accumulateOnHeap() {
        int[] items = profiles[profile];
        float[] w = weights[profile];
        profile = (profile + 1) & (PROFILES - 1);
        int[] neighbours = onHeap.items();
        float[] scores = onHeap.scores();
        int touchedCount = 0;
        for (int i = 0; i < items.length; i++) {
            for (int p = onHeap.start(items[i]), end = onHeap.end(items[i]); p < end; p++) {
                int neighbour = neighbours[p];
                if (accumulator[neighbour] == 0) {
                    touched[touchedCount++] = neighbour;
                }
                accumulator[neighbour] += w[i] * scores[p];
            }
        }
        return drain(touchedCount);
    }
}
