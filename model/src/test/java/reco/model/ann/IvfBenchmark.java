package reco.model.ann;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import reco.model.format.ModelFile;
import reco.model.generation.EmbeddingMatrix;
import reco.model.generation.GenerationFiles;
import reco.model.topk.TopK;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recall and single-thread speed of the IVF index against exact scoring, on ALS-like factors. Not part
 * of the default run (minutes at 1M items):
 *
 * <pre>
 * JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw -q -o -pl model test -Dtest=IvfBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dreco.bench.ivf=true \
 *     [-Dreco.bench.ivf.sizes=100000,1000000] [-Dreco.bench.ivf.partitionings=AUGMENTED,RAW,SPHERICAL] \
 *     [-Dreco.bench.ivf.listFactors=1,2,4] [-Dreco.bench.ivf.probeFractions=0.01,0.02,0.03,0.05,0.1] \
 *     [-Dreco.bench.ivf.queries=300] [-Dreco.bench.ivf.dims=64]
 * </pre>
 * Results go to stdout and {@code model/target/ivf-benchmark.md}. Both exact and approximate search
 * read memory-mapped files and use the same dot-product kernel, so the speed-up is the algorithm's.
 * Query speed is measured in thread CPU time (robust on a shared machine); build time is wall time.
 * The run fails if the default settings miss recall@10 >= 0.95.
 */
@EnabledIfSystemProperty(named = "reco.bench.ivf", matches = "true")
class IvfBenchmark {
    /** Thread CPU time, not wall time: the machine is shared, and a query is single-threaded work. */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    @TempDir
    Path dir;

