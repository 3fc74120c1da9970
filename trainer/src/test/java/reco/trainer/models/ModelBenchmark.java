package reco.trainer.models;

import java.util.Random;
import reco.model.Neighborhoods;
import reco.trainer.math.CsrMatrix;
import reco.trainer.models.ease.DenseEase;
import reco.trainer.models.ease.Ease;
import reco.trainer.models.ease.SpdInverse;
import reco.trainer.models.knn.ItemKnn;
import reco.trainer.progress.Progress;

/**
 * Manual timing runs (not a test; no timing assertions anywhere). From trainer/ after test-compile:
 * <pre>
 *   java $FLAGS -Xmx8g -cp target/classes:target/test-classes:$DEPS reco.trainer.models.ModelBenchmark spd 2000 5000 9000
 *   ... ModelBenchmark knn 100000 5000000       (items, interactions)
 *   ... ModelBenchmark ease 9000 100000 3000000 (items, users, interactions)
 * </pre>
 */
public final class ModelBenchmark {
    /** Process CPU seconds: the machine is shared, so wall time alone says little. */
    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    public static void main(String[] args) {
        switch (args[0]) {
            case "spd" -> {
                for (int a = 1; a < args.length; a++) {
                    spd(Integer.parseInt(args[a]));
                }
            }
            case "knn" -> knn(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "ease" -> ease(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "ease-ratings" -> ease(readRatings(java.nio.file.Path.of(args[1])), Double.parseDouble(args[2]));
            default -> throw new IllegalArgumentException("spd | knn | ease");
        }
    }

    private static void spd(int n) {
        Random random = new Random(n);
        double[] a = new double[n * n];
        // diagonally dominant SPD matrix with random off-diagonal entries (only the lower triangle is read)
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                a[i * n + j] = random.nextDouble() - 0.5;
            }
            a[i * n + i] = n;
        }
        double cpu = cpuSeconds();
        long start = System.nanoTime();
        SpdInverse.invertInPlace(a, n, 0, Progress.Factory.NONE);
        double seconds = (System.nanoTime() - start) / 1e9;
        cpu = cpuSeconds() - cpu;
        System.out.printf("spd inverse n=%d: %.2f s wall, %.2f s cpu (%.1f GFLOP/s per cpu-second at n^3 flops)%n",
                n, seconds, cpu, Math.pow(n, 3) / cpu / 1e9);
    }

    private static void knn(int items, int interactions) {
        int users = Math.max(1000, interactions / 50);
        long t0 = System.nanoTime();
        CsrMatrix x = SyntheticInteractions.zipf(users, items, interactions, 1.0, 42);
        long t1 = System.nanoTime();
        System.out.printf("synthetic: %d users x %d items, nnz %d, built in %.1f s%n", users, items, x.nnz(), (t1 - t0) / 1e9);
        long work = 0;
        for (int u = 0; u < x.rows; u++) {
            long d = x.rowLength(u);
            work += d * d;
        }
        System.out.printf("accumulation work sum(deg_u^2) = %.2e%n", (double) work);
        for (int rep = 0; rep < 2; rep++) {
            double cpu = cpuSeconds();
            long s = System.nanoTime();
            Neighborhoods nb = ItemKnn.compute(x, ItemKnn.Parameters.defaults(), Progress.Factory.NONE);
            System.out.printf("item-knn K=100: %.2f s wall, %.2f s cpu, %d neighbours stored%n",
                    (System.nanoTime() - s) / 1e9, cpuSeconds() - cpu, nb.items().length);
        }
    }

    /** MovieLens ratings.csv (userId,movieId,rating,timestamp) as a binary user x item matrix. */
    private static CsrMatrix readRatings(java.nio.file.Path csv) {
        try {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(csv);
            java.util.Map<String, Integer> users = new java.util.HashMap<>();
            java.util.Map<String, Integer> items = new java.util.HashMap<>();
            int m = lines.size() - 1;
            int[] r = new int[m];
            int[] c = new int[m];
            float[] v = new float[m];
            for (int k = 0; k < m; k++) {
                String[] f = lines.get(k + 1).split(",");
                r[k] = users.computeIfAbsent(f[0], key -> users.size());
                c[k] = items.computeIfAbsent(f[1], key -> items.size());
                v[k] = 1f;
            }
            return CsrMatrix.fromCoordinates(users.size(), items.size(), r, c, v, m, false);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void ease(int items, int users, int interactions) {
        CsrMatrix x = SyntheticInteractions.zipf(users, items, interactions, 0.9, 7);
        System.out.printf("synthetic: %d users x %d items, nnz %d%n", users, items, x.nnz());
        ease(x, Ease.DEFAULT_LAMBDA);
    }

    private static void ease(CsrMatrix x, double lambda) {
        int users = x.rows;
        int items = x.cols;
        System.out.printf("matrix: %d users x %d items, nnz %d, lambda %.1f%n", users, items, x.nnz(), lambda);
        long s = System.nanoTime();
        Progress.Factory timed = (phase, total) -> {
            long begin = System.nanoTime();
            double cpu = cpuSeconds();
            return new Progress() {
                @Override public void step(long n) {}
                @Override public void close() {
                    System.out.printf("  %s: %.2f s wall, %.2f s cpu%n", phase, (System.nanoTime() - begin) / 1e9, cpuSeconds() - cpu);
                }
            };
        };
        DenseEase model = Ease.fitDense(x, Ease.Parameters.defaults().withMaxItems(items).withLambda(lambda), timed);
        System.out.printf("ease fit n=%d: %.2f s%n", model.modelItems().length, (System.nanoTime() - s) / 1e9);
        int[] sample = new int[Math.min(2000, users)];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = (int) ((long) i * users / sample.length);
        }
        for (int k : new int[] {50, 100, 200, 500}) {
            for (DenseEase.Pruning rule : DenseEase.Pruning.values()) {
                long p = System.nanoTime();
                Neighborhoods nb = model.prune(k, rule);
                double pruneSeconds = (System.nanoTime() - p) / 1e9;
                DenseEase.PruningReport r = model.comparePruned(x, sample, 10, nb);
                System.out.printf("prune k=%d %s: %.2f s, top-10 overlap %.3f, exact %.3f (%d users)%n",
                        k, rule, pruneSeconds, r.overlap(), r.exactLists(), r.usersEvaluated());
            }
        }
    }
}
