package reco.trainer.models.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reco.model.Neighborhoods;
import reco.trainer.data.IdDictionary;
import reco.trainer.data.ItemMetadata;
import reco.trainer.math.CsrMatrix;
import reco.trainer.progress.Progress;

class ContentVectorizerTest {

    /**
     * Five items; expected values computed independently (numpy) from the documented formula:
     * w = fieldWeight * (1 + ln tf) * (ln((1 + N) / (1 + df)) + 1), rows L2-normalised, N = 5.
     * cat:d, title:story and title:soldiers occur once and are dropped (min df 2).
     */
    static ItemMetadata fixture() {
        ItemMetadata m = new ItemMetadata(new IdDictionary());
        m.describe("i0", null, List.of("A", "B"), null);
        for (int k = 0; k < 4; k++) m.addTag("i0", k % 2 == 0 ? "X" : "  x ");
        m.describe("i1", null, List.of("a"), null);
        m.addTag("i1", "x");
        m.describe("i2", null, List.of("B", "C"), null);
        m.addTag("i2", "x");
        m.addTag("i2", "y");
        m.describe("i3", "Toy Story (1995)", List.of("C"), null);
        m.addTag("i3", "Y");
        m.describe("i4", "Toy Soldiers (1991)", List.of("D"), null);
        return m;
    }

    @Test
    void tfIdfKnownAnswer() {
        ContentVectors v = ContentVectorizer.vectorize(fixture(), ContentFeatureParams.defaults());
        assertArrayEquals(new String[] {"cat:a", "cat:b", "cat:c", "tag:x", "tag:y", "title:toy"}, v.vocabulary());
        double[][] expected = {
            {0.4108682, 0.4108682, 0, 0.8138641, 0, 0},
            {0.7694471, 0, 0, 0.6387106, 0, 0},
            {0, 0.5206462, 0.5206462, 0.4321834, 0.5206462, 0},
            {0, 0, 0.6666667, 0, 0.6666667, 0.3333333},
            {0, 0, 0, 0, 0, 1},
        };
        assertDense(expected, v.matrix(), 1e-6);
    }

    @Test
    void neighboursKnownAnswer() {
        ContentVectors v = ContentVectorizer.vectorize(fixture(), ContentFeatureParams.defaults());
        Neighborhoods nb = ContentNeighbors.compute(v, new ContentNeighborParams(10, 1), Progress.Factory.NONE);
        assertList(nb, 0, new int[] {1, 2}, new float[] {0.8359649f, 0.5656555f});
        assertList(nb, 1, new int[] {0, 2}, new float[] {0.8359649f, 0.2760401f});
        assertList(nb, 2, new int[] {3, 0, 1}, new float[] {0.694195f, 0.5656555f, 0.2760401f});
        assertList(nb, 3, new int[] {2, 4}, new float[] {0.694195f, 0.3333333f});
        assertList(nb, 4, new int[] {3}, new float[] {0.3333333f});

        Neighborhoods top1 = ContentNeighbors.compute(v, new ContentNeighborParams(1, 2), Progress.Factory.NONE);
        assertList(top1, 2, new int[] {3}, new float[] {0.694195f});
    }

    @Test
    void bm25RowsAreUnitLengthAndSaturateRepeatedTags() {
        ContentFeatureParams bm25 = ContentFeatureParams.defaults().withBm25(1.2, 0.75);
        ContentVectors v = ContentVectorizer.vectorize(fixture(), bm25);
        assertUnitRows(v.matrix());
        // tag x: applied 4 times on item 0, once on item 1; BM25 saturates at (k1 + 1) = 2.2x, TF-IDF at 1 + ln 4
        double tf4 = ContentVectorizer.termWeight(bm25, 4, 3, 5, 4, 2);
        double tf1 = ContentVectorizer.termWeight(bm25, 1, 3, 5, 4, 2);
        double idf = Math.log(1 + (5 - 3 + 0.5) / (3 + 0.5));
        double norm = 1.2 * (1 - 0.75 + 0.75 * 2.0);
        assertEquals(idf * 4 * 2.2 / (4 + norm), tf4, 1e-12);
        assertEquals(idf * 1 * 2.2 / (1 + norm), tf1, 1e-12);
        assertTrue(tf4 > tf1 && tf4 < 2.2 * tf1);
    }

