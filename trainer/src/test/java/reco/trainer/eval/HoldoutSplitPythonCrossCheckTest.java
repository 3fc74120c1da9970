package reco.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java split against the reference split.py on the same input: train.tsv, test.tsv and meta.json
 * must be byte-identical. Fails without python3 + numpy or without the shared folder
 * ({@code -Dreco.shared.dir=...}, default ../shared).
 */
class HoldoutSplitPythonCrossCheckTest {
    @TempDir
    Path dir;

    @BeforeEach
    void requirePython() {
        PythonReference.requirePython();
    }

    @Test
    void movieLensSmallMatchesSplitPyAndProtocolCounts() throws IOException {
        Path data = PythonReference.movieLensSmall();
        SplitResult split = assertSameAsSplitPy(data, Optional.empty(), "ml");
        // PROTOCOL.md reference counts
        SplitCounts c = split.counts();
        assertEquals(100_836, c.rows());
        assertEquals(610, c.users());
        assertEquals(9_724, c.items());
        assertEquals(48_580, c.positives());
        assertEquals(91_361, c.trainRows());
        assertEquals(603, c.testUsers());
        assertEquals(9_475, c.testRows());

        // validation split: holdout-v1 applied to train.tsv (kind from the meta.json beside it)
        SplitResult validation = assertSameAsSplitPy(dir.resolve("ml-java/train.tsv"), Optional.empty(), "val");
        assertEquals(Kind.EXPLICIT, validation.kind());

        // no timestamps: the same train.tsv with every timestamp 0, implicit (no meta.json beside it)
        Path noTimestamps = Files.createDirectories(dir.resolve("no-ts"));
        List<String> lines = new ArrayList<>();
        for (RawRow r : split.train()) {
            lines.add(r.user() + "\t" + r.item() + "\t" + r.weight() + "\t0");
        }
        Files.write(noTimestamps.resolve("train.tsv"), lines, StandardCharsets.UTF_8);
        SplitResult implicit = assertSameAsSplitPy(noTimestamps, Optional.empty(), "nots-implicit");
        assertEquals(Kind.IMPLICIT, implicit.kind());
        assertEquals(false, implicit.hasTimestamps());
        // ... and read as explicit: low ratings are not positives and stay in train
        assertSameAsSplitPy(noTimestamps.resolve("train.tsv"), Optional.of("explicit"), "nots-explicit");
    }

    /**
     * Synthetic data exercising id order: string ids with non-ASCII and supplementary characters (code
     * point order), integer ids written differently ("7", "07", "+7", " 7", "1_0") that tie, timestamps
     * that tie, and explicit ratings around 4.0 written in several ways.
     */
    @Test
    void syntheticIdsMatchSplitPy() throws IOException {
        Random random = new Random(20240611);
        String[] stringIds = {"a", "B", "b", "\u00e9", "\uffff", "\ud800\udc00", "\ud83d\ude00", "z9", "z10", "7"};
        String[] intIds = {"7", "07", "+7", " 7", "1_0", "10", "3", "-2", "0", "12345678901234567890", "\u0664"};
        String[] ratings = {"4", "4.0", "3.5", "5", " 4.5", "1", "4e0", "3.99"};
        for (boolean stringUsers : new boolean[] {true, false}) {
            for (boolean timestamps : new boolean[] {true, false}) {
                // one kind per combination keeps the number of (slow) Python runs down; both kinds, with
                // and without timestamps, are covered
                String kind = stringUsers == timestamps ? "explicit" : "implicit";
                Set<String> pairs = new HashSet<>();
                List<String> lines = new ArrayList<>();
                for (int row = 0; row < 600; row++) {
                    String user = stringUsers ? "u" + stringIds[random.nextInt(stringIds.length)]
                            : intIds[random.nextInt(intIds.length)];
                    String item = random.nextBoolean() ? stringIds[random.nextInt(stringIds.length)]
                            + random.nextInt(12) : intIds[random.nextInt(intIds.length)] + "_" + random.nextInt(3);
                    if (!stringUsers) {
                        item = Integer.toString(random.nextInt(60)); // integer items too
                        if (random.nextInt(10) == 0) {
                            item = "0" + item;
                        }
                    }
                    if (!pairs.add(user + "\t" + item)) {
                        continue;
                    }
                    String ts = timestamps ? Integer.toString(random.nextInt(5)) : "0";
                    lines.add(user + "\t" + item + "\t" + ratings[random.nextInt(ratings.length)] + "\t" + ts);
                }
                Path folder = Files.createDirectories(dir.resolve("synthetic-" + stringUsers + "-" + timestamps));
                Files.write(folder.resolve("train.tsv"), lines, StandardCharsets.UTF_8);
                SplitResult split = assertSameAsSplitPy(folder, Optional.of(kind), "syn-" + stringUsers + timestamps);
                assertEquals(timestamps, split.hasTimestamps());
                assertEquals(true, split.counts().testRows() > 10, "the synthetic data evaluates users");
            }
        }
    }

    private SplitResult assertSameAsSplitPy(Path dataset, Optional<String> kind, String name) throws IOException {
        Path python = dir.resolve(name + "-python");
        Path java = dir.resolve(name + "-java");
        List<String> args = new ArrayList<>(List.of(dataset.toString(), python.toString()));
        kind.ifPresent(k -> args.addAll(List.of("--kind", k)));
        PythonReference.Output out = PythonReference.runScript("split.py", args.toArray(String[]::new));
        SplitResult split = HoldoutSplit.split(dataset, kind);
        split.write(java);
        for (String file : List.of("train.tsv", "test.tsv", "meta.json")) {
            assertArrayEquals(Files.readAllBytes(python.resolve(file)), Files.readAllBytes(java.resolve(file)),
                    name + ": " + file + " differs from split.py's");
        }
        assertEquals(out.stdout(), split.summary(), name + ": summary");
        return split;
    }
}
