package reco.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commands {@code reco demo} prints under "... try, from another terminal:", run as a user would
 * paste them into a shell, from the directory the demo ran in.
 */
final class PrintedHints {
    private PrintedHints() {
    }

    /** The printed commands, without their trailing {@code # comment}. */
    static List<String> commands(String demoStdout) {
        List<String> commands = new ArrayList<>();
        boolean inList = false;
        for (String line : demoStdout.lines().toList()) {
            if (line.toLowerCase(java.util.Locale.ROOT).endsWith("try, from another terminal:")) {
                inList = true;
            } else if (inList && line.startsWith("  ")) {
                int comment = line.indexOf("   # ");
                commands.add((comment < 0 ? line : line.substring(0, comment)).strip());
            } else if (inList) {
                break;
            }
        }
        return commands;
    }

    /**
     * Runs every printed command with {@code bash -c} in {@code workingDir}, the printed server address
     * replaced by {@code actualAddress}; each must exit 0. {@code run-all.sh} runs only the Java example
     * here ({@code CLIENTS=java}): the four languages against the real server are ClientExamplesIT's.
     */
    static void assertEveryCommandWorks(String demoStdout, Path workingDir, String printedAddress, String actualAddress,
                                        Map<String, String> environment) throws Exception {
        List<String> commands = commands(demoStdout);
        assertFalse(commands.isEmpty(), "the demo printed no commands to try:\n" + demoStdout);
        assertTrue(commands.stream().noneMatch(c -> c.startsWith("grpcurl")), "grpcurl is not shipped:\n" + demoStdout);
        for (String printed : commands) {
            String command = printed.replace(printedAddress, actualAddress);
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(workingDir.toFile());
            builder.environment().putAll(environment);
            builder.environment().put("CLIENTS", "java");
            builder.environment().remove("RECO_NO_BUILD");
            builder.environment().remove("RECO_JAVA_OPTS");
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<String> stdout = drain(process.getInputStream());
            CompletableFuture<String> stderr = drain(process.getErrorStream());
            boolean finished = process.waitFor(Launcher.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            String output = "$ " + command + "\n--- stdout ---\n" + stdout.get(30, TimeUnit.SECONDS)
                    + "\n--- stderr ---\n" + stderr.get(30, TimeUnit.SECONDS);
            assertTrue(finished, "did not finish in " + Launcher.COMMAND_TIMEOUT + ": " + output);
            assertEquals(0, process.exitValue(), "a printed command failed: " + output);
            if (command.contains("run-all.sh")) {
                assertTrue(stdout.join().contains("java: PASS"), output);
            }
        }
    }

    private static CompletableFuture<String> drain(java.io.InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
    }
}
