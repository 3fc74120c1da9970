package reco.model.scoring;

import reco.model.topk.TopK;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.model.ModelKind;
import reco.model.ann.IvfIndex;
import reco.model.ann.IvfIndexWriter;
import reco.model.ann.IvfParameters;
import reco.model.generation.EmbeddingMatrix;
import reco.model.generation.Generation;
import reco.model.generation.GenerationFiles;
import reco.model.generation.GenerationWriter;
import reco.model.generation.IdList;
import reco.model.generation.Manifest;
import reco.model.generation.PopularityRanking;
import reco.model.generation.UserHistories;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Large catalogues keep no ALS neighbour lists; SimilarItems then asks the generation's IVF index. */
class ApproximateSimilarItemsTest {
    @TempDir
    Path root;

    @Test
    void similarItemsWithoutNeighbourListsUseTheApproximateIndex() throws IOException {
        int n = 600, d = 8;
        Random random = new Random(11);
        float[] vectors = new float[n * d];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = (float) random.nextGaussian();
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add("i" + i);
        }
        Path dir;
        try (GenerationWriter w = GenerationWriter.begin(root)) {
            IdList.write(w.file(GenerationFiles.ITEM_IDS), items);
            IdList.write(w.file(GenerationFiles.USER_IDS), List.of("u"));
            UserHistories.write(w.file(GenerationFiles.USER_HISTORIES), new long[] {0, 1}, new int[] {0},
                    new float[] {1f}, new long[] {0});
            PopularityRanking.write(w.file(GenerationFiles.POPULARITY), new int[] {0}, new float[] {1f},
                    new int[0], new float[0], new int[n]);
            EmbeddingMatrix.write(w.file(GenerationFiles.embeddings("als-items")), vectors, n, d, null);
            EmbeddingMatrix.write(w.file(GenerationFiles.embeddings("als-users")), new float[d], 1, d, null);
            IvfIndexWriter.write(w.file(IvfIndex.fileName("als-items")), vectors, n, d, IvfParameters.defaults(n));
            dir = w.commit(new Manifest(0, null, null, "test", List.of(), new Manifest.Counts(1, n, 1, 1, 0, 0),
                    List.of(new Manifest.ModelEntry("als", null, GenerationFiles.embeddings("als-items"),
                            GenerationFiles.embeddings("als-users"), 0, d, true,
                            Map.of(Generation.ANN_INDEX_PARAMETER, IvfIndex.fileName("als-items")))),
                    "als", Map.of(), null), 1);
        }
        try (Generation g = Generation.open(dir)) {
            Recommender r = new Recommender(g);
            int query = 7;
            Recommendations got = r.similarItems(query, 10, ModelKind.ALS, ItemFilter.ALLOW_ALL);
            assertEquals(10, got.size());
            assertEquals(ModelKind.ALS, got.servedBy());
            assertFalse(got.isFallback());
            TopK exact = new TopK(10).reset(10);
            for (int j = 0; j < n; j++) {
                if (j != query) {
                    float dot = 0;
                    for (int c = 0; c < d; c++) {
                        dot += vectors[query * d + c] * vectors[j * d + c];
                    }
                    exact.offer(j, dot);
                }
            }
            int[] best = new int[10];
            exact.drainInto(best, new float[10]);
            Set<Integer> truth = new HashSet<>();
            for (int b : best) {
                truth.add(b);
            }
            int hits = 0;
            for (int i = 0; i < got.size(); i++) {
                assertTrue(got.items()[i] != query, "the query item is never its own neighbour");
                assertTrue(i == 0 || got.scores()[i - 1] >= got.scores()[i], "best first");
                hits += truth.contains(got.items()[i]) ? 1 : 0;
            }
            assertTrue(hits >= 8, "recall@10 against brute force: " + hits + "/10");
        }
    }
}
