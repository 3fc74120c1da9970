package reco.trainer.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the reference scripts of shared/eval with {@code python3}. Tests using it fail (never skip)
 * when python3 with numpy, the scripts or the data are not available (CI installs numpy and provides the
 * shared folder). The shared folder is
 * the system property {@code reco.shared.dir}, else {@code ../shared} (relative to the module), else
 * {@code ../../shared} (relative to a worktree's module).
 */
final class PythonReference {
    private static Boolean pythonAvailable;

    private PythonReference() {}

    static Path sharedDir() {
        String configured = System.getProperty("reco.shared.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (String candidate : List.of("../shared", "../../shared")) {
            Path dir = Path.of(candidate);
            if (Files.isDirectory(dir.resolve("eval"))) {
                return dir;
            }
        }
        return Path.of("../shared");
    }

    static Path script(String name) {
        Path script = sharedDir().resolve("eval").resolve(name);
        require(Files.isRegularFile(script), "reference script not found: " + script.toAbsolutePath());
        return script;
    }

    static Path movieLensSmall() {
        Path dir = sharedDir().resolve("data").resolve("ml-latest-small");
        require(Files.isRegularFile(dir.resolve("ratings.csv")), "dataset not found: " + dir.toAbsolutePath());
        return dir;
    }

    static synchronized void requirePython() {
        if (pythonAvailable == null) {
            try {
                pythonAvailable = run(List.of("python3", "-c", "import numpy")).exitCode == 0;
            } catch (IOException e) {
                pythonAvailable = false;
            }
        }
        require(pythonAvailable, "python3 with numpy is not available (apt-get install python3-numpy)");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    record Output(int exitCode, String stdout, String stderr) {}

    /** Runs a script of shared/eval and fails unless it exits 0. */
    static Output runScript(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", script(name).toString()));
        command.addAll(List.of(args));
        Output out = run(command);
        if (out.exitCode != 0) {
            throw new AssertionError(name + " exited " + out.exitCode + ": " + out.stderr);
        }
        return out;
    }

    /** Runs {@code python3 -c code} and fails unless it exits 0. */
    static Output runPython(String code) throws IOException {
        Output out = run(List.of("python3", "-c", code));
        if (out.exitCode != 0) {
            throw new AssertionError("python3 exited " + out.exitCode + ": " + out.stderr);
        }
        return out;
    }

    private static Output run(List<String> command) throws IOException {
        Path stdout = Files.createTempFile("reco-py-out", ".txt");
        Path stderr = Files.createTempFile("reco-py-err", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
            return new Output(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
