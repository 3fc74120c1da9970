package reco.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java example against {@link FakeRecommenderServer}: its greppable lines and exit codes. */
class RecoClientExampleTest {

  private static FakeRecommenderServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = FakeRecommenderServer.start(0);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  private record Run(int exitCode, List<String> out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode = RecoClientExample.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exitCode, out.toString(StandardCharsets.UTF_8).lines().toList(),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void walksThroughEveryStepWithTheDocumentedLines() {
    Run run = run(server.address());

    assertEquals(0, run.exitCode(), () -> "stderr: " + run.err() + "\nstdout: " + run.out());
    List<String> steps = run.out().stream().filter(line -> !line.startsWith("  ")).toList();
    assertEquals(List.of(
        "health: SERVING",
        "model-info: generation=fake-generation-1 items=10 users=5 interactions=42 default_model=MODEL_ITEM_KNN",
        "similar to Fake Movie 1 (1971):",
        "similar: item=1 k=5 got=5 served_by=MODEL_ITEM_KNN",
        "for user 1:",
        "user-known: user=1 got=5 served_by=MODEL_ITEM_KNN fallback=false",
        "for unknown user no-such-user-42:",
        "user-unknown: fallback=true user=no-such-user-42 got=5 served_by=MODEL_POPULARITY"
            + " reason=unknown user: popular items",
        "for items 1,2:",
        "items: items=1,2 got=5 served_by=MODEL_ITEM_KNN",
        "batch: results=2 ok=1 not_found=1",
        "NOT_FOUND as expected: unknown item_id 'no-such-item'",
        "error-not-found: ok",
        "INVALID_ARGUMENT as expected: k must be in 1..1000, got 0",
        "error-invalid-argument: ok",
        "done"), steps);
  }

  @Test
  void printsTheRankedItemsWithScoresAndTitles() {
    Run run = run(server.address(), "4", "2");

    assertEquals(0, run.exitCode(), run::err);
    int header = run.out().indexOf("similar to Fake Movie 4 (1974):");
    assertTrue(header >= 0, () -> String.join("\n", run.out()));
    // The fake scores 1 / (1 + |id - 4|): items 3 and 5 tie at 0.5 and sort by id.
    assertEquals("  1. item=3 score=0.5000 title=Fake Movie 3 (1973) categories=Comedy|Drama",
        run.out().get(header + 1));
    assertEquals("  2. item=5 score=0.5000 title=Fake Movie 5 (1975) categories=Action|Comedy",
        run.out().get(header + 2));
    // Fake user 2 has seen item 2, which must not come back; the nearest others are 1 and 3.
    int forUser = run.out().indexOf("for user 2:");
    assertEquals("  1. item=1 score=0.5000 title=Fake Movie 1 (1971) categories=Drama|Action",
        run.out().get(forUser + 1));
    assertEquals("  2. item=3 score=0.5000 title=Fake Movie 3 (1973) categories=Comedy|Drama",
        run.out().get(forUser + 2));
    assertTrue(run.out().contains("user-known: user=2 got=5 served_by=MODEL_ITEM_KNN fallback=false"));
    assertTrue(run.out().contains("items: items=4,5 got=5 served_by=MODEL_ITEM_KNN"));
  }

  @Test
  void anUnknownItemIsAnUnexpectedFailure() {
    Run run = run(server.address(), "no-such-item-either");

    assertEquals(RecoClientExample.EXIT_UNEXPECTED, run.exitCode());
    assertTrue(run.err().contains("FAILED at similar: unexpected status NOT_FOUND"), run::err);
    assertTrue(!run.out().contains("done"));
  }

  @Test
  void anUnreachableServerFailsFastWithinTheDeadline() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    Run run = run("127.0.0.1:" + closedPort);

    assertEquals(RecoClientExample.EXIT_UNEXPECTED, run.exitCode());
    assertTrue(run.err().startsWith("FAILED at health: unexpected status UNAVAILABLE"), run::err);
  }

  @Test
  void tooManyArgumentsIsAUsageError() {
    Run run = run("localhost:1", "1", "1", "extra");

    assertEquals(RecoClientExample.EXIT_USAGE, run.exitCode());
    assertTrue(run.err().startsWith("usage: reco-client-example"), run::err);
  }
}
