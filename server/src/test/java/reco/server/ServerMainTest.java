package reco.server;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.v1.GetModelInfoRequest;
import reco.v1.RecommenderGrpc;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Command line, exit codes and a real Netty start on an ephemeral port. */
class ServerMainTest {
    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ServerMain main = new ServerMain(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    private int run(String... args) {
        return ServerMain.commandLine(main).execute(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpExitsZero() {
        assertEquals(ServerMain.EXIT_OK, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--poll-interval"));
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(ServerMain.EXIT_USAGE, run());
        assertEquals(ServerMain.EXIT_USAGE, run("--model", root.toString(), "--port", "70000"));
        assertEquals(ServerMain.EXIT_USAGE, run("--model", root.toString(), "--poll-interval", "soon"));
        assertEquals(ServerMain.EXIT_USAGE, run("--model", root.toString(), "--no-such-flag"));
    }

    @Test
    void missingModelDirectoryExitsOneWithAClearMessage() {
        assertEquals(ServerMain.EXIT_STARTUP_FAILURE, run("--model", root.resolve("nope").toString(), "--port", "0"));
        assertTrue(err().contains("does not exist"), err());
    }

    @Test
    void modelRootWithoutCurrentExitsOne() {
        assertEquals(ServerMain.EXIT_STARTUP_FAILURE, run("--model", root.toString(), "--port", "0"));
        assertTrue(err().contains("error: cannot serve") && err().contains("no generation published"), err());
    }

    @Test
    void corruptGenerationAtStartupExitsOne() throws Exception {
        Path good = TestGenerations.write(root);
        TestGenerations.publishCorruptCopy(root, good, "gen-corrupt");
        assertEquals(ServerMain.EXIT_STARTUP_FAILURE, run("--model", root.toString(), "--port", "0"));
        assertTrue(err().contains("checksum mismatch"), err());
    }

    @Test
    void durationsParse() {
        ServerMain.DurationConverter c = new ServerMain.DurationConverter();
        assertEquals(Duration.ofMillis(500), c.convert("500ms"));
        assertEquals(Duration.ofSeconds(2), c.convert("2s"));
        assertEquals(Duration.ofMinutes(3), c.convert("3m"));
        assertEquals(Duration.ofMillis(1500), c.convert("1.5"));
        assertEquals(Duration.ofSeconds(1), c.convert("PT1S"));
    }

    @Test
    void servesOnAnEphemeralPortAndPrintsTheListeningLine() throws Exception {
        Path generation = TestGenerations.write(root);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> run("--model", root.toString(), "--port", "0", "--poll-interval", "200ms", "--grace-period", "1s",
                        "--metrics-port", "0"));
        Pattern listening = Pattern.compile("reco server listening on 127\\.0\\.0\\.1:(\\d+), serving generation (\\S+) \\(12 items\\)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Matcher m;
        while (!(m = listening.matcher(out.toString(StandardCharsets.UTF_8))).find()) {
            assertTrue(System.nanoTime() < deadline && !exit.isDone(), "no listening line; stderr: " + err());
            Thread.sleep(20);
        }
        assertEquals(generation.getFileName().toString(), m.group(2));
        int port = Integer.parseInt(m.group(1));
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            assertEquals(12, RecommenderGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getModelInfo(GetModelInfoRequest.getDefaultInstance()).getItemCount());
        } finally {
            channel.shutdownNow();
        }
        Matcher metricsPort = Pattern.compile("metrics at http://127\\.0\\.0\\.1:(\\d+)/metrics").matcher(err());
        assertTrue(metricsPort.find(), err());
        HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metricsPort.group(1) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.body().contains("reco_model_items 12.0"), scrape.body());
        assertTrue(scrape.body().contains("grpc_server_processing_duration_seconds_count{") && scrape.body().contains("method=\"GetModelInfo\""),
                scrape.body());
        main.stop();
        assertEquals(ServerMain.EXIT_OK, exit.get(30, TimeUnit.SECONDS));
    }
}
