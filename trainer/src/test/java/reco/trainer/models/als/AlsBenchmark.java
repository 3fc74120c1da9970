package reco.trainer.models.als;

import java.lang.management.ManagementFactory;
import reco.trainer.math.CsrMatrix;
import reco.trainer.progress.Progress;

/**
 * Seconds per ALS iteration on synthetic Zipf data. Not a test (no timing assertions); run with
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp ... reco.trainer.models.als.AlsBenchmark \
 *       [users items interactions factors threads iterations]
 * </pre>
 * Defaults: 50k users x 20k items, 1M interactions, 64 factors, all cores, 8 iterations. Prints wall time and
 * process CPU time per iteration: on a shared machine CPU time / threads estimates the uncontended wall time.
 */
public final class AlsBenchmark {
    public static void main(String[] args) {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int items = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int interactions = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        int factors = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : Runtime.getRuntime().availableProcessors();
        int iterations = args.length > 5 ? Integer.parseInt(args[5]) : 8;
        CsrMatrix m = SyntheticImplicitData.zipf(users, items, interactions, 1.0, 7);
        System.out.printf("users=%d items=%d nnz=%d factors=%d threads=%d vectorized=%s%n",
                users, items, m.nnz(), factors, threads, AlsKernels.VECTORIZED);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] lastCpu = {os.getProcessCpuTime()};
        AlsParameters p = AlsParameters.defaults().withFactors(factors).withThreads(threads).withIterations(iterations)
                .withCgSteps(Integer.getInteger("als.cg", AlsParameters.DEFAULT_CG_STEPS));
        new ImplicitAls(p).fit(m, Progress.Factory.NONE, (iteration, seconds, loss) -> {
            long cpu = os.getProcessCpuTime();
            System.out.printf("iteration %d: wall %.3f s, cpu %.3f s%n", iteration, seconds, (cpu - lastCpu[0]) / 1e9);
            lastCpu[0] = cpu;
        }, false);
    }
}
