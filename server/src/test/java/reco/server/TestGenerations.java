package reco.server;

import reco.model.Neighborhoods;
import reco.model.generation.EmbeddingMatrix;
import reco.model.generation.GenerationFiles;
import reco.model.generation.GenerationWriter;
import reco.model.generation.IdList;
import reco.model.generation.ItemCatalog;
import reco.model.generation.Manifest;
import reco.model.generation.NeighborLists;
import reco.model.generation.PopularityRanking;
import reco.model.generation.UserHistories;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes tiny known-answer generations with the model module's writers (no trainer), so server tests
 * can state exact expected rankings.
 *
 * <pre>
 * items  item-0 .. item-(n-1), titles "Movie i"; categories below (item-11: Documentary, Drama)
 * users  alice: item-0 (5), item-1 (4), item-2 (0 = seen below --min-weight)
 *        bob:   item-3 (5), item-4 (3), item-5 (4)
 *        carol: item-0 (2), item-6 (5)
 *        dave:  item-7 (0)                      -> no positive history
 * popularity (global, no recent ranking): item-0, item-1, item-3, item-2, item-4, item-5, ...
 * item-knn: item i (i &lt; 11) -> (i+1)%11: 0.9, (i+2)%11: 0.6, (i+3)%11: 0.3; item 11 and above: none
 * content: items sharing a category, score 1/(1+|i-j|), best first
 * als: 2 dimensions, item i = (cos i/2, sin i/2), users likewise
 * hybrid: {"components": {"item-knn": 1.0, "content": 0.3}}; default model: item-knn
 * </pre>
 */
public final class TestGenerations {
    public static final int BASE_ITEMS = 12;
    public static final List<String> USERS = List.of("alice", "bob", "carol", "dave");
    public static final String TRAINER_VERSION = "test-fixture";
    private static final String[][] CATEGORIES = {
            {"Action"}, {"Action", "Comedy"}, {"Comedy"}, {"Drama"}, {"Drama", "Action"}, {"Comedy"},
            {"Horror"}, {"Action"}, {"Drama"}, {"Comedy", "Drama"}, {"Horror"}, {"Documentary", "Drama"}};

    private TestGenerations() {}

    /** Writes the fixture generation under the model root {@code args[0]} (for trying the server by hand). */
    public static void main(String[] args) throws IOException {
        System.out.println(write(Path.of(args[0])));
    }

    public static String item(int i) {
        return "item-" + i;
    }

    /** Writes and publishes (CURRENT) the 12-item fixture generation; returns its directory. */
    public static Path write(Path root) throws IOException {
        return write(root, BASE_ITEMS);
    }

    /** Like {@link #write(Path)} with {@code items >= 12} items (the extra ones are Comedy, unrated). */
    public static Path write(Path root, int items) throws IOException {
        return write(root, items, null);
    }

