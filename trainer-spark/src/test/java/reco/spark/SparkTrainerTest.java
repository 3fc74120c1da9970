package reco.spark;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.model.ModelKind;
import reco.model.generation.Generation;
import reco.model.generation.NeighborLists;
import reco.trainer.data.DataException;
import reco.trainer.io.DatasetLoader;
import reco.trainer.io.DelimitedOptions;
import reco.trainer.io.InputFormat;
import reco.trainer.io.LoadRequest;
import reco.trainer.pipeline.TrainSettings;
import reco.trainer.pipeline.Trainer;
import reco.trainer.progress.Progress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark engine in-process on local[2] against the single-machine trainer on the same tiny log: ids, histories,
 * popularity, item-kNN and EASE come out the same (they are defined the same way); ALS is MLlib's, so only its
 * shape is compared.
 */
class SparkTrainerTest {
    static SparkSession spark;
    @TempDir
    static Path dir;
    static Path log;

    @BeforeAll
    static void start() throws IOException {
        spark = SparkSession.builder().master("local[2]").appName("SparkTrainerTest").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        log = dir.resolve("log.tsv");
        Files.writeString(log, syntheticLog());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Two taste groups over 30 items, ratings 1..5 with timestamps, one re-rating and one malformed row. */
    static String syntheticLog() {
        Random random = new Random(7);
        StringBuilder b = new StringBuilder("user\titem\trating\ttime\n");
        for (int u = 0; u < 50; u++) {
            int group = u % 2;
            for (int n = 0; n < 12; n++) {
                int item = group * 15 + random.nextInt(15);
                if (random.nextInt(5) == 0) {
                    item = random.nextInt(30);
                }
                int rating = 1 + random.nextInt(5);
                b.append("u").append(u).append('\t').append("i").append(item).append('\t').append(rating).append('\t')
                        .append(1_000_000 + random.nextInt(100_000)).append('\n');
            }
        }
        b.append("u3\ti1\t5\t1200000\n");       // a re-rating: the latest wins
        b.append("u4\ti2\tfive\t1200001\n");    // malformed weight
        return b.toString();
    }

    private static TrainSettings settings() {
        return TrainSettings.defaults().withMinWeight(4f);
    }

    @Test
    void publishesTheSameGenerationAsTheSingleMachineTrainer() throws Exception {
        Path sparkRoot = dir.resolve("spark-model");
        Path localRoot = dir.resolve("local-model");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SparkTrainer.Result r = new SparkTrainer(spark, settings(), new SparkTrainer.EngineSettings(2, 0.01, 10_000),
                new PrintStream(out, true)).train(new SparkTrainer.Request(log.toString(), SparkInput.Format.AUTO,
                DelimitedOptions.DEFAULT, null, null, null, false), sparkRoot);
        assertTrue(out.toString().contains("log.tsv:" + 603 + ": weight 'five' is not a number"), out.toString());
        new Trainer(settings(), Progress.Factory.NONE, new PrintStream(new ByteArrayOutputStream())).train(
                DatasetLoader.load(new LoadRequest(log, null, null, InputFormat.AUTO, DelimitedOptions.DEFAULT, false)), localRoot);

        try (Generation s = Generation.open(Generation.currentDirectory(sparkRoot));
             Generation l = Generation.open(Generation.currentDirectory(localRoot))) {
            assertEquals(r.generationId(), s.id());
            assertEquals(1, s.manifest().counts().malformedRows());
            assertEquals(l.manifest().counts(), s.manifest().counts());
            assertEquals(l.userCount(), s.userCount());
            assertEquals(l.itemCount(), s.itemCount());
            for (int u = 0; u < l.userCount(); u++) {
                assertEquals(l.userIds().id(u), s.userIds().id(u), "user " + u);
                assertEquals(l.histories().length(u), s.histories().length(u), "history length of user " + u);
                for (long p = l.histories().start(u); p < l.histories().end(u); p++) {
                    long q = s.histories().start(u) + (p - l.histories().start(u));
                    assertEquals(l.histories().item(p), s.histories().item(q), "history of user " + u);
                    assertEquals(l.histories().strength(p), s.histories().strength(q), 1e-6f, "strength, user " + u);
                    assertEquals(l.histories().timestamp(p), s.histories().timestamp(q));
                }
            }
            for (int i = 0; i < l.itemCount(); i++) {
                assertEquals(l.itemIds().id(i), s.itemIds().id(i), "item " + i);
                assertEquals(l.popularity().count(i), s.popularity().count(i), "positives of item " + i);
            }
            for (int rank = 0; rank < l.popularity().size(false); rank++) {
                assertEquals(l.popularity().score(false, rank), s.popularity().score(false, rank), 1e-6f);
                assertEquals(l.popularity().score(true, rank), s.popularity().score(true, rank), 1e-4f);
            }
            assertSameNeighbours(l.neighbors(ModelKind.ITEM_KNN), s.neighbors(ModelKind.ITEM_KNN), l.itemCount(), 1e-5f);
            assertSameNeighbours(l.neighbors(ModelKind.EASE), s.neighbors(ModelKind.EASE), l.itemCount(), 1e-3f);
            assertEquals(l.userCount(), s.userEmbeddings(ModelKind.ALS).rows());
            assertEquals(64, s.itemEmbeddings(ModelKind.ALS).dimensions());
            assertNotNull(s.itemEmbeddings(ModelKind.ALS).gram());
            assertEquals(ModelKind.HYBRID, s.defaultModel());
            @SuppressWarnings("unchecked")
            Map<String, Object> engine = (Map<String, Object>) s.manifest().parameters().get("engine");
            assertEquals("spark", engine.get("name"));
            assertTrue(engine.get("skipped").toString().contains("timeOfDay"), engine.toString());
        }
    }

    /** Same score at every rank of every list; items may swap only where scores tie. */
    private static void assertSameNeighbours(NeighborLists expected, NeighborLists actual, int items, float tolerance) {
        for (int i = 0; i < items; i++) {
            long es = expected.start(i), as = actual.start(i);
            assertEquals(expected.end(i) - es, actual.end(i) - as, "list length of item " + i);
            for (long k = 0; k < expected.end(i) - es; k++) {
                float e = expected.score(es + k), a = actual.score(as + k);
                assertEquals(e, a, tolerance * Math.max(1f, Math.abs(e)), "score " + k + " of item " + i);
                if (k + 1 < expected.end(i) - es && Math.abs(e - expected.score(es + k + 1)) > tolerance
                        && (k == 0 || Math.abs(e - expected.score(es + k - 1)) > tolerance)) {
                    assertEquals(expected.neighbor(es + k), actual.neighbor(as + k), "neighbour " + k + " of item " + i);
                }
            }
        }
    }

    @Test
    void strictStopsAtTheFirstMalformedRowWithFileAndLine() {
        DataException e = assertThrows(DataException.class, () -> new SparkTrainer(spark, settings(),
                new SparkTrainer.EngineSettings(2, 0.01, 10_000), new PrintStream(new ByteArrayOutputStream()))
                .train(new SparkTrainer.Request(log.toString(), SparkInput.Format.DELIMITED, DelimitedOptions.DEFAULT, null, null,
                        null, true), dir.resolve("strict-model")));
        assertTrue(e.getMessage().contains("log.tsv:603"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("strict-model").resolve("CURRENT")));
    }
}
