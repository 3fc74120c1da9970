package reco.trainer.models.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ContentParamsTest {

    private static void assertRejected(String expectedMessage, Executable construct) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct);
        assertEquals(expectedMessage, e.getMessage());
    }

    @Test
    void defaults() {
        ContentFeatureParams f = ContentFeatureParams.defaults();
        assertEquals(1.0, f.categoryWeight());
        assertEquals(1.0, f.tagWeight());
        assertEquals(0.5, f.titleWeight());
        assertEquals(0.5, f.textWeight());
        assertEquals(TermWeighting.TF_IDF, f.weighting());
        assertEquals(2, f.minDocumentFrequency());
        assertEquals(100, ContentNeighborParams.defaults().neighbors());
        assertEquals(Runtime.getRuntime().availableProcessors(), ContentNeighborParams.defaults().effectiveThreads());
    }

    @Test
    void featureParamsNameParameterValueAndRange() {
        ContentFeatureParams d = ContentFeatureParams.defaults();
        assertRejected("tagWeight = -1.0: must be in [0, 100.0]", () -> d.withFieldWeights(1, -1, 0, 0));
        assertRejected("titleWeight = NaN: must be in [0, 100.0]", () -> d.withFieldWeights(1, 1, Double.NaN, 0));
        assertRejected("categoryWeight, tagWeight, titleWeight, textWeight are all 0: at least one field weight"
                + " must be in (0, 100.0]", () -> d.withFieldWeights(0, 0, 0, 0));
        assertRejected("bm25K1 = -0.5: must be in [0, 100.0]", () -> d.withBm25(-0.5, 0.75));
        assertRejected("bm25B = 1.5: must be in [0, 1]", () -> d.withBm25(1.2, 1.5));
        assertRejected("minDocumentFrequency = 0: must be in [1, 2147483647]", () -> d.withMinDocumentFrequency(0));
        assertThrows(NullPointerException.class, () -> d.withWeighting(null));
    }

    @Test
    void neighborParamsNameParameterValueAndRange() {
        assertRejected("neighbors = 0: must be in [1, 10000]", () -> new ContentNeighborParams(0, 0));
        assertRejected("neighbors = 10001: must be in [1, 10000]", () -> new ContentNeighborParams(10_001, 0));
        assertRejected("threads = -1: must be in [0, 1024] (0 = all processors)", () -> new ContentNeighborParams(10, -1));
    }
}
