package reco.server;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.model.ModelKind;
import reco.model.generation.EmbeddingMatrix;
import reco.model.generation.Generation;
import reco.model.generation.UserHistories;
import reco.model.scoring.ItemFilter;
import reco.model.scoring.Recommendations;
import reco.model.scoring.Recommender;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The ALS user path of {@link Recommender} (dense scoring of every item, then top-K) against a
 * brute-force oracle in double precision: every item scored, seen items and filtered
 * items dropped, sorted. 2,003 items (not a multiple of the 256-row block) and 13 dimensions (not a
 * multiple of any vector width).
 */
class EmbeddingScoringOracleTest {
    private static final int ITEMS = 2003;
    private static final int USERS = 40;
    private static final int DIMS = 13;

    @TempDir
    static Path root;
    static Generation generation;

    @BeforeAll
    static void write() throws Exception {
        generation = Generation.open(RandomEmbeddingGeneration.write(root, ITEMS, USERS, DIMS, 7));
    }

    @Test
    void knownUsersGetTheExactTopKWithoutSeenOrFilteredItems() {
        Recommender recommender = new Recommender(generation);
        ItemFilter.Builder fb = ItemFilter.builder();
        Set<Integer> excluded = new HashSet<>();
        for (int i = 0; i < ITEMS; i += 3) {
            fb.exclude(i);
            excluded.add(i);
        }
        ItemFilter filter = fb.build();
        for (int user = 0; user < USERS; user++) {
            for (int k : new int[] {1, 10, 100}) {
                Recommendations got = recommender.recommendForUser(user, new int[0], k, ModelKind.ALS, filter, false);
                int[] expected = bruteForce(user, k, excluded);
                assertEquals(ModelKind.ALS, got.servedBy());
                assertFalse(got.isFallback());
                assertArrayEquals(expected, got.items(), "user " + user + " k " + k);
            }
        }
    }

    private static int[] bruteForce(int user, int k, Set<Integer> excluded) {
        EmbeddingMatrix items = generation.itemEmbeddings(ModelKind.ALS);
        EmbeddingMatrix users = generation.userEmbeddings(ModelKind.ALS);
        UserHistories h = generation.histories();
        Set<Integer> seen = new HashSet<>();
        for (long p = h.start(user); p < h.end(user); p++) {
            seen.add(h.item(p));
        }
        List<double[]> scored = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            if (seen.contains(i) || excluded.contains(i)) {
                continue;
            }
            double dot = 0;
            for (int d = 0; d < DIMS; d++) {
                dot += (double) items.get(i, d) * users.get(user, d);
            }
            scored.add(new double[] {dot, i});
        }
        scored.sort(Comparator.comparingDouble((double[] e) -> -e[0]).thenComparingDouble(e -> e[1]));
        int[] top = new int[k];
        for (int r = 0; r < k; r++) {
            top[r] = (int) scored.get(r)[1];
        }
        return top;
    }
}
