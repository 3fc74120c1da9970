package reco.server;

import reco.model.Neighborhoods;
import reco.model.generation.EmbeddingMatrix;
import reco.model.generation.GenerationFiles;
import reco.model.generation.GenerationWriter;
import reco.model.generation.IdList;
import reco.model.generation.Manifest;
import reco.model.generation.NeighborLists;
import reco.model.generation.PopularityRanking;
import reco.model.generation.UserHistories;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a large ALS-only generation of seeded random factors, for serving benchmarks at catalogue
 * sizes the trainer cannot reach quickly (its exact ALS neighbour lists are O(items^2): hours at 1M
 * items). The files have the same format and layout as trained ones, so start-up and scoring cost
 * the same; the rankings mean nothing.
 *
 * <pre>
 * items   item-0 .. item-(n-1); users user-0 .. user-(m-1)
 * history user u: items (u*7 + j*13) mod n, j < 5, strength 1
 * als     factors uniform in [-0.5, 0.5), dims given; neighbour lists of 10 random items per item
 * </pre>
 *
 * <p>Run: {@code java -cp <server test classpath> reco.server.RandomEmbeddingGeneration ROOT ITEMS USERS DIMS}.
 */
public final class RandomEmbeddingGeneration {
    static final int HISTORY_LENGTH = 5;
    static final int NEIGHBOURS = 10;

    private RandomEmbeddingGeneration() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: RandomEmbeddingGeneration ROOT ITEMS USERS DIMS");
            System.exit(2);
        }
        long started = System.nanoTime();
        Path dir = write(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), 42);
        System.out.printf("wrote %s in %.1f s%n", dir, (System.nanoTime() - started) / 1e9);
    }

    /** Writes and publishes (CURRENT) the generation; returns its directory. */
    static Path write(Path root, int items, int users, int dims, long seed) throws IOException {
        if (items < NEIGHBOURS + 1 || users < 1 || dims < 1) {
            throw new IllegalArgumentException("items must be > " + NEIGHBOURS + ", users and dims >= 1; got items="
                    + items + " users=" + users + " dims=" + dims);
        }
        SplittableRandom random = new SplittableRandom(seed);
        try (GenerationWriter w = GenerationWriter.begin(root)) {
            writeIdsHistoriesAndPopularity(w, items, users, HISTORY_LENGTH);

            EmbeddingMatrix.write(w.file(GenerationFiles.embeddings("als-items")), randomFactors(random, items, dims),
                    items, dims, gram(dims));
            EmbeddingMatrix.write(w.file(GenerationFiles.embeddings("als-users")), randomFactors(random, users, dims),
                    users, dims, null);
            NeighborLists.write(w.file(GenerationFiles.neighbors("als")), randomNeighbours(random, items));

            List<Manifest.ModelEntry> models = List.of(
                    new Manifest.ModelEntry("popularity", null, null, null, 0, 0, true, null),
                    new Manifest.ModelEntry("als", GenerationFiles.neighbors("als"), GenerationFiles.embeddings("als-items"),
                            GenerationFiles.embeddings("als-users"), NEIGHBOURS, dims, true, Map.of("factors", dims)));
            Manifest manifest = new Manifest(0, null, null, "random-embedding-generation", List.of(),
                    new Manifest.Counts(users, items, users * HISTORY_LENGTH, users * HISTORY_LENGTH, 0, 0),
                    models, "als", Map.of(), null);
            return w.commit(manifest, 2);
        }
    }

    private static float[] randomFactors(SplittableRandom random, int rows, int dims) {
        float[] f = new float[rows * dims];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (random.nextDouble() - 0.5);
        }
        return f;
    }

    /** The identity: fold-in works (as a ridge regression on the factors) without a real Y^T Y. */
    private static float[] gram(int dims) {
        float[] g = new float[dims * dims];
        for (int d = 0; d < dims; d++) {
            g[d * dims + d] = 1;
        }
        return g;
    }

    private static Neighborhoods randomNeighbours(SplittableRandom random, int items) {
        int[] offsets = new int[items + 1];
        int[] neighbours = new int[items * NEIGHBOURS];
        float[] scores = new float[neighbours.length];
        for (int i = 0; i < items; i++) {
            for (int j = 0; j < NEIGHBOURS; j++) {
                int other = random.nextInt(items - 1);
                neighbours[i * NEIGHBOURS + j] = other >= i ? other + 1 : other;
                scores[i * NEIGHBOURS + j] = 1f - j * 0.05f;
            }
            offsets[i + 1] = (i + 1) * NEIGHBOURS;
        }
        return new Neighborhoods(offsets, neighbours, scores);
    }

    /**
     * Writes the parts of a synthetic generation every embedding benchmark shares: ids {@code item-i} and
     * {@code user-u}, {@code historyLength} history items per user on a fixed stride, and a popularity
     * ranking by item index.
     */
    static void writeIdsHistoriesAndPopularity(GenerationWriter w, int items, int users, int historyLength) throws IOException {
        List<String> itemIds = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            itemIds.add("item-" + i);
        }
        List<String> userIds = new ArrayList<>(users);
        for (int u = 0; u < users; u++) {
            userIds.add("user-" + u);
        }
        IdList.write(w.file(GenerationFiles.ITEM_IDS), itemIds);
        IdList.write(w.file(GenerationFiles.USER_IDS), userIds);

        long[] offsets = new long[users + 1];
        int[] historyItems = new int[users * historyLength];
        float[] strengths = new float[historyItems.length];
        long[] timestamps = new long[historyItems.length];
        int[] counts = new int[items];
        for (int u = 0; u < users; u++) {
            for (int j = 0; j < historyLength; j++) {
                int p = u * historyLength + j;
                historyItems[p] = (int) ((u * 7L + j * 13L) % items);
                strengths[p] = 1;
                timestamps[p] = 1_700_000_000L + j;
                counts[historyItems[p]]++;
            }
            offsets[u + 1] = (long) (u + 1) * historyLength;
        }
        UserHistories.write(w.file(GenerationFiles.USER_HISTORIES), offsets, historyItems, strengths, timestamps);

        int[] ranking = new int[items];
        float[] rankingScores = new float[items];
        for (int r = 0; r < items; r++) {
            ranking[r] = r;
            rankingScores[r] = items - r;
        }
        PopularityRanking.write(w.file(GenerationFiles.POPULARITY), ranking, rankingScores, new int[0], new float[0], counts);
    }
}
