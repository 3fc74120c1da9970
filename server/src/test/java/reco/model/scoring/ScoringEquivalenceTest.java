package reco.model.scoring;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.model.ModelKind;
import reco.model.generation.Generation;
import reco.trainer.io.DatasetLoader;
import reco.trainer.io.LoadRequest;
import reco.trainer.pipeline.TrainSettings;
import reco.trainer.pipeline.Trainer;
import reco.trainer.progress.Progress;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-model scorers of {@link Recommender} against {@link ReferenceRecommender} (the scoring as it
 * was: whole-catalogue score arrays, blends through full-length intermediates) on a generation the real
 * trainer wrote with every model (content, item-kNN, EASE, ALS, hybrid of the four): the same items in
 * the same order with bit-identical scores, the same serving model and reason, for every user, every
 * model, several k, with and without seen items, filters and recent items, and for item lists and
 * similar items. 501 items (not a multiple of the scoring block) so block tails are covered.
 */
class ScoringEquivalenceTest {
    private static final int ITEMS = 501;
    private static final int USERS = 120;
    private static final String[] GENRES = {"Action", "Comedy", "Drama", "Horror", "Romance", "Sci-Fi", "Thriller"};

    @TempDir
    static Path dir;
    static Generation generation;
    static Recommender recommender;
    static ReferenceRecommender reference;

    @BeforeAll
    static void train() throws Exception {
        Random random = new Random(11);
        StringBuilder movies = new StringBuilder("movieId,title,genres\n");
        for (int i = 1; i <= ITEMS; i++) {
            movies.append(i).append(",Movie ").append(i).append(" (2000),")
                    .append(GENRES[i % GENRES.length]).append('|').append(GENRES[(i / 7) % GENRES.length]).append('\n');
        }
        StringBuilder ratings = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 1; u <= USERS; u++) {
            int taste = random.nextInt(GENRES.length);
            int n = 5 + random.nextInt(60);
            for (int r = 0; r < n; r++) {
                int item = 1 + (int) Math.min(ITEMS - 1, Math.abs(random.nextGaussian()) * ITEMS / 3);
                if (random.nextBoolean()) {
                    item = 1 + (taste + GENRES.length * random.nextInt(ITEMS / GENRES.length)) % ITEMS;
                }
                ratings.append(u).append(',').append(item).append(',').append(0.5 * (1 + random.nextInt(10)))
                        .append(',').append(1_500_000_000L + random.nextInt(50_000_000)).append('\n');
            }
        }
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("ratings.csv"), ratings);
        Files.writeString(data.resolve("movies.csv"), movies);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        var dataset = DatasetLoader.load(LoadRequest.of(data.resolve("ratings.csv")).withItems(data.resolve("movies.csv")),
                Progress.Factory.NONE);
        Trainer.Result trained = new Trainer(TrainSettings.defaults().withMinWeight(4f), Progress.Factory.NONE, quiet)
                .train(dataset, dir.resolve("model"));
        generation = Generation.open(trained.generation());
        recommender = new Recommender(generation);
        reference = new ReferenceRecommender(generation);
    }

    @AfterAll
    static void close() {
        if (generation != null) {
            generation.close();
        }
    }

    private static List<ModelKind> models() {
        List<ModelKind> models = new ArrayList<>();
        models.add(null);
        for (ModelKind kind : ModelKind.values()) {
            if (kind == ModelKind.POPULARITY || generation.hasModel(kind)) {
                models.add(kind);
            }
        }
        return models;
    }

    private static ItemFilter everyThirdExcluded() {
        ItemFilter.Builder b = ItemFilter.builder();
        for (int i = 0; i < generation.itemCount(); i += 3) {
            b.exclude(i);
        }
        return b.build();
    }

    @Test
    void theGenerationHasEveryModelAndABlendWithAnEmbeddingComponent() {
        for (ModelKind kind : List.of(ModelKind.CONTENT, ModelKind.ITEM_KNN, ModelKind.EASE, ModelKind.ALS, ModelKind.HYBRID)) {
            assertTrue(generation.hasModel(kind), kind + " missing");
        }
        assertTrue(recommender.hybridComponents(ModelKind.HYBRID).containsKey(ModelKind.ALS));
        assertEquals(ITEMS, generation.itemCount());
    }

    @Test
    void usersGetExactlyTheReferenceRecommendations() {
        ItemFilter[] filters = {ItemFilter.ALLOW_ALL, everyThirdExcluded()};
        int compared = 0;
        for (ModelKind model : models()) {
            for (int user = -1; user < generation.userCount(); user++) {
                for (int k : new int[] {1, 10, 57}) {
                    for (ItemFilter filter : filters) {
                        for (boolean includeSeen : new boolean[] {false, true}) {
                            int[] recent = user % 5 == 0 || user < 0 ? new int[] {(user + 7) % ITEMS, (user + 300) % ITEMS} : new int[0];
                            String what = "user " + user + " model " + model + " k " + k + " seen " + includeSeen;
                            same(reference.recommendForUser(user, recent, k, model, filter, includeSeen),
                                    recommender.recommendForUser(user, recent, k, model, filter, includeSeen), what);
                            compared++;
                        }
                    }
                }
            }
        }
        assertTrue(compared > 10_000, "compared " + compared);
    }

    @Test
    void itemListsAndSimilarItemsGetExactlyTheReferenceRecommendations() {
        ItemFilter filter = everyThirdExcluded();
        for (ModelKind model : models()) {
            for (int item = 0; item < ITEMS; item++) {
                int[] basket = {item, (item * 31 + 5) % ITEMS, (item * 17 + 2) % ITEMS};
                same(reference.recommendForItems(basket, 10, model, ItemFilter.ALLOW_ALL, item % 2 == 0),
                        recommender.recommendForItems(basket, 10, model, ItemFilter.ALLOW_ALL, item % 2 == 0),
                        "items " + item + " model " + model);
                same(reference.similarItems(item, 10, model, filter), recommender.similarItems(item, 10, model, filter),
                        "similar " + item + " model " + model);
            }
        }
    }

    private static void same(Recommendations expected, Recommendations got, String what) {
        assertArrayEquals(expected.items(), got.items(), what);
        int[] expectedBits = new int[expected.scores().length];
        int[] gotBits = new int[got.scores().length];
        for (int i = 0; i < expectedBits.length; i++) {
            expectedBits[i] = Float.floatToRawIntBits(expected.scores()[i]);
        }
        for (int i = 0; i < gotBits.length; i++) {
            gotBits[i] = Float.floatToRawIntBits(got.scores()[i]);
        }
        assertArrayEquals(expectedBits, gotBits, what + ": scores");
        assertEquals(expected.servedBy(), got.servedBy(), what);
        assertEquals(expected.fallbackReason(), got.fallbackReason(), what);
    }
}