    @Test
    void itemsWithoutFeaturesGetEmptyRowsAndLists() {
        ItemMetadata m = fixture();
        m.items.add("interaction-only");
        m.describe("no-genre", "Zzz (2000)", List.of("(no genres listed)"), null);
        ContentVectors v = ContentVectorizer.vectorize(m, ContentFeatureParams.defaults());
        assertEquals(7, v.itemCount());
        assertEquals(0, v.matrix().rowLength(5));
        assertEquals(0, v.matrix().rowLength(6));
        Neighborhoods nb = ContentNeighbors.compute(v, ContentNeighborParams.defaults(), Progress.Factory.NONE);
        assertEquals(0, nb.size(5));
        assertEquals(0, nb.size(6));
    }

    @Test
    void zeroFieldWeightIgnoresField() {
        ContentVectors v = ContentVectorizer.vectorize(fixture(),
                ContentFeatureParams.defaults().withFieldWeights(1, 0, 0, 0));
        assertArrayEquals(new String[] {"cat:a", "cat:b", "cat:c"}, v.vocabulary());
    }

    @Test
    void textFieldIsTokenised() {
        ItemMetadata m = new ItemMetadata(new IdDictionary());
        m.describe("a", null, List.of(), "A heist in SPACE: the crew's heist!");
        m.describe("b", null, List.of(), "Space crew, no heist.");
        ContentVectors v = ContentVectorizer.vectorize(m, ContentFeatureParams.defaults());
        assertArrayEquals(new String[] {"text:crew", "text:heist", "text:space"}, v.vocabulary());
        assertUnitRows(v.matrix());
    }

    @Test
    void tokenizer() {
        assertEquals(List.of("city", "lost", "children", "cité", "enfants", "perdus"),
                tokens(TextTokenizer.stripTrailingYear("City of Lost Children, The (Cité des enfants perdus, La) (1995)")));
        assertEquals(List.of("wall", "12", "monkeys"), tokens("Wall-E 12 Monkeys"));
        assertEquals("Sherlock", TextTokenizer.stripTrailingYear("Sherlock (2010-2014)"));
        assertEquals("Dark Knight", TextTokenizer.stripTrailingYear("Dark Knight (2008) "));
        assertEquals("1984", TextTokenizer.stripTrailingYear("1984"));
        assertEquals("sci fi", TextTokenizer.normalizePhrase("  Sci   FI "));
    }

    private static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        TextTokenizer.tokenize(s, out::add);
        return out;
    }

    static void assertUnitRows(CsrMatrix m) {
        for (int r = 0; r < m.rows; r++) {
            if (m.rowLength(r) == 0) continue;
            double sq = 0;
            for (int p = m.rowStart(r); p < m.rowEnd(r); p++) sq += m.values[p] * (double) m.values[p];
            assertEquals(1.0, sq, 1e-5, "squared norm of row " + r);
        }
    }

    private static void assertDense(double[][] expected, CsrMatrix m, double tol) {
        assertEquals(expected.length, m.rows);
        for (int r = 0; r < m.rows; r++) {
            double[] row = new double[m.cols];
            for (int p = m.rowStart(r); p < m.rowEnd(r); p++) row[m.indices[p]] = m.values[p];
            assertArrayEquals(expected[r], row, tol, "row " + r);
        }
    }

    static void assertList(Neighborhoods nb, int item, int[] items, float[] scores) {
        int s = nb.start(item), e = nb.end(item);
        assertArrayEquals(items, java.util.Arrays.copyOfRange(nb.items(), s, e), "neighbours of " + item);
        assertArrayEquals(scores, java.util.Arrays.copyOfRange(nb.scores(), s, e), 1e-5f, "scores of " + item);
    }
}
