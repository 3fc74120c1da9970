package reco.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-computed metric values on tiny examples. */
class TopKMetricsTest {
    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    private static Map<String, List<String>> map(Object... userThenItems) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < userThenItems.length; i += 2) {
            m.put((String) userThenItems[i], List.of(((String) userThenItems[i + 1]).split(",", -1))
                    .stream().filter(s -> !s.isEmpty()).toList());
        }
        return m;
    }

    /**
     * One user, T = {a, b, c}, list [a, x, b, y] at K = 2 and K = 4 (x, y misses).
     * K=2: hits 1 (rank 1), m = 2: P = 1/2, R = 1/2, DCG = 1, IDCG = 1 + 1/log2(3), AP = (1/1)/2.
     * K=4: hits 2 (ranks 1, 3), m = 3: P = 2/4, R = 2/3, DCG = 1 + 1/log2(4) = 1.5,
     * IDCG = 1 + 1/log2(3) + 1/2, AP = (1 + 2/3) / 3.
     */
    @Test
    void singleUserValues() {
        MetricsResult r = TopKMetrics.evaluate(map("u", "t"), map("u", "a,b,c"), map("u", "a,x,b,y"), List.of(4, 2));
        assertEquals(List.of(2, 4), r.ks());
        assertEquals(0.5, r.value("precision", 2));
        assertEquals(0.5, r.value("recall", 2));
        assertEquals(PythonCompat.round(1 / (1 + 1 / LOG2_3), 6), r.value("ndcg", 2));
        assertEquals(1.0, r.value("hitrate", 2));
        assertEquals(0.5, r.value("map", 2));
        assertEquals(0.5, r.value("precision", 4));
        assertEquals(0.666667, r.value("recall", 4));
        assertEquals(PythonCompat.round(1.5 / (1.5 + 1 / LOG2_3), 6), r.value("ndcg", 4));
        assertEquals(0.555556, r.value("map", 4));
        // coverage: distinct listed items / distinct train items ({t}): 2/1 at K=2, 4/1 at K=4
        assertEquals(2.0, r.value("coverage", 2));
        assertEquals(4.0, r.value("coverage", 4));
        assertEquals(0, r.shortLists());
    }

    /**
     * Two test users. u1: train {a}, T = {b}, list [a, b, b, c]: a is flagged (miss), b hits at rank 2,
     * the repeat of b is a duplicate (miss). u2 is missing from the recommendations and scores 0.
     * K=1: all zero. K=3: u1 hits 1 at rank 2, m = 1: P = 1/3, R = 1, NDCG = 1/log2(3), AP = 1/2;
     * means over 2 users.
     */
    @Test
    void flaggedDuplicateAndMissingUsers() {
        MetricsResult r = TopKMetrics.evaluate(map("u1", "a", "u2", "c"), map("u1", "b", "u2", "z"),
                map("u1", "a,b,b,c", "other", "b"), List.of(1, 3));
        assertEquals(2, r.users());
        assertEquals(1, r.missingUsers());
        assertEquals(0, r.shortLists()); // the list is cut at K=3: not short
        assertEquals(1, r.trainItemsRecommended());
        assertEquals(1, r.usersWithTrainItems());
        assertEquals(1, r.duplicateItems());
        assertEquals(0.0, r.value("precision", 1));
        assertEquals(0.0, r.value("hitrate", 1));
        assertEquals(PythonCompat.round(1.0 / 3 / 2, 6), r.value("precision", 3));
        assertEquals(0.5, r.value("recall", 3));
        assertEquals(PythonCompat.round(1 / LOG2_3 / 2, 6), r.value("ndcg", 3));
        assertEquals(0.5, r.value("hitrate", 3));
        assertEquals(0.25, r.value("map", 3));
        // coverage@1: {a} / train items {a, c}; coverage@3: {a, b} / {a, c}
        assertEquals(0.5, r.value("coverage", 1));
        assertEquals(1.0, r.value("coverage", 3));
        assertEquals(java.util.Optional.of("WARNING: 1 recommended items are in the user's train set "
                + "(counted as misses)"), r.trainItemsWarning());
    }

    @Test
    void shortAndEmptyListsAreNotPadded() {
        MetricsResult r = TopKMetrics.evaluate(map(), map("u", "a", "v", "b"), map("u", "a", "v", ""), List.of(5));
        assertEquals(2, r.shortLists());
        assertEquals(0.1, r.value("precision", 5)); // (1/5 + 0) / 2
        assertEquals(0.5, r.value("recall", 5));
        assertEquals(0.0, r.value("coverage", 5)); // no train items
    }

    @Test
    void jsonAndTableLayout() {
        MetricsResult r = TopKMetrics.evaluate(map("u", "t"), map("u", "a,b,c"), map("u", "a,x,b,y"), List.of(2, 4));
        assertEquals("{\"users\": 1, \"missing_users\": 0, \"short_lists\": 0, \"train_items_recommended\": 0, "
                + "\"users_with_train_items\": 0, \"duplicate_items\": 0, \"precision@2\": 0.5, \"recall@2\": 0.5, "
                + "\"ndcg@2\": 0.613147, \"hitrate@2\": 1.0, \"map@2\": 0.5, \"precision@4\": 0.5, "
                + "\"recall@4\": 0.666667, \"ndcg@4\": 0.703918, \"hitrate@4\": 1.0, \"map@4\": 0.555556, "
                + "\"coverage@2\": 2.0, \"coverage@4\": 4.0}", r.toJson());
        assertEquals("""
                metric            @2        @4
                precision     0.5000    0.5000
                recall        0.5000    0.6667
                ndcg          0.6131    0.7039
                hitrate       1.0000    1.0000
                map           0.5000    0.5556
                coverage      2.0000    4.0000
                users=1 missing=0 short_lists=0 train_items_recommended=0 (users=0) duplicates=0""", r.toTable());
    }

    @Test
    void noTestUsersGivesZeros() {
        MetricsResult r = TopKMetrics.evaluate(map(), map(), map(), TopKMetrics.DEFAULT_KS);
        assertEquals(0.0, r.value("ndcg", 20));
        assertTrue(r.toJson().startsWith("{\"users\": 0, "));
    }

    @Test
    void rejectsBadCutoffs() {
        assertThrows(IllegalArgumentException.class, () -> TopKMetrics.evaluate(map(), map(), map(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> TopKMetrics.evaluate(map(), map(), map(), List.of(10, 0)));
        assertEquals(List.of(5, 10, 20), TopKMetrics.parseKs("20,10,5,10"));
        assertThrows(IllegalArgumentException.class, () -> TopKMetrics.parseKs("10,-1"));
        assertThrows(IllegalArgumentException.class, () -> TopKMetrics.parseKs("10,x"));
        assertThrows(IllegalArgumentException.class, () -> new MetricsResult(List.of(1), 0, 0, 0, 0, 0, 0, Map.of())
                .value("ndcg", 1));
    }
}
