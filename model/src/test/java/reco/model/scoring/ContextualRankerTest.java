package reco.model.scoring;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.model.ModelKind;
import reco.model.generation.Generation;
import reco.model.generation.ItemCatalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exploration, context, boosts, block list and reasons on the {@link ContextFixture} generation. */
class ContextualRankerTest {
    @TempDir
    static Path root;
    static Generation generation;
    static Recommender recommender;
    static ContextualRanker ranker;

    @BeforeAll
    static void open() throws Exception {
        generation = Generation.open(ContextFixture.write(root, "# withdrawn\ni9\n  i8  \nnot-an-item\n"));
        recommender = new Recommender(generation);
        ranker = new ContextualRanker(recommender);
    }

    @AfterAll
    static void close() {
        generation.close();
    }

    private static List<String> categories(int[] items) {
        List<String> out = new ArrayList<>();
        for (int i : items) {
            out.add(ContextFixture.CATEGORY[i]);
        }
        return out;
    }

    @Test
    void withoutKnobsTheAnswerIsTheRecommenders() {
        Recommendations plain = recommender.recommendForUser(0, new int[0], 5, ModelKind.ITEM_KNN, ItemFilter.ALLOW_ALL, false);
        RankedList ranked = ranker.recommendForUser(0, new int[0], 5, ModelKind.ITEM_KNN, ItemFilter.ALLOW_ALL, false,
                RerankOptions.NONE);
        assertArrayEquals(plain.items(), ranked.recommendations().items());
        assertArrayEquals(plain.scores(), ranked.recommendations().scores());
        assertNull(ranked.reasons());
    }

