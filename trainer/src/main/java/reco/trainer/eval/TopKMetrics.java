package reco.trainer.eval;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Top-K metrics of holdout-v1 (shared/eval/PROTOCOL.md section 5), value-for-value the reference
 * metrics.py: the same float operations in the same order, then Python's {@code round(x, 6)}.
 *
 * <p>For each user of the test pairs, with held-out set T and ranked list L cut at K and
 * {@code m = min(K, |T|)}: an item of the user's train rows is <em>flagged</em> and scores as a miss, as
 * does a repeat of an item listed higher; otherwise rank r is a hit when {@code L[r]} is in T. Then
 * precision = hits / K, recall = hits / m, NDCG = DCG / IDCG with binary gains {@code 1 / log2(r + 1)},
 * hit rate = [hits > 0], AP = (1/m) sum over hit ranks of (hits so far / r). Every metric is the mean
 * over <em>all</em> test users (a user absent from the recommendations scores 0). Coverage@K = distinct
 * items in the first K ranks of the test users' lists / distinct items of train.
 */
public final class TopKMetrics {
    /** metrics.py's default cut-offs. */
    public static final List<Integer> DEFAULT_KS = List.of(10, 20);
    /** Metric names in metrics.py's output order (coverage comes last, after every per-user metric). */
    public static final List<String> PER_USER_METRICS = List.of("precision", "recall", "ndcg", "hitrate", "map");
    public static final String COVERAGE = "coverage";
    /** Decimal places of the reported values ({@code round(x, 6)}). */
    public static final int DECIMALS = 6;

    private TopKMetrics() {}

    /**
     * Reads train.tsv, test.tsv and a RECS file the way metrics.py does and evaluates them.
     *
     * @throws EvalInputException for a user listed twice in {@code recs} (file:line) or unreadable files
     */
    public static MetricsResult evaluate(Path train, Path test, Path recs, Collection<Integer> ks) throws IOException {
        return evaluate(readPairs(train), readPairs(test), RecommendationsFile.read(recs), ks);
    }

