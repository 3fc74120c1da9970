package reco.trainer.models.content;

/** How a feature's count in an item becomes a weight, before field weights and L2 normalisation. */
public enum TermWeighting {
    /**
     * (1 + ln tf) * idf with the smooth idf ln((1 + N) / (1 + df)) + 1: repeated words and tags
     * count sub-linearly, rare features count more.
     */
    TF_IDF,
    /**
     * Okapi BM25 term weight idf * tf (k1 + 1) / (tf + k1 (1 - b + b len / avgLen)) with
     * idf = ln(1 + (N - df + 0.5) / (df + 0.5)); length is measured per field, so a long description
     * does not dilute the genres.
     */
    BM25
}