    @Test
    void explorationPicksUnexploredCategoriesFromNeighboursDeterministically() {
        // u0 watched only Action; 2 of 5 slots explore. Collaborative candidates (i -> neighbours):
        // i4 Comedy 2.5, i5 Comedy 2.0, i7 Drama 1.5, i6 Comedy 1.5, i8 Drama 1.2, i9 Documentary 0.9
        RerankOptions options = RerankOptions.NONE.withExploration(0.4, 7).withExplain(true);
        RankedList a = ranker.recommendForUser(0, new int[0], 5, ModelKind.ITEM_KNN, ItemFilter.ALLOW_ALL, false, options);
        RankedList b = ranker.recommendForUser(0, new int[0], 5, ModelKind.ITEM_KNN, ItemFilter.ALLOW_ALL, false, options);
        assertArrayEquals(a.recommendations().items(), b.recommendations().items(), "same seed, same list");
        List<Integer> explored = new ArrayList<>();
        for (int p = 0; p < a.size(); p++) {
            if (a.reasons()[p].startsWith("exploring ")) {
                explored.add(a.recommendations().items()[p]);
                assertTrue(a.reasons()[p].endsWith("liked by people with similar taste"), a.reasons()[p]);
            }
        }
        assertEquals(2, explored.size());
        Set<String> exploredCategories = new HashSet<>();
        for (int item : explored) {
            assertNotEquals("Action", ContextFixture.CATEGORY[item]);
            exploredCategories.add(ContextFixture.CATEGORY[item]);
        }
        assertEquals(2, exploredCategories.size(), "one item per unexplored category first");
        // different seeds explore differently (the draw is seeded, not fixed)
        Set<List<Integer>> outcomes = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            RankedList r = ranker.recommendForUser(0, new int[0], 5, ModelKind.ITEM_KNN, ItemFilter.ALLOW_ALL, false,
                    RerankOptions.NONE.withExploration(0.4, seed));
            List<Integer> items = new ArrayList<>();
            for (int i : r.recommendations().items()) {
                items.add(i);
            }
            outcomes.add(items);
        }
        assertTrue(outcomes.size() > 1, "20 seeds gave one list");
    }

    @Test
    void unexploredCategoriesAreThoseBelowTheRareShare() {
        Recommender.WeightedItems profile = recommender.weightedProfile(1, new int[0], ModelKind.ITEM_KNN);
        boolean[] rare = Explorer.unexploredCategories(generation.catalog(), profile);
        ItemCatalog c = generation.catalog();
        assertFalse(rare[c.categoryId("Action")]);
        assertFalse(rare[c.categoryId("Comedy")]);
        assertFalse(rare[c.categoryId("Drama")]); // 1 of 8 = 12.5%
        assertTrue(rare[c.categoryId("Documentary")]);
    }

    @Test
    void contextRaisesItemsPopularAtTheRequestedHour() {
        // unknown user: popularity i0, i4, i3, i5, i9(blocked), i7, i1, i2, i6, i8(blocked); i6 is 4x as popular at 20h
        ItemFilter blocked = ItemFilter.builder().block(generation.blockList().items()).build();
        RankedList off = ranker.recommendForUser(-1, new int[0], 3, null, blocked, false, RerankOptions.NONE);
        assertEquals(List.of(0, 4, 3), toList(off.recommendations().items()));
        RankedList on = ranker.recommendForUser(-1, new int[0], 3, null, blocked, false,
                RerankOptions.NONE.withContext(1.0, ContextFixture.MONDAY_8PM).withExplain(true));
        // relevance = popularity score / best: i0 1.0, i4 0.9, i3 0.8, i6 0.2 * 4 = 0.8 (tie with i3 keeps i3 first)
        assertEquals(List.of(0, 4, 3), toList(on.recommendations().items()));
        RankedList strong = ranker.recommendForUser(-1, new int[0], 4, null, blocked, false,
                RerankOptions.NONE.withContext(1.0, ContextFixture.MONDAY_8PM).withExplain(true));
        assertEquals(List.of(0, 4, 3, 6), toList(strong.recommendations().items()));
        assertEquals("popular in Comedy this evening", strong.reasons()[3]);
        // at another hour i6 stays where popularity puts it (8th)
        RankedList noon = ranker.recommendForUser(-1, new int[0], 4, null, blocked, false,
                RerankOptions.NONE.withContext(1.0, ContextFixture.MONDAY_8PM - 8 * 3600));
        assertEquals(List.of(0, 4, 3, 5), toList(noon.recommendations().items()));
    }

    @Test
    void categoryBoostsBuryAndRemove() {
        ItemCatalog c = generation.catalog();
        RerankOptions bury = RerankOptions.NONE.withCategoryBoosts(Map.of(c.categoryId("Comedy"), 0f));
        RankedList r = ranker.recommendForUser(-1, new int[0], 6, ModelKind.POPULARITY, ItemFilter.ALLOW_ALL, false, bury);
        assertFalse(categories(r.recommendations().items()).contains("Comedy"));
        // relevance = score / best: i7 0.5 and i8 0.1, x 20 = 10 and 2, above i0's 1.0
        RerankOptions boost = RerankOptions.NONE.withCategoryBoosts(Map.of(c.categoryId("Drama"), 20f));
        RankedList b = ranker.recommendForUser(-1, new int[0], 2, ModelKind.POPULARITY, ItemFilter.ALLOW_ALL, false, boost);
        assertEquals(List.of("Drama", "Drama"), categories(b.recommendations().items()));
    }

    @Test
    void blockListHidesItemsAndIgnoresUnknownIds() {
        assertEquals(2, generation.blockList().size());
        assertEquals(1, generation.blockList().unknownIds());
        ItemFilter f = ItemFilter.builder().block(generation.blockList().items()).build();
        Recommendations r = recommender.recommendForUser(-1, new int[0], 10, ModelKind.POPULARITY, f, false);
        assertEquals(8, r.size());
        assertFalse(toList(r.items()).contains(9));
        assertFalse(toList(r.items()).contains(8));
    }

    @Test
    void diversityLowersTheListsMeanPairwiseSimilarity() {
        ItemSimilarity als = ItemSimilarity.forGeneration(generation); // the fixture has ALS: cosine of factors
        RankedList plain = ranker.recommendForUser(0, new int[0], 4, ModelKind.ITEM_KNN, ItemFilter.ALLOW_ALL, false,
                RerankOptions.NONE);
        RankedList diverse = ranker.recommendForUser(0, new int[0], 4, ModelKind.ITEM_KNN, ItemFilter.ALLOW_ALL, false,
                RerankOptions.NONE.withDiversity(0.8));
        assertNotEquals(toList(plain.recommendations().items()), toList(diverse.recommendations().items()));
        assertTrue(meanSimilarity(als, diverse.recommendations().items()) < meanSimilarity(als, plain.recommendations().items()));
    }

    private static double meanSimilarity(ItemSimilarity s, int[] items) {
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < items.length; a++) {
            for (int b = a + 1; b < items.length; b++) {
                sum += s.similarity(items[a], items[b]);
                pairs++;
            }
        }
        return sum / pairs;
    }

    @Test
    void reasonsNameTheTopContributor() {
        RankedList r = ranker.recommendForUser(0, new int[0], 3, ModelKind.ITEM_KNN, ItemFilter.ALLOW_ALL, false,
                RerankOptions.NONE.withExplain(true));
        // unseen scores: i4 = 5 * 0.5 (from i0) = 2.5, i3 = 3 * 0.8 (from i2) = 2.4, ...
        assertEquals(List.of(4, 3), toList(java.util.Arrays.copyOf(r.recommendations().items(), 2)));
        assertEquals("because you watched T0", r.reasons()[0]);
        assertEquals("because you watched T2", r.reasons()[1]);
    }

    private static List<Integer> toList(int[] a) {
        List<Integer> out = new ArrayList<>();
        for (int i : a) {
            out.add(i);
        }
        return out;
    }
}
