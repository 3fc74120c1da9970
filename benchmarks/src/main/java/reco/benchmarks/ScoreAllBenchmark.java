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
import reco.model.format.ModelFile;
import reco.model.generation.EmbeddingMatrix;
import reco.model.generation.GenerationFiles;
import reco.model.scoring.DotProductTopK;
import reco.model.topk.TopK;
import reco.model.vector.VectorKernels;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * Scoring one user against the whole catalogue of an embedding model, from a memory-mapped model
 * file written and opened with the real format code. Three shapes of the same work:
 * {@code scoreAll} alone (what hybrid blending needs), {@code scoreAll} then a top-10 pass over the
 * scores (the current {@code Recommender} path), and the fused {@link DotProductTopK}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
// A call takes 10 µs to 1 ms: 1 s iterations hold thousands of calls; 3 warm-up iterations let C2
// settle (the fused loop is compiled after the kernels it inlines).
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.VECTOR_MODULE, BenchmarkJvm.NATIVE_ACCESS,
        BenchmarkJvm.NO_VECTOR_BOUNDS_CHECK, BenchmarkJvm.NO_CHRONICLE_ANALYTICS})
public class ScoreAllBenchmark {
    private static final int DIMENSIONS = 64;
    private static final int K = 10;

    /** Catalogue sizes: MovieLens-small is ~10k items, a mid-size shop ~100k. */
    @Param({"10000", "100000"})
    int items;

    @Param({"scalar", "panama"})
    String impl;

    private VectorKernels kernels;
    private Path directory;
    private Arena arena;
    private MemorySegment vectors;
    private float[] user;
    private float[] scores;
    private final TopK top = new TopK(K);
    private final int[] topItems = new int[K];
    private final float[] topScores = new float[K];
    /** Stands in for "not already seen": rejects one item in 64, cheap enough not to dominate. */
    private final IntPredicate notSeen = item -> (item & 63) != 0;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        kernels = Kernels.named(impl);
        Random random = new Random(items);
        float[] data = new float[items * DIMENSIONS];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        user = new float[DIMENSIONS];
        for (int i = 0; i < DIMENSIONS; i++) {
            user[i] = (float) random.nextGaussian();
        }
        directory = Files.createTempDirectory("reco-bench-embeddings");
        Path file = directory.resolve("items.emb");
        EmbeddingMatrix.write(file, data, items, DIMENSIONS, null);
        arena = Arena.ofShared();
        EmbeddingMatrix matrix = EmbeddingMatrix.open(
                ModelFile.open(file, GenerationFiles.FORMAT_EMBEDDINGS, arena, true), items);
        vectors = matrix.vectors();
        scores = new float[items];

        kernels.scoreAll(user, vectors, items, scores);
        for (int r = 0; r < items; r += 997) {
            Kernels.checkClose(Kernels.exactDot(user, data, r * DIMENSIONS), Kernels.magnitude(user, data, r * DIMENSIONS),
                    scores[r], impl + " scoreAll row " + r);
        }
        int[] viaScores = Arrays.copyOf(topItems, scoreAllThenTopK());
        int[] fused = Arrays.copyOf(topItems, fusedTopK());
        BenchmarkJvm.check(viaScores.length == K && Arrays.equals(viaScores, fused),
                "fused top-K " + Arrays.toString(fused) + " != scoreAll top-K " + Arrays.toString(viaScores));
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

    @Benchmark
    public float[] scoreAll() {
        kernels.scoreAll(user, vectors, items, scores);
        return scores;
    }

    @Benchmark
    public int scoreAllThenTopK() {
        kernels.scoreAll(user, vectors, items, scores);
        top.reset(K);
        for (int item = 0; item < items; item++) {
            float score = scores[item];
            if (!top.wouldReject(score) && notSeen.test(item)) {
                top.offer(item, score);
            }
        }
        return top.drainInto(topItems, topScores);
    }

    @Benchmark
    public int fusedTopK() {
        top.reset(K);
        DotProductTopK.select(kernels, user, vectors, items, top, notSeen);
        return top.drainInto(topItems, topScores);
    }
}
