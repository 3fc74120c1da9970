package reco.model.scoring;

import reco.model.Neighborhoods;
import reco.model.als.AlsFoldIn;
import reco.model.als.AlsObjective;
import reco.model.als.ConfidenceFunction;
import reco.model.generation.EmbeddingMatrix;
import reco.model.generation.GenerationFiles;
import reco.model.generation.GenerationWriter;
import reco.model.generation.IdList;
import reco.model.generation.ItemCatalog;
import reco.model.generation.Manifest;
import reco.model.generation.NeighborLists;
import reco.model.generation.PopularityRanking;
import reco.model.generation.TimeOfDayProfile;
import reco.model.generation.UserHistories;
import reco.model.vectors.ArrayFloatRows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A 10-item known-answer generation for the re-ranking and explanation tests.
 *
 * <pre>
 * items   i0..i9, titles "T0".."T9"; categories: i0-i3 Action, i4-i6 Comedy, i7-i8 Drama, i9 Documentary
 * users   u0: i0 (5), i1 (4), i2 (3)      (Action only)
 *         u1: i0 (2), i4 (5), i7 (1)
 *         u2: i3 (4), i5 (2), i9 (3)
 * item-knn: i -> (i+1)%10: 0.8, (i+4)%10: 0.5, (i+7)%10: 0.3
 * content: items sharing a category, score 1/(1+|i-j|)
 * als: 3 dimensions, y_i = (sin(i+1), cos(2i+1), 0.5 sin(3i+2)), users folded in with the stored objective
 *      (lambda 0.5, alpha 2, linear confidence)
 * hybrid: item-knn 1.0 + als 0.5; default model item-knn
 * popularity: i0, i4, i3, i5, i9, i7, i1, i2, i6, i8 (global)
 * time of day (UTC): every relative popularity 1, except i6 at bin 20 (weekday 20h) = 4 and i8 at bin 20 = 0.25
 * </pre>
 */
final class ContextFixture {
    static final int ITEMS = 10;
    static final List<String> USERS = List.of("u0", "u1", "u2");
    static final String[] CATEGORY = {"Action", "Action", "Action", "Action", "Comedy", "Comedy", "Comedy", "Drama",
            "Drama", "Documentary"};
    static final AlsObjective OBJECTIVE = new AlsObjective(0.5, 2, ConfidenceFunction.LINEAR, 1, 0);
    /** Monday 2024-01-08 20:00 UTC: weekday bin 20. */
    static final long MONDAY_8PM = 1704744000L;

    private ContextFixture() {}

    static float[] itemFactors() {
        float[] y = new float[ITEMS * 3];
        for (int i = 0; i < ITEMS; i++) {
            y[3 * i] = (float) Math.sin(i + 1);
            y[3 * i + 1] = (float) Math.cos(2 * i + 1);
            y[3 * i + 2] = (float) (0.5 * Math.sin(3 * i + 2));
        }
        return y;
    }

    static Path write(Path root) throws IOException {
        return write(root, null);
    }

