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
import org.openjdk.jmh.annotations.Warmup;
import reco.model.topk.TopK;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Bounded top-K selection over a dense score array (100k items, not a power of two), as the
 * recommender runs it after scoring. {@code random} order is the common case (few candidates beat the
 * running minimum); {@code ascending} is the worst case, where every candidate enters the heap.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
// Allocation-free loop over one array: it reaches steady state within the first warm-up iteration.
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.VECTOR_MODULE, BenchmarkJvm.NATIVE_ACCESS,
        BenchmarkJvm.NO_VECTOR_BOUNDS_CHECK, BenchmarkJvm.NO_CHRONICLE_ANALYTICS})
public class TopKBenchmark {
    private static final int ITEMS = 100_000;

    @Param({"10", "100"})
    int k;

    @Param({"random", "ascending"})
    String order;

    private float[] scores;
    private TopK top;
    private int[] items;
    private float[] best;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(k);
        scores = new float[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            scores[i] = switch (order) {
                case "random" -> (float) random.nextGaussian();
                case "ascending" -> i * 1e-3f;
                default -> throw new IllegalArgumentException("order must be random or ascending, got '" + order + "'");
            };
        }
        top = new TopK(k);
        items = new int[k];
        best = new float[k];

        int n = select();
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        BenchmarkJvm.check(n == k, "selected " + n + " of k=" + k);
        for (int r = 0; r < k; r++) {
            BenchmarkJvm.check(best[r] == sorted[ITEMS - 1 - r] && scores[items[r]] == best[r],
                    "rank " + r + ": got item " + items[r] + " score " + best[r] + ", expected score " + sorted[ITEMS - 1 - r]);
        }
    }

    @Benchmark
    public int select() {
        top.reset(k);
        float[] s = scores;
        for (int i = 0; i < s.length; i++) {
            if (!top.wouldReject(s[i])) {
                top.offer(i, s[i]);
            }
        }
        return top.drainInto(items, best);
    }
}
