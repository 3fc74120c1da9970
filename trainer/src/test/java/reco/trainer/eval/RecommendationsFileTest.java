package reco.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommendationsFileTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsBack() throws IOException {
        Map<String, List<String>> recs = new LinkedHashMap<>();
        recs.put("u1", List.of("i1", "i2", "\u00e9\ud83d\ude00"));
        recs.put("u2", List.of());
        recs.put("u 3", List.of("x"));
        Path file = dir.resolve("recs.tsv");
        RecommendationsFile.write(file, recs);
        assertEquals("u1\ti1,i2,\u00e9\ud83d\ude00\nu2\t\nu 3\tx\n", Files.readString(file));
        assertEquals(recs, RecommendationsFile.read(file));
        assertTrue(Files.notExists(dir.resolve("recs.tsv.tmp")));
    }

    @Test
    void readsLikeMetricsPy() throws IOException {
        Path file = dir.resolve("recs.tsv");
        Files.writeString(file, "a\tx,,y,\tignored\r\nb\nc\t\n");
        Map<String, List<String>> recs = RecommendationsFile.read(file);
        assertEquals(Map.of("a", List.of("x", "y"), "b", List.of(), "c", List.of()), recs);
    }

    @Test
    void rejectsRepeatedUsers() throws IOException {
        Path file = dir.resolve("recs.tsv");
        Files.writeString(file, "a\tx\nb\ty\na\tz\n");
        EvalInputException e = assertThrows(EvalInputException.class, () -> RecommendationsFile.read(file));
        assertTrue(e.getMessage().endsWith("recs.tsv:3: user a listed twice"), e.getMessage());
        try (RecommendationsFile.Writer writer = RecommendationsFile.open(dir.resolve("out.tsv"))) {
            writer.write("a", List.of("x"));
            assertThrows(IllegalArgumentException.class, () -> writer.write("a", List.of("y")));
        }
    }

    @Test
    void rejectsIdsTheFormatCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> RecommendationsFile.line("a\tb", List.of("x")));
        assertThrows(IllegalArgumentException.class, () -> RecommendationsFile.line("a", List.of("x,y")));
        assertThrows(IllegalArgumentException.class, () -> RecommendationsFile.line("a", List.of("x\n")));
        assertThrows(IllegalArgumentException.class, () -> RecommendationsFile.line("a", List.of("")));
        assertEquals("a\tx,y", RecommendationsFile.line("a", List.of("x", "y")));
    }
}