    /** Writes and publishes the fixture; {@code blockList} (may be null) becomes block-list.txt. */
    static Path write(Path root, String blockList) throws IOException {
        try (GenerationWriter w = GenerationWriter.begin(root)) {
            List<String> ids = new ArrayList<>();
            List<String> titles = new ArrayList<>();
            List<List<String>> categories = new ArrayList<>();
            for (int i = 0; i < ITEMS; i++) {
                ids.add("i" + i);
                titles.add("T" + i);
                categories.add(List.of(CATEGORY[i]));
            }
            IdList.write(w.file(GenerationFiles.ITEM_IDS), ids);
            IdList.write(w.file(GenerationFiles.USER_IDS), USERS);
            ItemCatalog.write(w.file(GenerationFiles.ITEM_CATALOG), titles, categories);
            int[][] history = {{0, 1, 2}, {0, 4, 7}, {3, 5, 9}};
            float[][] strength = {{5, 4, 3}, {2, 5, 1}, {4, 2, 3}};
            long[] offsets = {0, 3, 6, 9};
            int[] items = new int[9];
            float[] strengths = new float[9];
            long[] timestamps = new long[9];
            for (int u = 0; u < 3; u++) {
                for (int k = 0; k < 3; k++) {
                    items[3 * u + k] = history[u][k];
                    strengths[3 * u + k] = strength[u][k];
                    timestamps[3 * u + k] = 1000 + k;
                }
            }
            UserHistories.write(w.file(GenerationFiles.USER_HISTORIES), offsets, items, strengths, timestamps);
            int[] ranking = {0, 4, 3, 5, 9, 7, 1, 2, 6, 8};
            float[] rankingScores = new float[ITEMS];
            for (int r = 0; r < ITEMS; r++) {
                rankingScores[r] = ITEMS - r;
            }
            PopularityRanking.write(w.file(GenerationFiles.POPULARITY), ranking, rankingScores, new int[0], new float[0],
                    new int[] {2, 1, 1, 1, 1, 1, 0, 1, 0, 1});
            NeighborLists.write(w.file(GenerationFiles.neighbors("item-knn")), itemKnn());
            NeighborLists.write(w.file(GenerationFiles.neighbors("content")), content());

            float[] y = itemFactors();
            ArrayFloatRows rows = new ArrayFloatRows(y, 3);
            double[] gram = AlsFoldIn.gram(rows);
            float[] gramF = new float[gram.length];
            for (int g = 0; g < gram.length; g++) {
                gramF[g] = (float) gram[g];
            }
            // fold-in reads the gram back as floats: solve with the same rounded values
            double[] gramRounded = new double[gram.length];
            for (int g = 0; g < gram.length; g++) {
                gramRounded[g] = gramF[g];
            }
            AlsFoldIn foldIn = new AlsFoldIn(rows, gramRounded, OBJECTIVE);
            float[] x = new float[USERS.size() * 3];
            for (int u = 0; u < 3; u++) {
                System.arraycopy(foldIn.foldIn(history[u], strength[u]), 0, x, 3 * u, 3);
            }
            EmbeddingMatrix.write(w.file(GenerationFiles.embeddings("als-items")), y, ITEMS, 3, gramF);
            EmbeddingMatrix.write(w.file(GenerationFiles.embeddings("als-users")), x, USERS.size(), 3, null);

            float[] global = new float[TimeOfDayProfile.BINS];
            java.util.Arrays.fill(global, 1f / TimeOfDayProfile.BINS);
            float[] itemRelative = new float[ITEMS * TimeOfDayProfile.BINS];
            java.util.Arrays.fill(itemRelative, 1f);
            itemRelative[6 * TimeOfDayProfile.BINS + 20] = 4f;
            itemRelative[8 * TimeOfDayProfile.BINS + 20] = 0.25f;
            float[] categoryRelative = new float[4 * TimeOfDayProfile.BINS];
            java.util.Arrays.fill(categoryRelative, 1f);
            TimeOfDayProfile.write(w.file(GenerationFiles.TIME_OF_DAY), global, itemRelative, ITEMS, categoryRelative, 4,
                    ZoneId.of("UTC"));
            if (blockList != null) {
                Files.writeString(w.file(GenerationFiles.BLOCK_LIST), blockList);
            }

            Map<String, Object> objective = new LinkedHashMap<>();
            objective.put("regularization", OBJECTIVE.regularization());
            objective.put("alpha", OBJECTIVE.alpha());
            objective.put("confidence", OBJECTIVE.confidence().name());
            objective.put("logEpsilon", OBJECTIVE.logEpsilon());
            objective.put("regularizationExponent", OBJECTIVE.regularizationExponent());
            List<Manifest.ModelEntry> models = List.of(
                    new Manifest.ModelEntry("item-knn", GenerationFiles.neighbors("item-knn"), null, null, 3, 0, true, null),
                    new Manifest.ModelEntry("content", GenerationFiles.neighbors("content"), null, null, 9, 0, true, null),
                    new Manifest.ModelEntry("als", null, GenerationFiles.embeddings("als-items"),
                            GenerationFiles.embeddings("als-users"), 0, 3, true, Map.of("factors", 3, "objective", objective)),
                    new Manifest.ModelEntry("hybrid", null, null, null, 0, 0, true,
                            Map.of("components", Map.of("item-knn", 1.0, "als", 0.5))));
            Manifest manifest = new Manifest(0, null, null, "test", List.of(),
                    new Manifest.Counts(3, ITEMS, 9, 9, 0, ITEMS), models, "item-knn", Map.of(), null);
            return w.commit(manifest, 100);
        }
    }

    private static Neighborhoods itemKnn() {
        int[] offsets = new int[ITEMS + 1];
        int[] neighbours = new int[ITEMS * 3];
        float[] scores = new float[ITEMS * 3];
        int[] step = {1, 4, 7};
        float[] s = {0.8f, 0.5f, 0.3f};
        for (int i = 0; i < ITEMS; i++) {
            for (int d = 0; d < 3; d++) {
                neighbours[3 * i + d] = (i + step[d]) % ITEMS;
                scores[3 * i + d] = s[d];
            }
            offsets[i + 1] = 3 * (i + 1);
        }
        return new Neighborhoods(offsets, neighbours, scores);
    }

    private static Neighborhoods content() {
        int[] offsets = new int[ITEMS + 1];
        List<Integer> neighbours = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            final int self = i;
            List<Integer> similar = new ArrayList<>();
            for (int j = 0; j < ITEMS; j++) {
                if (j != i && CATEGORY[j].equals(CATEGORY[i])) {
                    similar.add(j);
                }
            }
            similar.sort((a, b) -> Integer.compare(Math.abs(a - self) * 100 + a, Math.abs(b - self) * 100 + b));
            for (int j : similar) {
                neighbours.add(j);
                scores.add(1f / (1 + Math.abs(i - j)));
            }
            offsets[i + 1] = neighbours.size();
        }
        float[] s = new float[scores.size()];
        for (int k = 0; k < s.length; k++) {
            s[k] = scores.get(k);
        }
        return new Neighborhoods(offsets, neighbours.stream().mapToInt(Integer::intValue).toArray(), s);
    }
}
