package reco.trainer.eval;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The holdout-v1 split (shared/eval/PROTOCOL.md), byte-for-byte the output of the reference split.py.
 *
 * <p>Per user, the positives (explicit: rating >= 4.0; implicit: every row) are counted; users with fewer
 * than {@value #MIN_POSITIVES} stay entirely in train. Every other user holds out
 * {@code h = max(1, n / 5)} positives: the latest by (timestamp, item id), or, without timestamps, the
 * last {@code h} of the item-ordered positives reordered by {@code default_rng(42).permutation(n)}, one
 * generator for the whole split, users visited in ascending id order.
 *
 * <pre>{@code
 * SplitResult split = HoldoutSplit.split(Path.of("ml-latest-small"), Optional.empty());
 * split.write(Path.of("out/holdout"));   // train.tsv, test.tsv, meta.json
 * }</pre>
 */
public final class HoldoutSplit {
    public static final String PROTOCOL = "holdout-v1";
    /** Explicit datasets: a rating at or above this is a positive. */
    public static final double POSITIVE_RATING = 4.0;
    /** Users with fewer positives are not evaluated: all their rows stay in train. */
    public static final int MIN_POSITIVES = 5;
    /** {@code default_rng} seed for datasets without timestamps. */
    public static final long SEED = 42;

    private HoldoutSplit() {}

    /**
     * Reads {@code dataset} (see {@link HoldoutDataset#read}) and splits it.
     *
     * @param kind {@code "explicit"} or {@code "implicit"}; used only for a train.tsv, where it wins over
     *     meta.json (as split.py's --kind does)
     * @throws IllegalArgumentException for any other kind
     */
    public static SplitResult split(Path dataset, Optional<String> kind) throws IOException {
        return split(HoldoutDataset.read(dataset, kind.map(Kind::parse)));
    }

    /** Splits with the protocol's seed ({@value #SEED}). */
    public static SplitResult split(HoldoutDataset data) throws EvalInputException {
        return split(data, SEED);
    }

    /**
     * Splits with the given {@code default_rng} seed (only used when the data has no timestamps).
     *
     * @throws EvalInputException for a repeated (user, item) pair, a non-numeric weight in explicit data,
     *     or a non-integer timestamp of a positive of an evaluated user (file:line)
     */
    public static SplitResult split(HoldoutDataset data, long seed) throws EvalInputException {
        List<RawRow> rows = data.rows();
        Path file = data.file();
        Map<UserItem, RawRow> firstRow = new HashMap<>(rows.size() * 2);
        Set<String> users = new LinkedHashSet<>();
        Set<String> items = new LinkedHashSet<>();
        for (RawRow r : rows) {
            RawRow previous = firstRow.putIfAbsent(new UserItem(r.user(), r.item()), r);
            if (previous != null) {
                throw EvalInputException.at(file, r.line(), "duplicate (user, item) pair (" + r.user() + ", "
                        + r.item() + "), first on line " + previous.line());
            }
            users.add(r.user());
            items.add(r.item());
        }
        IdOrder userOrder = new IdOrder(users);
        IdOrder itemOrder = new IdOrder(items);

        // user -> positive rows in input order; users in order of their first positive (a Python dict)
        Map<String, List<RawRow>> positives = new LinkedHashMap<>();
        long positiveCount = 0;
        for (RawRow r : rows) {
            if (isPositive(data, r)) {
                positives.computeIfAbsent(r.user(), u -> new ArrayList<>()).add(r);
                positiveCount++;
            }
        }
        List<String> evaluationOrder = new ArrayList<>(positives.keySet());
        evaluationOrder.sort(Comparator.comparingInt(userOrder::rank)); // stable, as Python's sorted

        NumpyRandom rng = NumpyRandom.defaultRng(seed);
        List<UserItem> test = new ArrayList<>();
        for (String user : evaluationOrder) {
            List<RawRow> pos = positives.get(user);
            int n = pos.size();
            if (n < MIN_POSITIVES) {
                continue;
            }
            List<RawRow> order;
            if (data.hasTimestamps()) {
                Map<RawRow, BigInteger> time = new HashMap<>(n * 2);
                for (RawRow r : pos) {
                    time.put(r, timestamp(file, r));
                }
                order = new ArrayList<>(pos);
                order.sort(Comparator.<RawRow, BigInteger>comparing(time::get)
                        .thenComparingInt(r -> itemOrder.rank(r.item())));
            } else {
                List<RawRow> byItem = new ArrayList<>(pos);
                byItem.sort(Comparator.comparingInt(r -> itemOrder.rank(r.item())));
                int[] permutation = rng.permutation(n);
                order = new ArrayList<>(n);
                for (int k : permutation) {
                    order.add(byItem.get(k));
                }
            }
            int h = Math.max(1, n / 5);
            for (RawRow r : order.subList(n - h, n)) {
                test.add(new UserItem(user, r.item()));
            }
        }

        Set<UserItem> held = new HashSet<>(test);
        List<RawRow> train = new ArrayList<>(rows.size() - test.size());
        for (RawRow r : rows) {
            if (!held.contains(new UserItem(r.user(), r.item()))) {
                train.add(r);
            }
        }
        return new SplitResult(data, seed, train, test, counts(rows, users.size(), items.size(), positiveCount,
                train, test));
    }

    private static boolean isPositive(HoldoutDataset data, RawRow r) throws EvalInputException {
        if (data.kind() == Kind.IMPLICIT) {
            return true;
        }
        try {
            return PythonCompat.parseFloat(r.weight()) >= POSITIVE_RATING;
        } catch (NumberFormatException e) {
            throw EvalInputException.at(data.file(), r.line(), "rating is not a number: '" + r.weight() + "'");
        }
    }

    private static BigInteger timestamp(Path file, RawRow r) throws EvalInputException {
        BigInteger t = PythonCompat.parseInt(r.timestamp());
        if (t == null) {
            throw EvalInputException.at(file, r.line(), "timestamp is not an integer: '" + r.timestamp() + "'");
        }
        return t;
    }

    private static SplitCounts counts(List<RawRow> rows, long users, long items, long positives, List<RawRow> train,
            List<UserItem> test) {
        Set<String> trainUsers = new HashSet<>();
        Set<String> trainItems = new HashSet<>();
        for (RawRow r : train) {
            trainUsers.add(r.user());
            trainItems.add(r.item());
        }
        Set<String> testUsers = new HashSet<>();
        Set<String> testItemsNotInTrain = new HashSet<>();
        long testRowsItemNotInTrain = 0;
        for (UserItem p : test) {
            testUsers.add(p.user());
            if (!trainItems.contains(p.item())) {
                testItemsNotInTrain.add(p.item());
                testRowsItemNotInTrain++;
            }
        }
        return new SplitCounts(rows.size(), users, items, positives, train.size(), trainUsers.size(),
                trainItems.size(), test.size(), testUsers.size(), testItemsNotInTrain.size(), testRowsItemNotInTrain);
    }
}
