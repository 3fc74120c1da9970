package reco.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import reco.model.ModelKind;
import reco.trainer.pipeline.TrainSettings;
import reco.synth.DemoCatalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TuneCommandTest {
    @TempDir
    Path dir;

    private static TrainSettings parseTrain(String... args) {
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs(args);
        return command.training.toSettings();
    }

    @Test
    void tuneWritesParamsThatTrainReadsBack() throws Exception {
        Path data = dir.resolve("demo");
        DemoCatalog.generate(DemoCatalog.Params.builder().items(200).users(150).ratings(6_000).tags(100).build()).writeCsv(data);
        Path params = dir.resolve("best.properties");
        int code = Reco.run("tune", "--dataset", data.resolve("ratings.csv").toString(), "--model", "ease",
                "--max-trials", "3", "--budget", "120", "--min-weight", "3", "--write-params", params.toString());
        assertEquals(ExitCodes.OK, code);
        Map<String, String> written = ParamsFile.read(params);
        assertEquals("3", written.get("min-weight"), "fixed options are kept: " + written);
        assertTrue(written.containsKey("ease-lambda") || written.isEmpty() || written.size() == 1, written.toString());

        TrainSettings settings = parseTrain("--interactions", data.toString(), "--out", dir.toString(),
                "--params", params.toString());
        assertEquals(3f, settings.minWeight());
        if (written.containsKey("ease-lambda")) {
            assertEquals(Double.parseDouble(written.get("ease-lambda")), settings.ease().lambda());
        }
        TrainSettings overridden = parseTrain("--interactions", data.toString(), "--out", dir.toString(),
                "--params", params.toString(), "--ease-lambda", "7", "--min-weight", "2");
        assertEquals(7.0, overridden.ease().lambda(), "flags override the file");
        assertEquals(2f, overridden.minWeight());
    }

    @Test
    void paramsFileRoundTripsEveryKnob() throws Exception {
        Path file = dir.resolve("p.properties");
        ParamsFile.write(file, Map.of("ease-lambda", "123", "hybrid-weights", "ease=1.0,als=0.5",
                "als-factors", "48", "strength", "binary", "knn-shrink", "25"), List.of("test"));
        TrainSettings s = parseTrain("--interactions", "x", "--out", "y", "--params", file.toString());
        assertEquals(123.0, s.ease().lambda());
        assertEquals(Map.of(ModelKind.EASE, 1.0, ModelKind.ALS, 0.5), s.hybridWeights());
        assertEquals(48, s.als().factors());
        assertEquals(reco.trainer.data.TrainingData.Strength.BINARY, s.strength());
        assertEquals(25.0, s.itemKnn().shrink());
    }

    @Test
    void unknownKeysInAParamsFileAreRejectedWithTheFileName() throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "ease-lambda=5\neas-lambda=6\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParamsFile.read(file));
        assertTrue(e.getMessage().contains("bad.properties") && e.getMessage().contains("eas-lambda"), e.getMessage());
    }

    @Test
    void candidatesStartWithTheDefaultsAndAreDistinct() {
        var space = TuneCommand.searchSpace(ModelKind.EASE);
        var candidates = TuneCommand.candidates(space, 100, 1);
        assertEquals(Map.of(), candidates.getFirst());
        assertEquals(1 + 6 * 2, candidates.size(), "the whole 6 x 2 grid, then no more");
        assertEquals(candidates.size(), new java.util.HashSet<>(candidates).size());
    }
}
