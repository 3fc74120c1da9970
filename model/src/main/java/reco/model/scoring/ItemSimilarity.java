package reco.model.scoring;

import reco.model.ModelKind;
import reco.model.generation.EmbeddingMatrix;
import reco.model.generation.Generation;
import reco.model.generation.ItemCatalog;

/**
 * Similarity of two items for diversity: the cosine of their embedding vectors (ALS item factors),
 * or the Jaccard index of their category sets. Used by {@link Mmr} and by the intra-list diversity
 * metric ({@code 1 - similarity}).
 */
public interface ItemSimilarity {
    double similarity(int a, int b);

    /** ALS cosine when the generation has ALS item factors, else category Jaccard, else null. */
    static ItemSimilarity forGeneration(Generation generation) {
        EmbeddingMatrix als = generation.itemEmbeddings(ModelKind.ALS);
        if (als != null) {
            return cosine(als);
        }
        return generation.catalog() == null ? null : categoryJaccard(generation.catalog());
    }

    /** Cosine of embedding rows (0 when either is the zero vector). */
    static ItemSimilarity cosine(EmbeddingMatrix vectors) {
        int d = vectors.dimensions();
        return (a, b) -> {
            double dot = 0, na = 0, nb = 0;
            for (int j = 0; j < d; j++) {
                double x = vectors.get(a, j), y = vectors.get(b, j);
                dot += x * y;
                na += x * x;
                nb += y * y;
            }
            return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
        };
    }

    /** |C(a) ∩ C(b)| / |C(a) ∪ C(b)| (0 when both have no category). */
    static ItemSimilarity categoryJaccard(ItemCatalog catalog) {
        return (a, b) -> {
            int na = catalog.categoryCount(a), nb = catalog.categoryCount(b);
            if (na + nb == 0) {
                return 0;
            }
            int shared = 0;
            for (int k = 0; k < na; k++) {
                if (catalog.hasCategory(b, catalog.category(a, k))) {
                    shared++;
                }
            }
            return (double) shared / (na + nb - shared);
        };
    }
}