    /** Like {@link #write(Path, int)}, with a block list ({@code GenerationFiles.BLOCK_LIST}) when not null. */
    public static Path write(Path root, int items, String blockList) throws IOException {
        if (items < BASE_ITEMS) {
            throw new IllegalArgumentException("items must be >= " + BASE_ITEMS + ", got " + items);
        }
        try (GenerationWriter w = GenerationWriter.begin(root)) {
            List<String> itemIds = new ArrayList<>();
            List<String> titles = new ArrayList<>();
            List<List<String>> categories = new ArrayList<>();
            for (int i = 0; i < items; i++) {
                itemIds.add(item(i));
                titles.add("Movie " + i);
                categories.add(i < BASE_ITEMS ? List.of(CATEGORIES[i]) : List.of("Comedy"));
            }
            IdList.write(w.file(GenerationFiles.ITEM_IDS), itemIds);
            IdList.write(w.file(GenerationFiles.USER_IDS), USERS);
            ItemCatalog.write(w.file(GenerationFiles.ITEM_CATALOG), titles, categories);

            long[] offsets = {0, 3, 6, 8, 9};
            int[] historyItems = {0, 1, 2, 3, 4, 5, 0, 6, 7};
            float[] strengths = {5, 4, 0, 5, 3, 4, 2, 5, 0};
            long[] timestamps = {100, 200, 300, 100, 200, 300, 100, 200, 100};
            UserHistories.write(w.file(GenerationFiles.USER_HISTORIES), offsets, historyItems, strengths, timestamps);

            int[] ranking = new int[items];
            float[] rankingScores = new float[items];
            int[] order = {0, 1, 3, 2, 4, 5, 6, 7, 8, 9, 10, 11};
            for (int r = 0; r < items; r++) {
                ranking[r] = r < BASE_ITEMS ? order[r] : r;
                rankingScores[r] = items - r;
            }
            int[] counts = new int[items];
            for (int i : historyItems) {
                counts[i]++;
            }
            PopularityRanking.write(w.file(GenerationFiles.POPULARITY), ranking, rankingScores, new int[0], new float[0], counts);

            NeighborLists.write(w.file(GenerationFiles.neighbors("item-knn")), itemKnn(items));
            NeighborLists.write(w.file(GenerationFiles.neighbors("content")), content(categories));

            int dims = 2;
            float[] itemVectors = new float[items * dims];
            for (int i = 0; i < items; i++) {
                itemVectors[2 * i] = (float) Math.cos(i / 2.0);
                itemVectors[2 * i + 1] = (float) Math.sin(i / 2.0);
            }
            float[] userVectors = new float[USERS.size() * dims];
            for (int u = 0; u < USERS.size(); u++) {
                userVectors[2 * u] = (float) Math.cos(u * 1.5);
                userVectors[2 * u + 1] = (float) Math.sin(u * 1.5);
            }
            EmbeddingMatrix.write(w.file(GenerationFiles.embeddings("als-items")), itemVectors, items, dims, null);
            EmbeddingMatrix.write(w.file(GenerationFiles.embeddings("als-users")), userVectors, USERS.size(), dims, null);

            List<Manifest.ModelEntry> models = List.of(
                    new Manifest.ModelEntry("content", GenerationFiles.neighbors("content"), null, null,
                            maxLength(content(categories)), 0, true, null),
                    new Manifest.ModelEntry("item-knn", GenerationFiles.neighbors("item-knn"), null, null, 3, 0, true, null),
                    new Manifest.ModelEntry("als", null, GenerationFiles.embeddings("als-items"),
                            GenerationFiles.embeddings("als-users"), 0, dims, true, Map.of("factors", dims)),
                    new Manifest.ModelEntry("hybrid", null, null, null, 0, 0, true,
                            Map.of("components", Map.of("item-knn", 1.0, "content", 0.3))));
            Manifest manifest = new Manifest(0, null, null, TRAINER_VERSION, List.of(),
                    new Manifest.Counts(USERS.size(), items, historyItems.length, 7, 0, items),
                    models, "item-knn", Map.of(), null);
            if (blockList != null) {
                Files.writeString(w.file(GenerationFiles.BLOCK_LIST), blockList);
            }
            return w.commit(manifest, 100);
        }
    }

    private static Neighborhoods itemKnn(int items) {
        int[] offsets = new int[items + 1];
        List<Integer> neighbours = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        float[] listScores = {0.9f, 0.6f, 0.3f};
        for (int i = 0; i < items; i++) {
            if (i < BASE_ITEMS - 1) {
                for (int d = 1; d <= 3; d++) {
                    neighbours.add((i + d) % (BASE_ITEMS - 1));
                    scores.add(listScores[d - 1]);
                }
            }
            offsets[i + 1] = neighbours.size();
        }
        return neighborhoods(offsets, neighbours, scores);
    }

    private static Neighborhoods content(List<List<String>> categories) {
        int n = categories.size();
        int[] offsets = new int[n + 1];
        List<Integer> neighbours = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final int self = i;
            List<Integer> similar = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (j != i && categories.get(j).stream().anyMatch(categories.get(i)::contains)) {
                    similar.add(j);
                }
            }
            // 1/(1+|i-j|) decreases with distance: nearest first, ties broken by lower index
            similar.sort((a, b) -> Integer.compare(Math.abs(a - self) * 1000 + a, Math.abs(b - self) * 1000 + b));
            for (int j : similar) {
                neighbours.add(j);
                scores.add(1f / (1 + Math.abs(i - j)));
            }
            offsets[i + 1] = neighbours.size();
        }
        return neighborhoods(offsets, neighbours, scores);
    }

    private static Neighborhoods neighborhoods(int[] offsets, List<Integer> neighbours, List<Float> scores) {
        int[] items = neighbours.stream().mapToInt(Integer::intValue).toArray();
        float[] s = new float[scores.size()];
        for (int k = 0; k < s.length; k++) {
            s[k] = scores.get(k);
        }
        return new Neighborhoods(offsets, items, s);
    }

    private static int maxLength(Neighborhoods n) {
        return n.maxSize();
    }

    /**
     * Copies {@code generation} to {@code root/name}, flips one byte in the middle of its popularity
     * file (its checksum then fails) and points CURRENT at the copy.
     */
    public static Path publishCorruptCopy(Path root, Path generation, String name) throws IOException {
        Path copy = root.resolve(name);
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(generation)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Path victim = copy.resolve(GenerationFiles.POPULARITY);
        byte[] bytes = Files.readAllBytes(victim);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(victim, bytes);
        GenerationWriter.publishCurrent(root, name);
        return copy;
    }
}
