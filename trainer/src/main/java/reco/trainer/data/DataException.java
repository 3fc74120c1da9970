package reco.trainer.data;

/**
 * The input data, read without a malformed row, still cannot be trained on as given: weights whose
 * sum overflows, no positive interaction at all. A data error, not a usage error: commands exit 1
 * with the message (one line, for the user) and publish nothing.
 */
public final class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }
}
