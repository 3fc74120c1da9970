package reco.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs client-examples/run-all.sh (the Python, Node.js and Go examples) against
 * {@link FakeRecommenderServer}.
 *
 * <p>Opt-in with {@code -Dreco.clients.runAll=true}: the first Go build alone takes a minute or more.
 * {@code -Dreco.clients=...} picks the languages (default "python node go": the Java example is
 * covered in-process by {@link RecoClientExampleTest}, and building its jar from inside this Maven
 * run would recurse); {@code -Dreco.clients.requireAll=true} turns a missing toolchain into a failure.
 */
@EnabledIfSystemProperty(named = "reco.clients.runAll", matches = "true")
class RunAllClientsTest {

  private static final long RUN_ALL_TIMEOUT_MINUTES = 10;

  @Test
  void everyInstalledClientExamplePassesAgainstTheFakeServer() throws Exception {
    Path repo = Path.of(System.getProperty("reco.repo.dir", "../..")).toAbsolutePath().normalize();
    Path runAll = repo.resolve("client-examples/run-all.sh");
    assertTrue(Files.isRegularFile(runAll), () -> "no runner at " + runAll);
    Path logDir = Files.createDirectories(repo.resolve("client-examples/java/target/run-all-logs"));

    String output;
    int exitCode;
    try (FakeRecommenderServer server = FakeRecommenderServer.start(0)) {
      ProcessBuilder builder = new ProcessBuilder("bash", runAll.toString(), server.address())
          .directory(repo.toFile())
          .redirectErrorStream(true)
          .redirectOutput(logDir.resolve("run-all.out").toFile());
      builder.environment().put("CLIENTS", System.getProperty("reco.clients", "python node go"));
      builder.environment().put("REQUIRE_ALL_CLIENTS",
          Boolean.getBoolean("reco.clients.requireAll") ? "1" : "0");
      builder.environment().put("RUN_ALL_LOG_DIR", logDir.toString());
      Process process = builder.start();
      boolean finished = process.waitFor(RUN_ALL_TIMEOUT_MINUTES, TimeUnit.MINUTES);
      if (!finished) {
        process.destroyForcibly();
      }
      output = Files.readString(logDir.resolve("run-all.out"), StandardCharsets.UTF_8);
      if (!finished) {
        throw new AssertionError("run-all.sh did not finish in " + RUN_ALL_TIMEOUT_MINUTES + " min:\n" + output);
      }
      exitCode = process.exitValue();
    }

    System.out.println(output);
    assertEquals(0, exitCode, output);
    assertFalse(output.contains(": FAIL"), output);
  }
}
