package reco.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-computed splits of tiny datasets. */
class HoldoutSplitTest {
    @TempDir
    Path dir;

    /**
     * User 10 (listed first) has 10 positives with timestamps 100 - item: h = 2, the latest are items 2
     * then 1. User 2 has 4 positives: not evaluated. User 9 has 6 positives (h = 1); items 9 and 10 share
     * the latest timestamp and integer order puts 10 last (string order would put 9 last); its later low
     * rating stays in train.
     */
    private static final String RATINGS = """
            userId,movieId,rating,timestamp
            10,1,4.0,99
            10,2,4.0,98
            10,3,4.0,97
            10,4,4.0,96
            10,5,4.0,95
            10,6,4.0,94
            10,7,4.0,93
            10,8,4.0,92
            10,9,4.0,91
            10,10,4.0,90
            9,10,5.0,100
            9,9,4.0,100
            9,3,4.5,50
            9,4,4.0,60
            9,5,4.0,70
            9,6,3.5,500
            9,7,4.0,80
            2,1,5,10
            2,2,5,20
            2,3,5,30
            2,4,5,40
            2,5,2,50
            """;

    @Test
    void temporalSplitHoldsOutTheLatestPositives() throws IOException {
        SplitResult split = HoldoutSplit.split(write("ratings.csv", RATINGS), Optional.empty());
        assertEquals(List.of(new UserItem("9", "10"), new UserItem("10", "2"), new UserItem("10", "1")), split.test());
        List<String> expectedTrain = RATINGS.lines().skip(1)
                .filter(l -> !l.startsWith("9,10,") && !l.startsWith("10,1,") && !l.startsWith("10,2,"))
                .map(l -> l.replace(',', '\t')).toList();
        assertEquals(expectedTrain, split.train().stream()
                .map(r -> r.user() + "\t" + r.item() + "\t" + r.weight() + "\t" + r.timestamp()).toList());
        assertEquals(new SplitCounts(22, 3, 10, 20, 19, 3, 10, 3, 2, 0, 0), split.counts());
    }

    @Test
    void writesSplitPyFiles() throws IOException {
        SplitResult split = HoldoutSplit.split(write("ratings.csv", RATINGS), Optional.empty());
        Path out = dir.resolve("out/nested");
        split.write(out);
        assertEquals("9\t10\n10\t2\n10\t1\n", Files.readString(out.resolve("test.tsv")));
        assertTrue(Files.readString(out.resolve("train.tsv")).startsWith("10\t3\t4.0\t97\n10\t4\t4.0\t96\n"));
        String expectedMeta = """
                {
                 "protocol": "holdout-v1",
                 "source": "movielens ratings.csv",
                 "kind": "explicit",
                 "has_timestamps": true,
                 "positive_rating": 4.0,
                 "min_positives": 5,
                 "seed": null,
                 "counts": {
                  "rows": 22,
                  "users": 3,
                  "items": 10,
                  "positives": 20,
                  "train_rows": 19,
                  "train_users": 3,
                  "train_items": 10,
                  "test_rows": 3,
                  "test_users": 2,
                  "test_items_not_in_train": 0,
                  "test_rows_item_not_in_train": 0
                 }
                }""";
        assertEquals(expectedMeta, Files.readString(out.resolve("meta.json")));
        assertFalse(Files.exists(out.resolve("meta.json.tmp")));
        assertTrue(split.summary().startsWith("holdout-v1: movielens ratings.csv, explicit, timestamps=yes\n"
                + "  rows                         22\n"));
    }

    @Test
    void crlfAndBlankLinesReadLikeUniversalNewlines() throws IOException {
        String crlf = RATINGS.replace("\n", "\r\n").replace("9,3,4.5,50", "\r\n  \r\n9,3,4.5,50");
        SplitResult a = HoldoutSplit.split(write("ratings.csv", RATINGS), Optional.empty());
        Files.createDirectories(dir.resolve("crlf"));
        Path file = dir.resolve("crlf/ratings.csv");
        Files.writeString(file, crlf);
        SplitResult b = HoldoutSplit.split(file, Optional.empty());
        assertEquals(a.test(), b.test());
        assertEquals(a.counts(), b.counts());
        assertEquals(a.metaJson(), b.metaJson());
    }

    /**
     * Without timestamps: default_rng(42).permutation(5) = [4, 2, 3, 1, 0], then permutation(6) =
     * [0, 3, 5, 1, 2, 4]. User "a" (5 items, x1..x5 in item order) -> order x5 x3 x4 x2 x1, holds out x1;
     * "a0" has 3 positives and draws nothing; "b" (y1..y6) -> y1 y4 y6 y2 y3 y5, holds out y5.
     */
    @Test
    void splitWithoutTimestampsFollowsDefaultRng42() throws IOException {
        String rows = """
                b\ty6\t1\t0
                a\tx3\t2\t0
                a0\tz1\t1\t0
                b\ty2\t1\t0
                a\tx1\t1\t0
                b\ty4\t3\t0
                a\tx5\t1\t0
                a0\tz2\t1\t0
                b\ty1\t1\t0
                a\tx2\t1\t0
                b\ty5\t1\t0
                a0\tz3\t1\t0
                a\tx4\t1\t0
                b\ty3\t1\t0
                """;
        SplitResult split = HoldoutSplit.split(write("train.tsv", rows), Optional.empty());
        assertEquals(Kind.IMPLICIT, split.kind());
        assertFalse(split.hasTimestamps());
        assertEquals(List.of(new UserItem("a", "x1"), new UserItem("b", "y5")), split.test());
        assertTrue(split.metaJson().contains("\"source\": \"train.tsv (train.tsv)\",\n \"kind\": \"implicit\",\n"
                + " \"has_timestamps\": false,\n \"positive_rating\": null,\n \"min_positives\": 5,\n \"seed\": 42,"));
    }

