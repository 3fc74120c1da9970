package reco.model.feedback;

/**
 * One recorded interaction.
 *
 * @param userId           the caller's user id
 * @param itemId           the caller's item id
 * @param weight           strength on the training data's scale; NaN when the caller gave none (training reads it as 1)
 * @param eventTimeMillis  when it happened (unix milliseconds)
 * @param recordedAtMillis when the server appended it to the event log (unix milliseconds); orders the log and
 *                         decides retirement: a generation whose feedback cut-off is later has trained on it
 */
public record FeedbackEvent(String userId, String itemId, float weight, long eventTimeMillis, long recordedAtMillis) {

    /** The weight a scorer uses: 1 when the caller gave none. */
    public float effectiveWeight() {
        return Float.isNaN(weight) ? 1f : weight;
    }

    public FeedbackEvent recordedAt(long millis) {
        return new FeedbackEvent(userId, itemId, weight, eventTimeMillis, millis);
    }

    /** True when {@code id} can be written to the log: no tab, carriage return or line feed. */
    public static boolean isLoggable(String id) {
        return id.indexOf('\t') < 0 && id.indexOf('\n') < 0 && id.indexOf('\r') < 0;
    }
}