    @Test
    void recallAndSpeedAgainstExactScoring() throws IOException {
        int dims = Integer.getInteger("reco.bench.ivf.dims", 64);
        int queryCount = Integer.getInteger("reco.bench.ivf.queries", 300);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "dims %d, %d queries, %d latent centres, item norm sigma %.2f, %d threads for building, "
                        + "search single-threaded", dims, queryCount, AlsLikeFactors.CENTRES,
                AlsLikeFactors.ITEM_NORM_SIGMA, Runtime.getRuntime().availableProcessors()));
        lines.add("");
        lines.add("| items | partitioning | lists | probes | recall@10 | recall@100 | scored/query | qps k=10 | exact qps | speed-up | build s (wall) | build s (CPU) | largest list |");
        lines.add("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        print(lines);
        boolean defaultsMet = true;
        for (String size : System.getProperty("reco.bench.ivf.sizes", "100000,1000000").split(",")) {
            int rows = Integer.parseInt(size.trim());
            AlsLikeFactors factors = new AlsLikeFactors(dims, 7);
            float[] items = factors.items(rows);
            float[][] queries = factors.users(queryCount);
            Path embeddings = dir.resolve(GenerationFiles.embeddings("bench-" + rows));
            EmbeddingMatrix.write(embeddings, items, rows, dims, null);
            try (Arena arena = Arena.ofConfined()) {
                EmbeddingMatrix matrix = EmbeddingMatrix.open(
                        ModelFile.open(embeddings, GenerationFiles.FORMAT_EMBEDDINGS, arena, true), rows);
                BruteForce exact = new BruteForce(matrix.vectors(), rows);
                TopK top = new TopK(100);
                int[][] exact10 = new int[queryCount][];
                int[][] exact100 = new int[queryCount][];
                for (int q = 0; q < Math.min(20, queryCount); q++) { // warm-up
                    exact.topK(queries[q], 10, null, top);
                }
                long start = CPU.getCurrentThreadCpuTime();
                for (int q = 0; q < queryCount; q++) {
                    exact10[q] = exact.topK(queries[q], 10, null, top);
                }
                double exactQps = queryCount / ((CPU.getCurrentThreadCpuTime() - start) / 1e9);
                for (int q = 0; q < queryCount; q++) {
                    exact100[q] = exact.topK(queries[q], 100, null, top);
                }
                for (String name : System.getProperty("reco.bench.ivf.partitionings", "RAW").split(",")) {
                    Partitioning partitioning = Partitioning.valueOf(name.trim());
                    for (String factor : System.getProperty("reco.bench.ivf.listFactors", "1,2,4").split(",")) {
                        int lists = (int) Math.round(Double.parseDouble(factor) * Math.sqrt(rows));
                        IvfParameters p = IvfParameters.defaults(rows).withLists(lists).withPartitioning(partitioning);
                        Path indexFile = dir.resolve("ivf-" + rows + "-" + name + "-" + lists + ".bin");
                        long buildStart = System.nanoTime();
                        long buildCpuStart = PROCESS.getProcessCpuTime();
                        IvfIndexWriter.IvfBuildSummary summary = IvfIndexWriter.write(indexFile, items, rows, dims, p);
                        double buildSeconds = (System.nanoTime() - buildStart) / 1e9;
                        double buildCpuSeconds = (PROCESS.getProcessCpuTime() - buildCpuStart) / 1e9;
                        IvfIndex index = IvfIndex.open(indexFile, arena, true, rows, dims);
                        List<Integer> probeCounts = new ArrayList<>();
                        for (String fraction : System.getProperty("reco.bench.ivf.probeFractions", "0.01,0.02,0.03,0.05,0.1").split(",")) {
                            int probes = (int) Math.max(1, Math.min(lists, Math.round(Double.parseDouble(fraction) * lists)));
                            if (!probeCounts.contains(probes)) {
                                probeCounts.add(probes);
                            }
                        }
                        if (!probeCounts.contains(index.defaultProbes())) {
                            probeCounts.add(index.defaultProbes());
                        }
                        probeCounts.sort(null);
                        for (int probes : probeCounts) {
                            double r10 = 0;
                            double r100 = 0;
                            long scored = 0;
                            int[] out = new int[100];
                            float[] scores = new float[100];
                            for (int q = 0; q < queryCount; q++) {
                                index.search(queries[q], 10, probes, top, null);
                                r10 += BruteForce.recall(exact10[q], java.util.Arrays.copyOf(out, top.drainInto(out, scores)));
                                scored += index.search(queries[q], 100, probes, top, null);
                                r100 += BruteForce.recall(exact100[q], java.util.Arrays.copyOf(out, top.drainInto(out, scores)));
                            }
                            long t = CPU.getCurrentThreadCpuTime();
                            for (int q = 0; q < queryCount; q++) {
                                index.search(queries[q], 10, probes, top, null);
                                top.drainInto(out, scores);
                            }
                            double qps = queryCount / ((CPU.getCurrentThreadCpuTime() - t) / 1e9);
                            r10 /= queryCount;
                            r100 /= queryCount;
                            boolean isDefault = probes == index.defaultProbes()
                                    && lists == IvfParameters.defaultLists(rows)
                                    && partitioning == IvfParameters.DEFAULT_PARTITIONING;
                            if (isDefault && r10 < 0.95) {
                                defaultsMet = false;
                            }
                            String line = String.format(Locale.ROOT, "| %d | %s | %d | %d%s | %.3f | %.3f | %d | %.0f | %.1f | %.0fx | %.1f | %.1f | %d |",
                                    rows, partitioning, lists, probes, isDefault ? " (default)" : "", r10, r100,
                                    scored / queryCount, qps, exactQps, qps / exactQps, buildSeconds, buildCpuSeconds, summary.largestList());
                            lines.add(line);
                            print(List.of(line));
                        }
                        if (lists == IvfParameters.defaultLists(rows) && partitioning == IvfParameters.DEFAULT_PARTITIONING) {
                            // the default for k = 100 probes more (IvfIndex.probesFor)
                            int probes = index.probesFor(100);
                            double r100 = 0;
                            int[] out = new int[100];
                            for (int q = 0; q < queryCount; q++) {
                                index.search(queries[q], 100, top, null);
                                r100 += BruteForce.recall(exact100[q], java.util.Arrays.copyOf(out, top.drainInto(out, new float[100])));
                            }
                            String line = String.format(Locale.ROOT, "| %d | %s | %d | %d (default for k=100) | | %.3f | | | | | | | |",
                                    rows, partitioning, lists, probes, r100 / queryCount);
                            lines.add(line);
                            print(List.of(line));
                        }
                    }
                }
            }
        }
        Path report = Path.of("target", "ivf-benchmark.md");
        Files.createDirectories(report.getParent());
        Files.write(report, lines);
        assertTrue(defaultsMet, "default settings below recall@10 0.95; see " + report.toAbsolutePath());
    }

    private static void print(List<String> lines) {
        PrintStream out = System.out;
        lines.forEach(out::println);
        out.flush();
    }
}
