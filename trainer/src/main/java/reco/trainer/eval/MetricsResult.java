package reco.trainer.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The result of {@link TopKMetrics#evaluate}: the counters and the rounded metric values, rendered as
 * metrics.py renders them ({@link #toJson()} = its one-line JSON, {@link #toTable()} = its table).
 */
public final class MetricsResult {
    private final List<Integer> ks;
    private final long users;
    private final long missingUsers;
    private final long shortLists;
    private final long trainItemsRecommended;
    private final long usersWithTrainItems;
    private final long duplicateItems;
    private final Map<String, Double> values;

    MetricsResult(List<Integer> ks, long users, long missingUsers, long shortLists, long trainItemsRecommended,
            long usersWithTrainItems, long duplicateItems, Map<String, Double> values) {
        this.ks = List.copyOf(ks);
        this.users = users;
        this.missingUsers = missingUsers;
        this.shortLists = shortLists;
        this.trainItemsRecommended = trainItemsRecommended;
        this.usersWithTrainItems = usersWithTrainItems;
        this.duplicateItems = duplicateItems;
        this.values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The cut-offs, ascending. */
    public List<Integer> ks() { return ks; }
    /** Users of the test pairs (the denominator of every per-user metric). */
    public long users() { return users; }
    /** Test users without a recommendation line (they score 0). */
    public long missingUsers() { return missingUsers; }
    /** Listed test users whose list is shorter than the largest K. */
    public long shortLists() { return shortLists; }
    /** Recommended items (within the largest K) that are in the user's train rows. */
    public long trainItemsRecommended() { return trainItemsRecommended; }
    /** Users with at least one such flagged item. */
    public long usersWithTrainItems() { return usersWithTrainItems; }
    /** Repeats of an item already listed higher (within the largest K), flagged items excluded. */
    public long duplicateItems() { return duplicateItems; }

    /** Metric name ({@code "ndcg@20"}, ...) -> value rounded to 6 decimals, in metrics.py's order. */
    public Map<String, Double> values() { return values; }

    /**
     * One value, e.g. {@code value("recall", 20)}.
     *
     * @throws IllegalArgumentException for an unknown metric or a K that was not evaluated
     */
    public double value(String metric, int k) {
        Double v = values.get(metric + "@" + k);
        if (v == null) {
            throw new IllegalArgumentException("no metric " + metric + "@" + k + "; have " + values.keySet());
        }
        return v;
    }

    /** metrics.py's {@code json.dumps(res)}: one line, no newline. */
    public String toJson() {
        StringBuilder json = new StringBuilder("{");
        json.append("\"users\": ").append(users)
                .append(", \"missing_users\": ").append(missingUsers)
                .append(", \"short_lists\": ").append(shortLists)
                .append(", \"train_items_recommended\": ").append(trainItemsRecommended)
                .append(", \"users_with_train_items\": ").append(usersWithTrainItems)
                .append(", \"duplicate_items\": ").append(duplicateItems);
        values.forEach((name, value) -> json.append(", ").append(PythonCompat.jsonString(name)).append(": ")
                .append(PythonCompat.floatRepr(value)));
        return json.append('}').toString();
    }

    /** metrics.py's readable table (lines joined by {@code \n}, no final newline). */
    public String toTable() {
        StringBuilder out = new StringBuilder(String.format("%-10s", "metric"));
        for (int k : ks) {
            out.append(String.format("%10s", "@" + k));
        }
        List<String> metrics = new java.util.ArrayList<>(TopKMetrics.PER_USER_METRICS);
        metrics.add(TopKMetrics.COVERAGE);
        for (String metric : metrics) {
            out.append('\n').append(String.format("%-10s", metric));
            for (int k : ks) {
                out.append(String.format("%10s", PythonCompat.formatFixed(value(metric, k), 4)));
            }
        }
        out.append('\n').append("users=").append(users).append(" missing=").append(missingUsers)
                .append(" short_lists=").append(shortLists)
                .append(" train_items_recommended=").append(trainItemsRecommended)
                .append(" (users=").append(usersWithTrainItems).append(") duplicates=").append(duplicateItems);
        return out.toString();
    }

    /** The warning metrics.py prints to stderr when recommended items were in the user's train rows. */
    public Optional<String> trainItemsWarning() {
        if (trainItemsRecommended == 0) {
            return Optional.empty();
        }
        return Optional.of("WARNING: " + trainItemsRecommended
                + " recommended items are in the user's train set (counted as misses)");
    }

    @Override
    public String toString() {
        return toJson();
    }
}
