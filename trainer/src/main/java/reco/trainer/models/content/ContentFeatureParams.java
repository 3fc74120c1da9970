package reco.trainer.models.content;

import java.util.Objects;

/**
 * How item metadata becomes sparse feature vectors.
 *
 * <p>Field weights multiply every feature of that field before the row is L2-normalised, so a field's
 * share of an item's vector grows with its weight. Defaults: categories and tags 1.0 because they
 * are curated, low-noise descriptors of what an item is about (genres are on every item, tags are
 * what users say); title 0.5 because title words mostly just name the item — sharing them is a
 * strong signal for sequels and franchises ("toy", "story") but noisy otherwise ("man", "love"),
 * so they should break ties among same-genre items rather than override genres; text 0.5 because a
 * description contributes many words whose individual evidence is weak.
 *
 * @param categoryWeight weight of categories (genres); 0 ignores the field
 * @param tagWeight weight of user tags; 0 ignores the field
 * @param titleWeight weight of title words; 0 ignores the field
 * @param textWeight weight of free-text words; 0 ignores the field
 * @param weighting TF-IDF or BM25
 * @param bm25K1 BM25 term-frequency saturation (used with {@link TermWeighting#BM25})
 * @param bm25B BM25 length normalisation, 0 = none, 1 = full (used with {@link TermWeighting#BM25})
 * @param minDocumentFrequency features present in fewer items are dropped: a feature on one item
 *     only cannot make two items similar, it just shrinks the item's other weights
 */
public record ContentFeatureParams(
        double categoryWeight,
        double tagWeight,
        double titleWeight,
        double textWeight,
        TermWeighting weighting,
        double bm25K1,
        double bm25B,
        int minDocumentFrequency) {

    public static final double DEFAULT_CATEGORY_WEIGHT = 1.0;
    public static final double DEFAULT_TAG_WEIGHT = 1.0;
    public static final double DEFAULT_TITLE_WEIGHT = 0.5;
    public static final double DEFAULT_TEXT_WEIGHT = 0.5;
    public static final TermWeighting DEFAULT_WEIGHTING = TermWeighting.TF_IDF;
    public static final double DEFAULT_BM25_K1 = 1.2;
    public static final double DEFAULT_BM25_B = 0.75;
    public static final int DEFAULT_MIN_DOCUMENT_FREQUENCY = 2;

    public static final double MAX_FIELD_WEIGHT = 100.0;
    public static final double MAX_BM25_K1 = 100.0;

    public ContentFeatureParams {
        checkFieldWeight("categoryWeight", categoryWeight);
        checkFieldWeight("tagWeight", tagWeight);
        checkFieldWeight("titleWeight", titleWeight);
        checkFieldWeight("textWeight", textWeight);
        if (categoryWeight + tagWeight + titleWeight + textWeight == 0) {
            throw new IllegalArgumentException("categoryWeight, tagWeight, titleWeight, textWeight are all 0:"
                    + " at least one field weight must be in (0, " + MAX_FIELD_WEIGHT + "]");
        }
        Objects.requireNonNull(weighting, "weighting");
        if (!(bm25K1 >= 0 && bm25K1 <= MAX_BM25_K1)) {
            throw new IllegalArgumentException("bm25K1 = " + bm25K1 + ": must be in [0, " + MAX_BM25_K1 + "]");
        }
        if (!(bm25B >= 0 && bm25B <= 1)) {
            throw new IllegalArgumentException("bm25B = " + bm25B + ": must be in [0, 1]");
        }
        if (minDocumentFrequency < 1) {
            throw new IllegalArgumentException("minDocumentFrequency = " + minDocumentFrequency
                    + ": must be in [1, " + Integer.MAX_VALUE + "]");
        }
    }

    private static void checkFieldWeight(String name, double value) {
        if (!(value >= 0 && value <= MAX_FIELD_WEIGHT)) {
            throw new IllegalArgumentException(name + " = " + value + ": must be in [0, " + MAX_FIELD_WEIGHT + "]");
        }
    }

    public static ContentFeatureParams defaults() {
        return new ContentFeatureParams(DEFAULT_CATEGORY_WEIGHT, DEFAULT_TAG_WEIGHT, DEFAULT_TITLE_WEIGHT,
                DEFAULT_TEXT_WEIGHT, DEFAULT_WEIGHTING, DEFAULT_BM25_K1, DEFAULT_BM25_B,
                DEFAULT_MIN_DOCUMENT_FREQUENCY);
    }

    public ContentFeatureParams withFieldWeights(double categories, double tags, double title, double text) {
        return new ContentFeatureParams(categories, tags, title, text, weighting, bm25K1, bm25B, minDocumentFrequency);
    }

    public ContentFeatureParams withWeighting(TermWeighting newWeighting) {
        return new ContentFeatureParams(categoryWeight, tagWeight, titleWeight, textWeight, newWeighting, bm25K1, bm25B,
                minDocumentFrequency);
    }

    public ContentFeatureParams withBm25(double k1, double b) {
        return new ContentFeatureParams(categoryWeight, tagWeight, titleWeight, textWeight, TermWeighting.BM25, k1, b,
                minDocumentFrequency);
    }

    public ContentFeatureParams withMinDocumentFrequency(int minDf) {
        return new ContentFeatureParams(categoryWeight, tagWeight, titleWeight, textWeight, weighting, bm25K1, bm25B,
                minDf);
    }
}