    @Test
    void integerTimestampsAndIdsTieInInputOrder() throws IOException {
        // "7" and "07" are both the integer 7 with the same timestamp: Python's stable sort keeps input order.
        String rows = "5\t1\t1\t1\n5\t2\t1\t2\n5\t3\t1\t3\n5\t7\t1\t9\n5\t07\t1\t009\n";
        SplitResult split = HoldoutSplit.split(write("train.tsv", rows), Optional.empty());
        assertTrue(split.hasTimestamps());
        assertEquals(List.of(new UserItem("5", "07")), split.test());
    }

    @Test
    void kindComesFromMetaJsonUnlessGiven() throws IOException {
        String rows = "u\ta\t4\t0\nu\tb\t4\t0\nu\tc\t4\t0\nu\td\t4\t0\nu\te\t4\t0\nu\tf\t1\t0\n";
        Path train = write("train.tsv", rows);
        Files.writeString(dir.resolve("meta.json"), "{\"protocol\": \"holdout-v1\", \"kind\": \"explicit\"}");
        SplitResult fromMeta = HoldoutSplit.split(dir, Optional.empty());
        assertEquals(Kind.EXPLICIT, fromMeta.kind());
        assertEquals(5, fromMeta.counts().positives());
        SplitResult given = HoldoutSplit.split(train, Optional.of("implicit"));
        assertEquals(Kind.IMPLICIT, given.kind());
        assertEquals(6, given.counts().positives());
        assertThrows(IllegalArgumentException.class, () -> HoldoutSplit.split(train, Optional.of("ratings")));
    }

    @Test
    void rejectsDuplicatePairsWithLineNumbers() throws IOException {
        Path file = write("train.tsv", "u\ta\t1\t0\n\nu\tb\t1\t0\nu\ta\t2\t0\n");
        EvalInputException e = assertThrows(EvalInputException.class, () -> HoldoutSplit.split(file, Optional.empty()));
        assertTrue(e.getMessage().endsWith("train.tsv:4: duplicate (user, item) pair (u, a), first on line 1"),
                e.getMessage());
    }

    @Test
    void rejectsMalformedInput() throws IOException {
        Path udata = write("u.data", "1\t2\t3\t4\n1\t2\t3\n");
        EvalInputException fields = assertThrows(EvalInputException.class,
                () -> HoldoutSplit.split(udata, Optional.empty()));
        assertTrue(fields.getMessage().contains("u.data:2: expected 4 fields"), fields.getMessage());

        Files.delete(udata);
        Path csv = write("ratings.csv", "user,item,rating,timestamp\n1,2,3,4\n");
        EvalInputException header = assertThrows(EvalInputException.class,
                () -> HoldoutSplit.split(csv, Optional.empty()));
        assertTrue(header.getMessage().contains("ratings.csv:1: expected a header"), header.getMessage());

        Path badRating = write("ratings.csv", "userId,movieId,rating,timestamp\n1,2,four,4\n");
        EvalInputException rating = assertThrows(EvalInputException.class,
                () -> HoldoutSplit.split(badRating, Optional.empty()));
        assertTrue(rating.getMessage().contains("ratings.csv:2: rating is not a number"), rating.getMessage());

        String sixPositives = "userId,movieId,rating,timestamp\n" + "1,1,5,1\n1,2,5,2\n1,3,5,3\n1,4,5,4\n1,5,5,5\n1,6,5,x\n";
        Path badTime = write("ratings.csv", sixPositives);
        EvalInputException time = assertThrows(EvalInputException.class,
                () -> HoldoutSplit.split(badTime, Optional.empty()));
        assertTrue(time.getMessage().contains("ratings.csv:7: timestamp is not an integer: 'x'"), time.getMessage());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThrows(EvalInputException.class, () -> HoldoutSplit.split(empty, Optional.empty()));
    }

    @Test
    void byUserViewsKeepFileOrder() throws IOException {
        SplitResult split = HoldoutSplit.split(write("ratings.csv", RATINGS), Optional.empty());
        assertEquals(List.of("9", "10"), List.copyOf(split.testByUser().keySet()));
        assertEquals(List.of("2", "1"), split.testByUser().get("10"));
        assertEquals("9,3,4,5,6,7", String.join(",", split.trainByUser().get("9")));
        assertEquals(List.of("10", "9", "2"), List.copyOf(split.trainByUser().keySet()));
        assertEquals(19, split.trainByUser().values().stream().mapToInt(List::size).sum());
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
