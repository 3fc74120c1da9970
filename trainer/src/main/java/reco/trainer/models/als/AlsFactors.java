package reco.trainer.models.als;

import java.util.Objects;
import reco.model.als.AlsFoldIn;
import reco.model.vectors.ArrayFloatRows;

/**
 * Trained implicit-ALS factors: user u's vector is {@code userFactors[u * factors .. (u + 1) * factors)}, item
 * i's is {@code itemFactors[i * factors .. (i + 1) * factors)}; the score of (u, i) is their dot product.
 * The arrays are shared, not copied ({@link ImplicitAls#solveUsers} updates them in place).
 */
public record AlsFactors(
        int users, int items, int factors, float[] userFactors, float[] itemFactors, AlsParameters parameters) {

    public AlsFactors {
        Objects.requireNonNull(userFactors, "userFactors");
        Objects.requireNonNull(itemFactors, "itemFactors");
        Objects.requireNonNull(parameters, "parameters");
        if (factors != parameters.factors()) {
            throw new IllegalArgumentException("factors " + factors + " != parameters.factors() " + parameters.factors());
        }
        if (userFactors.length != (long) users * factors || itemFactors.length != (long) items * factors) {
            throw new IllegalArgumentException("factor arrays do not match users=" + users + ", items=" + items
                    + ", factors=" + factors + ": lengths " + userFactors.length + " and " + itemFactors.length);
        }
    }

    /** The user factors as rows (a view, not a copy). */
    public ArrayFloatRows userRows() {
        return new ArrayFloatRows(userFactors, factors);
    }

    /** The item factors as rows (a view, not a copy). */
    public ArrayFloatRows itemRows() {
        return new ArrayFloatRows(itemFactors, factors);
    }

    /** YtY of the item factors (factors x factors, row-major, double), as fold-in needs it. */
    public double[] itemGram() {
        return AlsFoldIn.gram(itemRows());
    }
}
