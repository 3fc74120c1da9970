package reco.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.model.generation.Generation;
import reco.synth.DemoCatalog;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `reco train` tunes by default, records the search, writes the winner for `--params`, and `inspect` shows it. */
class TrainTuningTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path params;
    static Path tuned;

    @BeforeAll
    static void trainWithTuning() throws Exception {
        data = dir.resolve("demo");
        DemoCatalog.generate(DemoCatalog.Params.builder().items(300).users(250).ratings(12_000).tags(300).build())
                .writeCsv(data);
        params = dir.resolve("tuned.properties");
        tuned = dir.resolve("tuned");
        assertEquals(ExitCodes.OK, Reco.run("train", "--interactions", data.resolve("ratings.csv").toString(),
                "--items", data.resolve("movies.csv").toString(), "--min-weight", "4", "--tune-budget", "10m",
                "--out", tuned.toString(), "--write-params", params.toString()));
    }

    private static Map<String, Object> parameters(Path root) throws Exception {
        try (Generation g = Generation.open(Generation.currentDirectory(root))) {
            return g.manifest().parameters();
        }
    }

    @Test
    void theManifestHoldsTheProfileAndTheSearchAndTheParamsFileTheChoice() throws Exception {
        Map<String, Object> p = parameters(tuned);
        assertTrue(p.get("dataProfile") instanceof Map<?, ?> profile && "RATING_SCALE".equals(profile.get("weightKind")), p.toString());
        Map<?, ?> tuning = (Map<?, ?>) p.get("tuning");
        assertFalse(Boolean.TRUE.equals(tuning.get("budgetReached")), "a 10 minute budget covers the search: " + tuning);
        Map<?, ?> chosen = (Map<?, ?>) tuning.get("chosen");
        Map<String, String> written = ParamsFile.read(params);
        assertEquals(chosen.get("strength"), written.get("strength"));
        assertEquals("4", written.get("min-weight"), "the values given are written too");
        assertEquals(p.get("strength"), chosen.get("strength"), "the retrain used the chosen transform");
    }

    @Test
    void theParamsFileReproducesTheTrainingWithoutTuning() throws Exception {
        Path again = dir.resolve("again");
        assertEquals(ExitCodes.OK, Reco.run("train", "--interactions", data.resolve("ratings.csv").toString(),
                "--items", data.resolve("movies.csv").toString(), "--params", params.toString(), "--no-tune",
                "--out", again.toString()));
        Map<String, Object> first = parameters(tuned);
        Map<String, Object> second = parameters(again);
        assertNull(second.get("tuning"));
        assertEquals(first.get("strength"), second.get("strength"));
        try (Generation a = Generation.open(Generation.currentDirectory(tuned));
             Generation b = Generation.open(Generation.currentDirectory(again))) {
            assertEquals(a.manifest().defaultModel(), b.manifest().defaultModel());
            assertEquals(a.manifest().models().size(), b.manifest().models().size());
            for (int i = 0; i < a.manifest().models().size(); i++) {
                assertEquals(a.manifest().models().get(i).name(), b.manifest().models().get(i).name());
                assertEquals(a.manifest().models().get(i).parameters(), b.manifest().models().get(i).parameters());
            }
        }
    }

    @Test
    void inspectShowsTheProfileAndTheSearch() {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(ExitCodes.OK, Reco.run("inspect", tuned.toString()));
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("profile      {weightKind=RATING_SCALE"), text);
        assertTrue(text.contains("tuning       "), text);
        assertTrue(text.contains("  chosen     {strength="), text);
        assertTrue(text.contains("  trial      transform"), text);
    }

    @Test
    void aBudgetOfZeroIsAUsageError() {
        assertEquals(ExitCodes.USAGE, Reco.run("train", "--interactions", data.resolve("ratings.csv").toString(),
                "--tune-budget", "0s", "--out", dir.resolve("never").toString()));
    }
}
