package reco.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import reco.model.generation.GenerationFiles;
import reco.model.generation.GenerationWriter;
import reco.server.TestGenerations;

import java.io.StringWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code reco generations list|activate|prune} and {@code reco pull} through the command tree, on real model roots. */
class GenerationsCommandTest {
    @TempDir
    Path work;

    private record Run(int code, String out, String err) {}

    private static Run reco(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Reco.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String current(Path root) throws Exception {
        return GenerationWriter.readCurrent(root);
    }

    /** Three generations, oldest first. */
    private List<String> threeGenerations(Path root) throws Exception {
        String a = TestGenerations.write(root).getFileName().toString();
        String b = TestGenerations.write(root, 13).getFileName().toString();
        String c = TestGenerations.write(root, 14).getFileName().toString();
        return List.of(a, b, c);
    }

    @Test
    void listShowsNewestFirstAndMarksCurrent() throws Exception {
        Path root = work.resolve("models");
        List<String> g = threeGenerations(root);
        Run list = reco("generations", "list", "--model", root.toString());
        assertEquals(ExitCodes.OK, list.code(), list.err());
        List<String> lines = list.out().lines().toList();
        assertEquals(4, lines.size(), list.out());
        assertTrue(lines.get(1).startsWith("* " + g.get(2)), list.out());
        assertTrue(lines.get(1).contains(" 14 ") && lines.get(1).endsWith("current"), list.out());
        assertTrue(lines.get(3).startsWith("  " + g.get(0)) && lines.get(3).endsWith("ok"), list.out());
    }

    @Test
    void activateRollsBackAndRefusesWhatDoesNotValidate() throws Exception {
        Path root = work.resolve("models");
        List<String> g = threeGenerations(root);
        Run back = reco("generations", "activate", "--model", root.toString(), g.get(0));
        assertEquals(ExitCodes.OK, back.code(), back.err());
        assertEquals(g.get(0), current(root));

        TestGenerations.publishCorruptCopy(root, root.resolve(g.get(1)), "gen-corrupt");
        assertEquals(ExitCodes.OK, reco("generations", "activate", "--model", root.toString(), g.get(1)).code());
        Run refused = reco("generations", "activate", "--model", root.toString(), "gen-corrupt");
        assertEquals(ExitCodes.FAILURE, refused.code(), refused.out());
        assertTrue(refused.err().contains(GenerationFiles.POPULARITY), refused.err());
        assertEquals(g.get(1), current(root), "a generation that does not validate never becomes current");

        Run unknown = reco("generations", "activate", "--model", root.toString(), "gen-nope");
        assertEquals(ExitCodes.FAILURE, unknown.code());
        assertTrue(unknown.err().contains("no generation gen-nope"), unknown.err());
        assertEquals(ExitCodes.USAGE, reco("generations", "activate", "--model", root.toString(), "../elsewhere").code());
        assertEquals(g.get(1), current(root));
    }

    @Test
    void pruneKeepsTheNewestAndTheCurrent() throws Exception {
        Path root = work.resolve("models");
        List<String> g = threeGenerations(root);
        assertEquals(ExitCodes.OK, reco("generations", "activate", "--model", root.toString(), g.get(0)).code());
        Run prune = reco("generations", "prune", "--model", root.toString(), "--keep", "1");
        assertEquals(ExitCodes.OK, prune.code(), prune.err());
        assertTrue(prune.out().contains("deleted " + g.get(1)), prune.out());
        assertEquals(List.of(g.get(2), g.get(0)), GenerationWriter.generationNames(root));
        assertEquals(ExitCodes.USAGE, reco("generations", "prune", "--model", root.toString(), "--keep", "0").code());
    }

    @Test
    void pullCopiesFromADirectoryAndFromAZipArchive() throws Exception {
        Path source = work.resolve("source");
        List<String> g = threeGenerations(source);
        Path target = work.resolve("target");

        Run fromRoot = reco("pull", source.toString(), target.toString());
        assertEquals(ExitCodes.OK, fromRoot.code(), fromRoot.err());
        assertEquals(g.get(2), current(target), "a model root's current generation");

        Path zip = work.resolve("models.zip");
        try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            Path dir = fs.getPath("/" + g.get(0));
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(source.resolve(g.get(0)))) {
                for (Path f : files.toList()) {
                    Files.copy(f, dir.resolve(f.getFileName().toString()));
                }
            }
        }
        Run fromZip = reco("pull", "jar:" + zip.toUri() + "!/" + g.get(0), target.toString());
        assertEquals(ExitCodes.OK, fromZip.code(), fromZip.err());
        assertEquals(g.get(0), current(target));
        Run again = reco("pull", source.resolve(g.get(2)).toString(), target.toString());
        assertEquals(ExitCodes.OK, again.code(), again.err());
        assertEquals(g.get(2), current(target), "already there: validated and made current");
        assertEquals(List.of(g.get(2), g.get(0)), GenerationWriter.generationNames(target));
    }

    @Test
    void pullRefusesADamagedSourceAndLeavesTheTargetAsItWas() throws Exception {
        Path source = work.resolve("source");
        Path good = TestGenerations.write(source);
        Path damaged = TestGenerations.publishCorruptCopy(source, good, "gen-damaged");
        Path target = work.resolve("target");
        Path served = TestGenerations.write(target, 13); // the damaged copy's manifest names `good`, not in target

        Run refused = reco("pull", damaged.toString(), target.toString());
        assertEquals(ExitCodes.FAILURE, refused.code(), refused.out());
        assertTrue(refused.err().contains("CRC32C"), refused.err());
        assertEquals(served.getFileName().toString(), current(target));
        try (Stream<Path> left = Files.list(target)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith(GenerationFiles.TEMP_PREFIX)
                    || p.getFileName().toString().equals(good.getFileName().toString())), "nothing half-copied stays");
        }
        Run missing = reco("pull", work.resolve("nowhere").toString(), target.toString());
        assertEquals(ExitCodes.FAILURE, missing.code());
        assertTrue(missing.err().contains("neither a generation"), missing.err());
        Run scheme = reco("pull", "s3://bucket/models", target.toString());
        assertEquals(ExitCodes.USAGE, scheme.code(), scheme.err());
        assertTrue(scheme.err().contains("no file system for s3"), scheme.err());
    }

    @Test
    void uriOfAPlainPathWorks() throws Exception {
        Path source = work.resolve("source");
        Path good = TestGenerations.write(source);
        Path target = work.resolve("target");
        Run run = reco("pull", URI.create(good.toUri().toString()).toString(), target.toString());
        assertEquals(ExitCodes.OK, run.code(), run.err());
    }
}