    /**
     * Computes the metrics.
     *
     * @param train user -> items of the user's train rows (any weight)
     * @param test user -> held-out items; its iteration order is the order of summation, so pass an
     *     insertion-ordered map in test.tsv order (as {@link #readPairs} returns) for values identical to
     *     metrics.py's
     * @param recs user -> ranked items, best first
     * @param ks cut-offs, each >= 1; duplicates are ignored and the order does not matter
     * @throws IllegalArgumentException for an empty or non-positive {@code ks}, or a test user without items
     */
    public static MetricsResult evaluate(Map<String, ? extends List<String>> train,
            Map<String, ? extends List<String>> test, Map<String, ? extends List<String>> recs,
            Collection<Integer> ks) {
        List<Integer> cutoffs = checkKs(ks);
        int kmax = cutoffs.getLast();
        int kCount = cutoffs.size();
        Set<String> trainItems = new HashSet<>();
        for (List<String> items : train.values()) {
            trainItems.addAll(items);
        }
        double[][] sums = new double[kCount][PER_USER_METRICS.size()];
        List<Set<String>> recommended = new ArrayList<>(kCount);
        for (int k = 0; k < kCount; k++) {
            recommended.add(new HashSet<>());
        }
        long flagged = 0;
        long flaggedUsers = 0;
        long duplicates = 0;
        long missing = 0;
        long shortLists = 0;
        for (Map.Entry<String, ? extends List<String>> entry : test.entrySet()) {
            String user = entry.getKey();
            Set<String> relevant = new HashSet<>(entry.getValue());
            if (relevant.isEmpty()) {
                throw new IllegalArgumentException("test user " + user + " has no held-out items");
            }
            List<String> ranked = recs.get(user);
            if (ranked == null) {
                missing++;
                continue;
            }
            List<String> seenList = train.get(user);
            Set<String> seen = seenList == null ? Set.of() : new HashSet<>(seenList);
            ranked = ranked.subList(0, Math.min(kmax, ranked.size()));
            if (ranked.size() < kmax) {
                shortLists++;
            }
            boolean[] hit = new boolean[ranked.size()];
            Set<String> earlier = new HashSet<>();
            long userFlagged = 0;
            for (int r = 0; r < ranked.size(); r++) {
                String item = ranked.get(r);
                if (seen.contains(item)) {
                    userFlagged++;
                } else if (earlier.contains(item)) {
                    duplicates++;
                } else {
                    hit[r] = relevant.contains(item);
                }
                earlier.add(item);
            }
            flagged += userFlagged;
            if (userFlagged > 0) {
                flaggedUsers++;
            }
            for (int c = 0; c < kCount; c++) {
                int k = cutoffs.get(c);
                int depth = Math.min(k, ranked.size());
                recommended.get(c).addAll(ranked.subList(0, depth));
                int hits = 0;
                double dcg = 0;
                double ap = 0;
                for (int r = 0; r < depth; r++) {
                    if (hit[r]) {
                        hits++;
                        dcg += 1.0 / PythonCompat.log2(r + 2);
                        ap += (double) hits / (r + 1);
                    }
                }
                int denominator = Math.min(k, relevant.size());
                double idcg = 0;
                for (int r = 0; r < denominator; r++) {
                    idcg += 1.0 / PythonCompat.log2(r + 2);
                }
                double[] s = sums[c];
                s[0] += (double) hits / k;
                s[1] += (double) hits / denominator;
                s[2] += dcg / idcg;
                s[3] += hits > 0 ? 1 : 0;
                s[4] += ap / denominator;
            }
        }
        int users = test.size();
        Map<String, Double> values = new LinkedHashMap<>();
        for (int c = 0; c < kCount; c++) {
            for (int m = 0; m < PER_USER_METRICS.size(); m++) {
                values.put(PER_USER_METRICS.get(m) + "@" + cutoffs.get(c),
                        users == 0 ? 0.0 : PythonCompat.round(sums[c][m] / users, DECIMALS));
            }
        }
        for (int c = 0; c < kCount; c++) {
            values.put(COVERAGE + "@" + cutoffs.get(c), trainItems.isEmpty() ? 0.0
                    : PythonCompat.round((double) recommended.get(c).size() / trainItems.size(), DECIMALS));
        }
        return new MetricsResult(cutoffs, users, missing, shortLists, flagged, flaggedUsers, duplicates, values);
    }

    /**
     * metrics.py's {@code read_pairs}: user -> items (file order) from the first two tab-separated fields
     * of each line; lines with fewer than two fields are skipped. Works for train.tsv and test.tsv.
     */
    public static Map<String, List<String>> readPairs(Path file) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        TextFiles.forEachLine(file, (number, text) -> {
            String[] p = TextFiles.split(text, '\t');
            if (p.length >= 2) {
                out.computeIfAbsent(p[0], u -> new ArrayList<>()).add(p[1]);
            }
        });
        return out;
    }

    /**
     * Parses a comma-separated list of cut-offs like metrics.py's {@code --k} ({@code "10,20"}): sorted,
     * without duplicates.
     *
     * @throws IllegalArgumentException when a value is not an integer >= 1
     */
    public static List<Integer> parseKs(String commaSeparated) {
        TreeSet<Integer> ks = new TreeSet<>();
        for (String part : TextFiles.split(commaSeparated, ',')) {
            BigInteger k = PythonCompat.parseInt(part);
            if (k == null || k.signum() <= 0 || k.bitLength() > 31) {
                throw new IllegalArgumentException("k must be a comma-separated list of integers in [1, "
                        + Integer.MAX_VALUE + "], got '" + commaSeparated + "'");
            }
            ks.add(k.intValueExact());
        }
        return List.copyOf(ks);
    }

    private static List<Integer> checkKs(Collection<Integer> ks) {
        if (ks == null || ks.isEmpty()) {
            throw new IllegalArgumentException("ks must list at least one cut-off, got " + ks);
        }
        TreeSet<Integer> sorted = new TreeSet<>();
        for (Integer k : ks) {
            if (k == null || k < 1) {
                throw new IllegalArgumentException("every k must be >= 1, got " + ks);
            }
            sorted.add(k);
        }
        return List.copyOf(sorted);
    }
}
