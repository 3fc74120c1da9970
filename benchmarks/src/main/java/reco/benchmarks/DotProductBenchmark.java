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
import reco.model.format.ModelFile;
import reco.model.vector.VectorKernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One dot product of two on-heap vectors, and of a query with a row of an off-heap matrix, at
 * embedding sizes reco trains (100 is deliberately not a multiple of any vector length: it exercises
 * the scalar tail). Many rows are cycled so the row is not always the same cache line.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
// C2 compiles the kernels within a few thousand calls; 3 x 1 s of warm-up is ample, and more
// iterations than forks because the noise is in the shared machine, not between JIT decisions.
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// One fresh JVM per parameter combination: the kernel call site stays monomorphic, as in the server.
@Fork(value = 1, jvmArgsAppend = {BenchmarkJvm.VECTOR_MODULE, BenchmarkJvm.NATIVE_ACCESS,
        BenchmarkJvm.NO_VECTOR_BOUNDS_CHECK, BenchmarkJvm.NO_CHRONICLE_ANALYTICS})
public class DotProductBenchmark {
    /** Rows cycled through: 1024 x 128 floats = 512 KiB, beyond L2 of small cores, within L3. */
    private static final int ROWS = 1024;

    @Param({"32", "64", "100", "128"})
    int dimensions;

    @Param({"scalar", "panama"})
    String impl;

    private VectorKernels kernels;
    private float[] query;
    private float[] matrix;
    private float[][] rowArrays;
    private MemorySegment offHeap;
    private int row;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = Kernels.named(impl);
        Random random = new Random(dimensions);
        query = new float[dimensions];
        matrix = new float[ROWS * dimensions];
        for (int i = 0; i < query.length; i++) {
            query[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = (float) random.nextGaussian();
        }
        offHeap = Arena.ofAuto().allocate((long) matrix.length * Float.BYTES, 64);
        MemorySegment.copy(matrix, 0, offHeap, ModelFile.FLOAT, 0, matrix.length);
        rowArrays = new float[ROWS][dimensions];
        for (int r = 0; r < ROWS; r++) {
            System.arraycopy(matrix, r * dimensions, rowArrays[r], 0, dimensions);
        }
        for (int r = 0; r < ROWS; r += 97) {
            double exact = Kernels.exactDot(query, matrix, r * dimensions);
            double magnitude = Kernels.magnitude(query, matrix, r * dimensions);
            Kernels.checkClose(exact, magnitude, kernels.dot(query, rowArrays[r]), impl + " dot(array) row " + r);
            Kernels.checkClose(exact, magnitude, kernels.dot(query, offHeap, r), impl + " dot(segment) row " + r);
        }
    }

    /** Two on-heap arrays, as in fold-in and cosine between item vectors. */
    @Benchmark
    public float dotArrays() {
        int r = nextRow();
        return kernels.dot(query, rowArrays[r]);
    }

    /** Query against a row of an off-heap (mapped-style) matrix, the serving layout. */
    @Benchmark
    public float dotSegmentRow() {
        return kernels.dot(query, offHeap, nextRow());
    }

    private int nextRow() {
        int r = row;
        row = r + 1 == ROWS ? 0 : r + 1;
        return r;
    }
}
