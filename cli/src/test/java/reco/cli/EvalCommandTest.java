package reco.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.trainer.eval.MetricsResult;
import reco.trainer.eval.RecommendationsFile;
import reco.trainer.eval.TopKMetrics;
import reco.synth.DemoCatalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on a small synthetic catalogue with taste structure: split -> train (Trainer) -> recommend
 * (Recommender on the published generation) -> metrics, through the command line.
 */
class EvalCommandTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path split;
    static Path recs;
    static JsonNode results;

    @BeforeAll
    static void runEval() throws Exception {
        data = dir.resolve("demo");
        DemoCatalog.generate(DemoCatalog.Params.builder().items(400).users(300).ratings(15_000).tags(600).build())
                .writeCsv(data);
        split = dir.resolve("split");
        recs = dir.resolve("recs");
        Path json = dir.resolve("results.json");
        int code = Reco.run("eval", "--dataset", data.toString(), "--models", "popularity,item-knn,ease,als",
                "--write-split", split.toString(), "--out", recs.toString(), "--json", json.toString(),
                "--recs-k", "50", "--als-iterations", "5", "--als-factors", "16", "--no-tune");
        assertEquals(ExitCodes.OK, code);
        results = new ObjectMapper().readTree(json.toFile());
    }

    private static double ndcg20(String model) {
        for (JsonNode r : results) {
            if (r.get("model").asText().equals(model)) {
                return r.get("metrics").get("ndcg@20").asDouble();
            }
        }
        throw new AssertionError("no result for " + model + " in " + results);
    }

    @Test
    void collaborativeModelsBeatPopularityOnDataWithTasteStructure() {
        assertEquals(4, results.size());
        double popularity = ndcg20("popularity");
        assertTrue(popularity > 0, "popularity scores something: " + popularity);
        for (String model : List.of("item-knn", "ease", "als")) {
            assertTrue(ndcg20(model) > popularity * 1.1, model + " " + ndcg20(model) + " vs popularity " + popularity);
        }
    }

    @Test
    void recsFilesFollowTheProtocolAndScoreAsReported() throws Exception {
        Map<String, List<String>> train = TopKMetrics.readPairs(split.resolve("train.tsv"));
        Map<String, List<String>> test = TopKMetrics.readPairs(split.resolve("test.tsv"));
        for (String model : List.of("popularity", "item-knn", "ease", "als")) {
            Path file = recs.resolve("recs-" + model + ".tsv");
            Map<String, List<String>> lists = RecommendationsFile.read(file);
            assertEquals(test.keySet(), lists.keySet(), "one line per test user, in test order");
            Map<String, Integer> itemRows = new HashMap<>();
            train.values().forEach(items -> items.forEach(i -> itemRows.merge(i, 1, Integer::sum)));
            for (Map.Entry<String, List<String>> e : lists.entrySet()) {
                List<String> items = e.getValue();
                assertEquals(50, items.size(), model + " user " + e.getKey());
                assertEquals(50, new HashSet<>(items).size(), "no repeats");
                Set<String> seen = new HashSet<>(train.get(e.getKey()));
                for (String item : items) {
                    assertFalse(seen.contains(item), model + ": train item " + item + " recommended to " + e.getKey());
                    assertTrue(itemRows.containsKey(item), "only catalogue items");
                }
            }
            MetricsResult recomputed = TopKMetrics.evaluate(split.resolve("train.tsv"), split.resolve("test.tsv"), file,
                    List.of(10, 20));
            assertEquals(recomputed.value("ndcg", 20), ndcg20(model), 1e-12);
            assertEquals(0, recomputed.trainItemsRecommended());
        }
    }

    @Test
    void splitIsWrittenWithMeta() throws Exception {
        assertTrue(Files.isRegularFile(split.resolve("meta.json")));
        String meta = Files.readString(split.resolve("meta.json"));
        assertTrue(meta.contains("\"protocol\": \"holdout-v1\""), meta);
    }

    @Test
    void coldSubsetsAreReported() {
        for (JsonNode r : results) {
            JsonNode cold = r.get("cold_items");
            assertEquals(5, cold.get("threshold").asInt());
            assertTrue(cold.get("hits").asLong() <= cold.get("rows").asLong());
        }
    }

    @Test
    void rejectsUnknownModelsAndShortLists() {
        assertEquals(ExitCodes.USAGE, Reco.run("eval", "--split", split.toString(), "--models", "nope"));
        assertEquals(ExitCodes.USAGE, Reco.run("eval", "--split", split.toString(), "--models", "popularity",
                "--recs-k", "10", "--k", "10,20"));
        assertEquals(ExitCodes.USAGE, Reco.run("eval", "--models", "popularity"));
    }
}
