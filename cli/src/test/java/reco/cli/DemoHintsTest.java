package reco.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code reco demo} prints in a source checkout and in an unpacked distribution. */
class DemoHintsTest {
    @TempDir
    Path root;

    private static List<String> commands(DemoHints hints) {
        return hints.hints().stream().map(DemoHints.Hint::command).toList();
    }

    @Test
    void distributionGetsOnlyCommandsOfBinReco() throws Exception {
        Path home = Files.createDirectories(root.resolve("reco-1.0"));
        DemoHints hints = new DemoHints(home, home, Path.of("/opt/jdk-25"), home.resolve("models/demo"),
                "localhost:50051", "42", "Some Film (1999)", "7");
        assertEquals(List.of(
                "bin/reco inspect models/demo --item 42",
                "bin/reco loadtest --target localhost:50051 --model models/demo --call mix --warmup 1s --duration 5s"),
                commands(hints));
        assertTrue(hints.hints().getFirst().line().endsWith("# the generation, and the neighbours of Some Film (1999)"));
        assertEquals("bin/reco serve --model models/demo", hints.serveCommand());
    }

    @Test
    void sourceCheckoutAddsTheJavaExampleOnReco_sJdkAndRunAll() throws Exception {
        Path home = Files.createDirectories(root.resolve("repo"));
        Files.createDirectories(home.resolve("client-examples/java/target"));
        Files.writeString(home.resolve(DemoHints.JAVA_EXAMPLE_JAR), "jar");
        Files.writeString(home.resolve(DemoHints.RUN_ALL), "#!/bin/sh");
        DemoHints hints = new DemoHints(home, home, Path.of("/opt/jdk-25"), Path.of("models/demo"),
                "localhost:PORT", "42", null, "7");
        List<String> commands = commands(hints);
        assertEquals(4, commands.size(), commands::toString);
        assertEquals("/opt/jdk-25/bin/java -jar client-examples/java/target/reco-client-example.jar localhost:PORT 42 7",
                commands.get(2));
        assertEquals("client-examples/run-all.sh localhost:PORT", commands.get(3));
        assertTrue(hints.hints().getFirst().line().endsWith("neighbours of item 42"));
        assertTrue(commands.stream().noneMatch(c -> c.contains("grpcurl")), "grpcurl is not shipped with reco");
    }

    @Test
    void pathsOutsideTheWorkingDirectoryAreAbsoluteAndQuotedWhenTheyNeedIt() throws Exception {
        Path home = Files.createDirectories(root.resolve("reco home"));
        Path elsewhere = Files.createDirectories(root.resolve("work"));
        DemoHints hints = new DemoHints(home, elsewhere, Path.of("/opt/jdk-25"), elsewhere.resolve("m"),
                "localhost:6000", "42", null, "7");
        String inspect = commands(hints).getFirst();
        assertEquals("'" + home.resolve("bin/reco") + "' inspect m --item 42", inspect);
        assertEquals("'" + home.resolve("bin/reco") + "' serve --model m --port 6000", hints.serveCommand());
        assertFalse(commands(hints).get(1).contains("PORT"));
    }
}
