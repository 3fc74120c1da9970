package reco.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import reco.model.ModelKind;
import reco.model.ann.IvfIndex;
import reco.model.ann.IvfIndexWriter;
import reco.model.ann.IvfParameters;
import reco.model.generation.EmbeddingMatrix;
import reco.model.generation.Generation;
import reco.model.generation.GenerationFiles;
import reco.model.generation.GenerationWriter;
import reco.model.generation.IdList;
import reco.model.generation.Manifest;
import reco.model.generation.PopularityRanking;
import reco.model.generation.UserHistories;
import reco.model.scoring.DotProductTopK;
import reco.model.scoring.ItemFilter;
import reco.model.scoring.Recommendations;
import reco.model.scoring.Recommender;
import reco.model.topk.TopK;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-user scoring through the IVF index on a large ALS generation: recall@10 of
 * {@code Recommender.recommendForUser} (which uses the generation's index) against exact scoring of
 * every item, and the CPU time of each. Not a unit test: it runs only with
 * {@code -Dreco.bench.ivfUser.root=DIR} and writes, when {@code DIR/CURRENT} is missing, a generation of
 * {@code reco.bench.ivfUser.items} (default 1,000,000) x 64 ALS-like factors (items around 256 taste
 * centres with log-normal norms, users mixing 1-3 tastes; no neighbour lists, as large trained
 * generations have none) with its IVF index, which {@code bin/reco serve --model DIR} then serves
 * (users user-0.., items item-0..). Fails when recall@10 is below 0.95.
 *
 * <pre>
 * ./mvnw -q -pl server -am test -Dtest=IvfUserScoringBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dreco.bench.ivfUser.root=/tmp/reco-1m
 * </pre>
 */
@EnabledIfSystemProperty(named = "reco.bench.ivfUser.root", matches = ".+")
class IvfUserScoringBenchmark {
    private static final int DIMS = 64;
    private static final int USERS = 10_000;
    private static final int HISTORY = 5;
    private static final int CENTRES = 256;

    @Test
    void recallAt10AgainstExactScoring() throws Exception {
        Path root = Path.of(System.getProperty("reco.bench.ivfUser.root"));
        int items = Integer.getInteger("reco.bench.ivfUser.items", 1_000_000);
        int queries = Integer.getInteger("reco.bench.ivfUser.queries", 300);
        if (!Files.exists(root.resolve("CURRENT"))) {
            long t0 = System.nanoTime();
            write(root, items, 42);
            System.out.printf(Locale.ROOT, "wrote %,d x %d generation with IVF index in %.1f s%n", items, DIMS,
                    (System.nanoTime() - t0) / 1e9);
        }
        try (Generation g = Generation.open(root.resolve(Files.readString(root.resolve("CURRENT")).trim()))) {
            IvfIndex index = g.approximateIndex(ModelKind.ALS);
            assertTrue(index != null, "the generation has no IVF index");
            Recommender recommender = new Recommender(g);
            EmbeddingMatrix itemVectors = g.itemEmbeddings(ModelKind.ALS);
            EmbeddingMatrix userVectors = g.userEmbeddings(ModelKind.ALS);
            var threads = ManagementFactory.getThreadMXBean();
            TopK exact = new TopK(10);
            float[] u = new float[DIMS];
            long exactNanos = 0, approxNanos = 0;
            int hits = 0;
            for (int q = 0; q < queries; q++) {
                int user = (int) ((q * 7919L) % g.userCount());
                Set<Integer> seen = new HashSet<>();
                for (long p = g.histories().start(user); p < g.histories().end(user); p++) {
                    seen.add(g.histories().item(p));
                }
                userVectors.copyRow(user, u);
                long a = threads.getCurrentThreadCpuTime();
                exact.reset(10);
                DotProductTopK.select(u, itemVectors.vectors(), itemVectors.rows(), exact, i -> !seen.contains(i));
                int[] expected = new int[10];
                exact.drainInto(expected, new float[10]);
                long b = threads.getCurrentThreadCpuTime();
                Recommendations got = recommender.recommendForUser(user, new int[0], 10, ModelKind.ALS, ItemFilter.ALLOW_ALL, false);
                long c = threads.getCurrentThreadCpuTime();
                exactNanos += b - a;
                approxNanos += c - b;
                Set<Integer> gotSet = new HashSet<>();
                for (int i : got.items()) {
                    gotSet.add(i);
                }
                for (int i : expected) {
                    hits += gotSet.contains(i) ? 1 : 0;
                }
            }
            double recall = hits / (10.0 * queries);
            String report = String.format(Locale.ROOT,
                    "items %,d, dims %d, IVF lists %d, probes %d (k=10): recall@10 %.3f over %d users; "
                            + "CPU per query: exact %.0f us, IVF (Recommender) %.0f us, speed-up %.0fx%n",
                    itemVectors.rows(), DIMS, index.lists(), index.defaultProbes(), recall, queries,
                    exactNanos / 1e3 / queries, approxNanos / 1e3 / queries, (double) exactNanos / approxNanos);
            System.out.print(report);
            Files.writeString(Path.of("target", "ivf-user-scoring.txt"), report);
            assertTrue(recall >= 0.95, "recall@10 " + recall + " < 0.95");
        }
    }

    /** ALS-like factors (clustered directions, log-normal norms), an IVF index, histories, popularity. */
    static void write(Path root, int items, long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] centres = new float[CENTRES][DIMS];
        for (float[] c : centres) {
            gaussianUnit(random, c);
        }
        float[] itemFactors = new float[items * DIMS];
        float[] v = new float[DIMS];
        for (int i = 0; i < items; i++) {
            float[] c = centres[random.nextInt(CENTRES)];
            gaussianUnit(random, v);
            double norm = Math.exp(0.5 * gaussian(random));
            mixInto(itemFactors, i, c, v, 0.6, norm);
        }
        float[] userFactors = new float[USERS * DIMS];
        for (int u = 0; u < USERS; u++) {
            float[] mix = new float[DIMS];
            int tastes = 1 + random.nextInt(3);
            for (int t = 0; t < tastes; t++) {
                float[] c = centres[random.nextInt(CENTRES)];
                for (int d = 0; d < DIMS; d++) {
                    mix[d] += c[d] / tastes;
                }
            }
            gaussianUnit(random, v);
            mixInto(userFactors, u, mix, v, 0.5, Math.exp(0.3 * gaussian(random)));
        }
        try (GenerationWriter w = GenerationWriter.begin(root)) {
            RandomEmbeddingGeneration.writeIdsHistoriesAndPopularity(w, items, USERS, HISTORY);
            float[] gram = new float[DIMS * DIMS];
            for (int d = 0; d < DIMS; d++) {
                gram[d * DIMS + d] = 1;
            }
            EmbeddingMatrix.write(w.file(GenerationFiles.embeddings("als-items")), itemFactors, items, DIMS, gram);
            EmbeddingMatrix.write(w.file(GenerationFiles.embeddings("als-users")), userFactors, USERS, DIMS, null);
            String ivfFile = IvfIndex.fileName("als-items");
            IvfIndexWriter.write(w.file(ivfFile), itemFactors, items, DIMS, IvfParameters.defaults(items));
            List<Manifest.ModelEntry> models = List.of(
                    new Manifest.ModelEntry("popularity", null, null, null, 0, 0, true, null),
                    new Manifest.ModelEntry("als", null, GenerationFiles.embeddings("als-items"),
                            GenerationFiles.embeddings("als-users"), 0, DIMS, true,
                            Map.of("factors", DIMS, Generation.ANN_INDEX_PARAMETER, ivfFile)));
            Manifest manifest = new Manifest(0, null, null, "ivf-user-scoring-benchmark", List.of(),
                    new Manifest.Counts(USERS, items, USERS * HISTORY, USERS * HISTORY, 0, 0),
                    models, "als", Map.of(), null);
            w.commit(manifest, 2);
        }
    }

    private static void mixInto(float[] out, int row, float[] centre, float[] noise, double spread, double norm) {
        double[] m = new double[DIMS];
        double len = 0;
        for (int d = 0; d < DIMS; d++) {
            m[d] = centre[d] + spread * noise[d];
            len += m[d] * m[d];
        }
        double scale = norm / Math.sqrt(len);
        for (int d = 0; d < DIMS; d++) {
            out[row * DIMS + d] = (float) (m[d] * scale);
        }
    }

    private static void gaussianUnit(SplittableRandom random, float[] v) {
        double len = 0;
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) gaussian(random);
            len += v[d] * v[d];
        }
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) (v[d] / Math.sqrt(len));
        }
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
