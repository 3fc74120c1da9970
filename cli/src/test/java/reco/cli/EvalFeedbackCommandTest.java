package reco.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.synth.DemoCatalog;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code reco eval-feedback} end to end on a small synthetic catalogue with taste structure. */
class EvalFeedbackCommandTest {
    @TempDir
    Path dir;

    @Test
    void recordedFirstHalvesRaiseRecallOfTheSecondHalves() throws Exception {
        Path data = dir.resolve("demo");
        DemoCatalog.generate(DemoCatalog.Params.builder().items(300).users(200).ratings(10_000).tags(100).build())
                .writeCsv(data);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Reco.run("eval-feedback", "--dataset", data.toString(), "--models", "popularity,item-knn,als",
                    "--als-iterations", "5", "--als-factors", "16", "--k", "20");
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.OK, code, out);
        Map<String, double[]> rows = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 5 && !f[0].equals("model")) {
                rows.put(f[0], new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3])});
            }
        }
        assertEquals(java.util.Set.of("popularity", "item-knn", "als"), rows.keySet(), out);
        for (String model : new String[] {"item-knn", "als"}) {
            double[] r = rows.get(model);
            assertTrue(r[0] > 0, model + " scores something without feedback: " + out);
            assertTrue(r[1] > r[0], model + ": recall with feedback " + r[1] + " vs without " + r[0] + "\n" + out);
        }
    }

    @Test
    void aDatasetWithoutTimestampsIsRefused() throws Exception {
        Path tsv = dir.resolve("train.tsv");
        StringBuilder rows = new StringBuilder();
        for (int u = 0; u < 20; u++) {
            for (int i = 0; i < 8; i++) {
                rows.append(u).append('\t').append((u + i) % 15).append("\t1\t0\n");
            }
        }
        java.nio.file.Files.writeString(tsv, rows);
        assertEquals(ExitCodes.FAILURE, Reco.run("eval-feedback", "--dataset", tsv.toString()));
    }
}
