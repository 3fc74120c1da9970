package reco.model.scoring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import reco.model.ModelKind;
import reco.model.generation.Generation;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU time per RecommendForUser scoring call (user "1", k = 10) of {@link Recommender} and of
 * {@link ReferenceRecommender} (the implementation before per-model scorers), interleaved in one JVM so
 * the comparison survives a loaded machine: 3 rounds x 1000 calls per model. Not a unit test; runs only
 * with {@code -Dreco.bench.scoring.root=MODEL_ROOT} (a generation trained from MovieLens latest-small):
 *
 * <pre>
 * ./mvnw -q -pl server -am test -Dtest=ScoringSpeedBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dreco.bench.scoring.root=models/ml     # output: server/target/surefire-reports/*ScoringSpeedBenchmark-output.txt
 * </pre>
 */
@EnabledIfSystemProperty(named = "reco.bench.scoring.root", matches = ".+")
class ScoringSpeedBenchmark {
    @Test
    void probe() throws Exception {
        Path root = Path.of(System.getProperty("reco.bench.scoring.root"));
        try (Generation g = Generation.open(root.resolve(Files.readString(root.resolve("CURRENT")).trim()))) {
            Recommender now = new Recommender(g);
            ReferenceRecommender ref = new ReferenceRecommender(g);
            int user = g.userIndex().indexOf("1");
            var t = ManagementFactory.getThreadMXBean();
            for (int round = 0; round < 3; round++) {
                for (ModelKind m : new ModelKind[] {ModelKind.HYBRID, ModelKind.ALS, ModelKind.EASE}) {
                    long a = t.getCurrentThreadCpuTime();
                    for (int i = 0; i < 1000; i++) {
                        ref.recommendForUser(user, new int[0], 10, m, ItemFilter.ALLOW_ALL, false);
                    }
                    long b = t.getCurrentThreadCpuTime();
                    for (int i = 0; i < 1000; i++) {
                        now.recommendForUser(user, new int[0], 10, m, ItemFilter.ALLOW_ALL, false);
                    }
                    long c = t.getCurrentThreadCpuTime();
                    System.out.printf(Locale.ROOT, "round %d %-7s reference %6.1f us  scorers %6.1f us%n", round, m,
                            (b - a) / 1e6, (c - b) / 1e6);
                }
            }
        }
    }
}
