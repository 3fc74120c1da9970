package reco.model.topk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {
    @Test
    void keepsBestScoresWithLowerIdsOnTies() {
        TopK heap = new TopK(3);
        heap.offer(5, 1.0f);
        heap.offer(2, 3.0f);
        heap.offer(9, 1.0f);
        heap.offer(1, 1.0f);
        heap.offer(7, -2.0f);
        int[] ids = new int[3];
        float[] scores = new float[3];
        assertEquals(3, heap.drainInto(ids, scores, 0));
        assertArrayEquals(new int[] {2, 1, 5}, ids);
        assertArrayEquals(new float[] {3.0f, 1.0f, 1.0f}, scores);
        assertEquals(0, heap.size());
    }

    @Test
    void ordersNegativeScoresCorrectly() {
        TopK heap = new TopK(2);
        heap.offer(0, -5f);
        heap.offer(1, -0.5f);
        heap.offer(2, -3f);
        heap.offer(3, 0f);
        int[] ids = new int[2];
        float[] scores = new float[2];
        heap.drainInto(ids, scores, 0);
        assertArrayEquals(new int[] {3, 1}, ids);
    }

    @Test
    void matchesSortOnRandomInputInAnyArrivalOrder() {
        Random random = new Random(7);
        int n = 500;
        float[] score = new float[n];
        for (int i = 0; i < n; i++) {
            score[i] = random.nextInt(40) - 20; // many ties
        }
        int[] expected = IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparingInt(i -> i))
                .limit(25).mapToInt(Integer::intValue).toArray();
        for (int trial = 0; trial < 5; trial++) {
            int[] order = IntStream.range(0, n).toArray();
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i]; order[i] = order[j]; order[j] = t;
            }
            TopK heap = new TopK(25);
            for (int id : order) {
                if (!heap.wouldReject(score[id])) {
                    heap.offer(id, score[id]);
                }
            }
            int[] ids = new int[25];
            heap.drainInto(ids, new float[25], 0);
            assertArrayEquals(expected, ids);
        }
    }

    @Test
    void rejectsZeroCapacity() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TopK(0));
        assertEquals("capacity must be >= 1, got 0", e.getMessage());
    }
}
