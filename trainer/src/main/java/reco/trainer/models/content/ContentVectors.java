package reco.trainer.models.content;

import java.util.Objects;
import reco.trainer.math.CsrMatrix;

/**
 * Items x features matrix of weighted, L2-normalised content features (rows of items without
 * features are empty) and the feature names: {@code vocabulary[c]} names column c as
 * {@code namespace:term}, namespaces {@code cat}, {@code tag}, {@code title}, {@code text}; sorted.
 */
public record ContentVectors(CsrMatrix matrix, String[] vocabulary) {
    public ContentVectors {
        Objects.requireNonNull(matrix, "matrix");
        Objects.requireNonNull(vocabulary, "vocabulary");
        if (vocabulary.length != matrix.cols) {
            throw new IllegalArgumentException("vocabulary has " + vocabulary.length + " names for " + matrix.cols
                    + " columns");
        }
    }

    public int itemCount() { return matrix.rows; }
    public int featureCount() { return matrix.cols; }
    /** True when the item has at least one feature (otherwise its neighbour list is empty). */
    public boolean hasFeatures(int item) { return matrix.rowLength(item) > 0; }
}
