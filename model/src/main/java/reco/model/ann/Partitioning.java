package reco.model.ann;

/**
 * How the coarse quantiser clusters item vectors for maximum inner product search (MIPS). Item
 * scores are raw dot products (ALS factors are not normalised: popular items have larger norms), so
 * plain Euclidean clustering is not the same problem; each choice below maps MIPS onto a k-means
 * the quantiser can run, and fixes how a query ranks the lists to probe. Whatever the choice, the
 * probed lists are always re-scored exactly with raw dot products.
 */
public enum Partitioning {
    /**
     * The standard MIPS-to-nearest-neighbour reduction (Bachrach et al. 2014): every item becomes
     * {@code [v, sqrt(M^2 - |v|^2)]} with {@code M} the largest item norm, every query {@code [q, 0]}.
     * Then {@code |q' - v'|^2 = |q|^2 + M^2 - 2 q.v}, so the nearest item is the best-scoring one, and
     * lists are probed by Euclidean distance to their (augmented) centroid.
     */
    AUGMENTED(1),
    /**
     * k-means on raw vectors, lists probed by the inner product of the query with their centroid
     * (what FAISS {@code IndexIVFFlat} does with {@code METRIC_INNER_PRODUCT}).
     */
    RAW(2),
    /**
     * k-means on the items' directions (unit vectors), lists probed by the inner product of the query
     * with their centroid; item norms only matter at exact re-scoring.
     */
    SPHERICAL(3);

    /** Stored in the index file. */
    final int code;

    Partitioning(int code) {
        this.code = code;
    }

    static Partitioning of(long code) {
        for (Partitioning p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        return null;
    }
}
