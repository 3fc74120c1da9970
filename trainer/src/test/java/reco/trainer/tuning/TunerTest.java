package reco.trainer.tuning;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.model.generation.Generation;
import reco.trainer.data.DataProfile;
import reco.trainer.data.Interactions;
import reco.trainer.data.ItemMetadata;
import reco.trainer.io.Dataset;
import reco.trainer.pipeline.TrainSettings;
import reco.trainer.pipeline.Trainer;
import reco.trainer.progress.Progress;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TunerTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /**
     * 400 users in 4 taste groups over 300 items (each group prefers its quarter of the catalogue, Zipf
     * popularity inside it), heavy-tailed counts as weights, increasing timestamps.
     */
    static Interactions clustered(long seed) {
        Random random = new Random(seed);
        Interactions in = new Interactions();
        long t = 1_600_000_000L;
        for (int u = 0; u < 400; u++) {
            int group = u % 4;
            Set<Integer> chosen = new HashSet<>();
            int n = 8 + random.nextInt(30);
            while (chosen.size() < n) {
                int rank = (int) Math.floor(75 * Math.pow(random.nextDouble(), 2.5));
                int item = random.nextDouble() < 0.85 ? group * 75 + rank : random.nextInt(300);
                if (chosen.add(item)) {
                    float count = (float) Math.floor(Math.exp(random.nextDouble() * random.nextDouble() * 6));
                    in.add("u" + u, "i" + item, Math.max(1, count), t += 60);
                }
            }
        }
        return in;
    }

    static Dataset dataset(Interactions in) {
        return new Dataset(in, new ItemMetadata(in.items), in.itemCount(), List.of(), List.of());
    }

    private static Tuner.Result tune(Interactions in, double budget) {
        TrainSettings base = TrainSettings.defaults().withAls(TrainSettings.defaults().als().withThreads(2));
        return Tuner.tune(dataset(in), base, Set.of(), DataProfile.of(in, base.minWeight()),
                new Tuner.Options(budget, 7, 3000), QUIET);
    }

    @Test
    void sameSeedSameSearchAndChoice() {
        Tuner.Result a = tune(clustered(1), 600);
        Tuner.Result b = tune(clustered(1), 600);
        assertFalse(a.report().budgetReached(), "the whole search ran: " + a.report());
        assertEquals(a.report().chosen(), b.report().chosen());
        assertEquals(a.report().bestNdcg20(), b.report().bestNdcg20());
        assertEquals(scores(a.report()), scores(b.report()));
        assertEquals(a.settings(), b.settings());
        assertTrue(a.report().bestNdcg20() > 0.05, "it learnt the taste groups: " + a.report().bestNdcg20());
        assertTrue(a.report().trials().size() >= 8, "transforms, per-model searches and the blend: " + a.report().trials());
    }

    private static List<String> scores(Tuner.Report r) {
        List<String> out = new ArrayList<>();
        for (Tuner.Trial t : r.trials()) {
            out.add(t.stage() + " " + t.model() + " " + t.parameters() + " " + t.ndcg20());
        }
        return out;
    }

    @Test
    void aSpentBudgetStartsNoFitAfterTheFirst() {
        Tuner.Result r = tune(clustered(1), 1e-3);
        assertTrue(r.report().budgetReached());
        assertEquals(1, r.report().trials().size(), "only the first fit, EASE on the suggested transform: " + r.report().trials());
        Tuner.Trial only = r.report().trials().getFirst();
        assertEquals("ease", only.model());
        assertEquals("log", only.parameters().get("strength"), "counts suggest the log transform");
        assertEquals("log", r.report().chosen().get("strength"));
    }

    @Test
    void theValidationSplitHoldsOutTheLatestPositivesOfUsersWithFive() {
        Interactions in = clustered(3);
        ValidationSplit split = ValidationSplit.carve(in, Float.NEGATIVE_INFINITY, 7, 10_000);
        assertEquals(400, split.evaluated());
        assertTrue(split.temporal());
        int held = 0;
        for (int[] items : split.heldOut()) {
            held += items.length;
        }
        assertEquals(in.size() - held, split.train().size(), "held-out pairs leave the training rows");
        // the latest rows of user 0 are the held-out ones
        int u0 = in.users.indexOf("u0");
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < in.size(); r++) {
            if (in.user(r) == u0) {
                rows.add(in.item(r));
            }
        }
        int k = java.util.Arrays.binarySearch(split.users(), u0);
        int h = Math.max(1, rows.size() / 5);
        assertEquals(new HashSet<>(rows.subList(rows.size() - h, rows.size())),
                new HashSet<>(java.util.Arrays.stream(split.heldOut()[k]).boxed().toList()));
    }

    @Test
    void theManifestRecordsTheProfileAndTheSearch(@TempDir Path root) throws Exception {
        Interactions in = clustered(5);
        Trainer trainer = new Trainer(TrainSettings.defaults(), Progress.Factory.NONE, QUIET)
                .withTuning(new Tuner.Options(600, 42, 3000), Set.of());
        Trainer.Result result = trainer.train(dataset(in), root);
        try (Generation g = Generation.open(result.generation())) {
            Map<String, Object> p = g.manifest().parameters();
            @SuppressWarnings("unchecked")
            Map<String, Object> tuning = (Map<String, Object>) p.get("tuning");
            @SuppressWarnings("unchecked")
            Map<String, Object> profile = (Map<String, Object>) p.get("dataProfile");
            assertEquals("COUNTS", profile.get("weightKind"));
            assertEquals(trainer.tuningReport().chosen(), tuning.get("chosen"));
            assertEquals(trainer.tuningReport().trials().size(), ((List<?>) tuning.get("trials")).size());
            assertEquals(trainer.tuningReport().chosen().get("strength"), p.get("strength"));
            String json = new ObjectMapper().writeValueAsString(tuning);
            assertTrue(json.contains("\"ndcg20\""), json);
        }
        assertNotEquals(null, trainer.tuningReport());
    }

    @Test
    void evaluationTunesOnTheTrainRowsOnly(@TempDir Path work) throws Exception {
        Interactions in = clustered(9);
        Map<String, List<String>> trainRows = new java.util.LinkedHashMap<>();
        for (int r = 0; r < in.size(); r++) {
            trainRows.computeIfAbsent(in.users.id(in.user(r)), k -> new ArrayList<>()).add(in.items.id(in.item(r)));
        }
        // two unrelated test splits over the same train rows: the tuning must not see a difference
        Map<String, List<String>> testA = new java.util.LinkedHashMap<>();
        Map<String, List<String>> testB = new java.util.LinkedHashMap<>();
        for (int u = 0; u < 400; u += 2) {
            testA.put("u" + u, List.of("i" + (u % 300)));
            testB.put("u" + (u + 1), List.of("i" + ((u * 7) % 300), "i" + ((u * 11) % 300)));
        }
        List<String> logs = new ArrayList<>();
        for (Map<String, List<String>> test : List.of(testA, testB)) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            PrintStream log = new PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
            var request = new reco.trainer.eval.OfflineEvaluation.Request(TrainSettings.defaults(),
                    List.of(reco.model.ModelKind.EASE, reco.model.ModelKind.HYBRID), 50, List.of(20),
                    new Tuner.Options(600, 42, 3000), Set.of());
            reco.trainer.eval.OfflineEvaluation.run(request, dataset(in), trainRows, test, work, Progress.Factory.NONE, log);
            StringBuilder tuning = new StringBuilder();
            for (String line : bytes.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("tune: ") && !line.startsWith("tune: chose")) {
                    tuning.append(line.replaceAll("\\s+[0-9.]+ s ", " ")).append('\n'); // seconds vary
                }
            }
            logs.add(tuning.toString());
        }
        assertTrue(logs.getFirst().contains("tune: blend"), logs.getFirst());
        assertEquals(logs.get(0), logs.get(1), "the same search and scores whatever the test split holds");
    }
}
