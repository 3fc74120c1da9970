package reco.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java metrics against the reference metrics.py on the same files: its JSON line and table must be
 * reproduced exactly (so every value agrees to the printed 6 decimals, stricter than 1e-6). Fails
 * without python3 + numpy or the shared folder.
 */
class TopKMetricsPythonCrossCheckTest {
    @TempDir
    Path dir;

    @BeforeEach
    void requirePython() {
        PythonReference.requirePython();
    }

    @Test
    void popularityWithAnomaliesMatchesMetricsPy() throws IOException {
        SplitResult split = HoldoutSplit.split(PythonReference.movieLensSmall(), Optional.empty());
        Path splitDir = dir.resolve("split");
        split.write(splitDir);
        Map<String, List<String>> train = split.trainByUser();
        Map<String, List<String>> test = split.testByUser();

        Map<String, Integer> popularity = new HashMap<>();
        for (RawRow r : split.train()) {
            popularity.merge(r.item(), 1, Integer::sum);
        }
        List<String> byPopularity = new ArrayList<>(popularity.keySet());
        byPopularity.sort(Comparator.<String>comparingInt(popularity::get).reversed().thenComparing(i -> i));

        Map<String, List<String>> recs = new LinkedHashMap<>();
        recs.put("no-such-user", List.of("1", "2"));
        int index = 0;
        for (Map.Entry<String, List<String>> entry : test.entrySet()) {
            index++;
            String user = entry.getKey();
            if (index % 7 == 0) {
                continue; // missing user
            }
            Set<String> seen = new HashSet<>(train.getOrDefault(user, List.of()));
            List<String> list = new ArrayList<>();
            for (String item : byPopularity) {
                if (list.size() == 60) {
                    break;
                }
                if (!seen.contains(item)) {
                    list.add(item);
                }
            }
            List<String> heldOut = entry.getValue();
            if (index % 3 == 0) {
                list.add(Math.min(4, list.size()), heldOut.getFirst()); // a hit at rank 5
            }
            if (index % 5 == 0) {
                list.addAll(0, heldOut.subList(0, Math.min(3, heldOut.size()))); // hits at the top
            }
            if (index % 11 == 0 && !seen.isEmpty()) {
                List<String> trainItems = train.get(user);
                list.add(0, trainItems.getFirst()); // flagged items
                list.add(4, trainItems.getLast());
            }
            if (index % 13 == 0) {
                list.add(2, list.getFirst()); // duplicate
                list.add(9, heldOut.getLast()); // maybe a repeat of a hit
            }
            if (index % 17 == 0) {
                list = new ArrayList<>(list.subList(0, 8)); // short list
            }
            if (index % 19 == 0) {
                list = List.of(); // empty list
            }
            recs.put(user, list);
        }
        Path recsFile = dir.resolve("recs.tsv");
        RecommendationsFile.write(recsFile, recs);

        Path trainFile = splitDir.resolve("train.tsv");
        Path testFile = splitDir.resolve("test.tsv");
        for (String ks : List.of("10,20", "1,5,7,50,20")) {
            PythonReference.Output python = PythonReference.runScript("metrics.py", trainFile.toString(),
                    testFile.toString(), recsFile.toString(), "--k", ks);
            MetricsResult fromFiles = TopKMetrics.evaluate(trainFile, testFile, recsFile, TopKMetrics.parseKs(ks));
            assertEquals(python.stdout(), fromFiles.toJson() + "\n" + fromFiles.toTable() + "\n", "--k " + ks);
            assertEquals(python.stderr().strip(), fromFiles.trainItemsWarning().orElse(""));
            // the in-memory form gives the same result as reading the files
            MetricsResult inMemory = TopKMetrics.evaluate(train, test, recs, TopKMetrics.parseKs(ks));
            assertEquals(fromFiles.toJson(), inMemory.toJson());
            // the anomalies are really exercised
            assertEquals(true, fromFiles.missingUsers() > 0 && fromFiles.shortLists() > 0
                    && fromFiles.trainItemsRecommended() > 0 && fromFiles.duplicateItems() > 0, fromFiles.toJson());
        }
    }

    /** NDCG's discounts: {@code math.log2} of the ranks, bit for bit (glibc is not always correctly rounded). */
    @Test
    void log2MatchesPythonForRanks() throws IOException {
        int max = 4000;
        String[] hex = PythonReference.runPython("import math\nfor n in range(1, " + (max + 1) + "): "
                + "print(math.log2(n).hex())").stdout().split("\n");
        assertEquals(max, hex.length);
        for (int n = 1; n <= max; n++) {
            assertEquals(Double.parseDouble(hex[n - 1]), PythonCompat.log2(n), "log2(" + n + ")");
        }
    }

    @Test
    void tinyExampleMatchesMetricsPy() throws IOException {
        Path trainFile = dir.resolve("train.tsv");
        Path testFile = dir.resolve("test.tsv");
        Path recsFile = dir.resolve("recs.tsv");
        java.nio.file.Files.writeString(trainFile, "u\tt\t1\t0\nv\ta\t1\t0\n");
        java.nio.file.Files.writeString(testFile, "u\ta\nu\tb\nu\tc\nv\tb\nw\tz\n");
        java.nio.file.Files.writeString(recsFile, "u\ta,x,b,y\nv\ta,b,b,c\n");
        PythonReference.Output python = PythonReference.runScript("metrics.py", trainFile.toString(),
                testFile.toString(), recsFile.toString(), "--k", "4,2,3");
        MetricsResult r = TopKMetrics.evaluate(trainFile, testFile, recsFile, TopKMetrics.parseKs("4,2,3"));
        assertEquals(python.stdout(), r.toJson() + "\n" + r.toTable() + "\n");
    }
}
