package reco.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import reco.model.generation.GenerationFiles;
import reco.model.generation.IdList;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End-to-end runs of {@code reco loadtest} against a real Netty server on a loopback port. The
 * server's own counts are the oracle: with no warm-up every call it saw is a measured call.
 */
class LoadTestCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static StubRecommenderServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws IOException {
        server = new StubRecommenderServer();
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    record Outcome(int exitCode, String out, String err) {}

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new LoadTestCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    private Outcome runWithJson(Path json, String... args) {
        List<String> all = new ArrayList<>(List.of("--target", server.target(), "--json", json.toString()));
        if (!List.of(args).contains("--timeout")) {
            // the default 1 s deadline is for real servers; a test box under load can stall a call that long
            all.addAll(List.of("--timeout", "30s"));
        }
        all.addAll(List.of(args));
        Outcome o = run(all.toArray(String[]::new));
        assertEquals(0, o.exitCode(), () -> "exit code; stderr:\n" + o.err() + "\nstdout:\n" + o.out());
        return o;
    }

    private Path itemIds(String... ids) throws IOException {
        Path file = Files.createTempFile(tmp, "items", ".txt");
        Files.write(file, List.of(ids));
        return file;
    }

    private static long status(JsonNode run, String code) {
        return run.path("statusCodes").path(code).asLong(0);
    }

    @Test
    void closedLoopEchoRecordsEveryCallTheServerSaw() throws Exception {
        Path json = tmp.resolve("echo.json");
        long before = server.echoCalls.get();
        Outcome o = runWithJson(json, "--call", "echo", "--warmup", "0", "--duration", "1s", "--concurrency", "4");
        JsonNode r = JSON.readTree(json.toFile());
        long count = r.path("count").asLong();
        assertTrue(count > 0, "count " + count);
        assertEquals(count, status(r, "OK"));
        assertEquals(server.echoCalls.get() - before, count, "calls the server answered");
        assertEquals("closed", r.path("mode").asText());
        assertEquals(4, r.path("concurrency").asInt());
        assertTrue(r.path("requestsPerSecond").asDouble() > 0);
        JsonNode latency = r.path("latencyMicros");
        for (String field : List.of("average", "fastest", "slowest", "p50", "p90", "p95", "p99", "p99_9")) {
            assertTrue(latency.has(field), "latencyMicros." + field);
        }
        assertTrue(latency.path("fastest").asLong() <= latency.path("p50").asLong());
        assertTrue(latency.path("p50").asLong() <= latency.path("p99").asLong());
        assertTrue(latency.path("p99").asLong() <= latency.path("slowest").asLong());
        long histogramTotal = 0;
        for (JsonNode bucket : r.path("histogram")) {
            histogramTotal += bucket.path("count").asLong();
        }
        assertEquals(count, histogramTotal, "histogram buckets cover every call");
        for (String section : List.of("Summary:", "Requests/sec:", "Response time histogram:", "Latency distribution:",
                "99.9 % in", "Status code distribution:", "[OK]", "reco.v1.Recommender/Echo")) {
            assertTrue(o.out().contains(section), "stdout lacks '" + section + "':\n" + o.out());
        }
    }

    @Test
    void unknownShareShowsUpAsNotFoundExactlyAsTheServerAnswered() throws Exception {
        Path json = tmp.resolve("similar.json");
        long calls = server.similarCalls.get();
        long unknown = server.similarUnknown.get();
        Path items = itemIds(IntStream.range(0, 20).mapToObj(i -> "item-" + i).toArray(String[]::new));
        Outcome o = runWithJson(json, "--call", "similar", "--items-from", items.toString(), "--unknown-share", "0.3",
                "--warmup", "0", "--duration", "1s", "--seed", "7");
        JsonNode r = JSON.readTree(json.toFile());
        long count = r.path("count").asLong();
        long notFound = status(r, "NOT_FOUND");
        assertEquals(server.similarCalls.get() - calls, count);
        assertEquals(server.similarUnknown.get() - unknown, notFound, "NOT_FOUND count");
        assertEquals(count - notFound, status(r, "OK"));
        assertTrue(count >= 100, "too few calls for a share check: " + count);
        double share = (double) notFound / count;
        assertTrue(share > 0.2 && share < 0.4, "NOT_FOUND share " + share + " for --unknown-share 0.3");
        long errorTotal = 0;
        for (JsonNode n : r.path("errors")) {
            errorTotal += n.asLong();
        }
        assertEquals(notFound, errorTotal, "error distribution adds up");
        assertTrue(o.out().contains("[NOT_FOUND]"), o.out());
        assertEquals(notFound, r.path("errors").path("NOT_FOUND: unknown item '*'").asLong(), "quoted ids are masked");
    }

    @Test
    void warmUpCallsAreSentButNotRecorded() throws Exception {
        Path json = tmp.resolve("warm.json");
        long before = server.echoCalls.get();
        runWithJson(json, "--call", "echo", "--warmup", "300ms", "--duration", "300ms");
        JsonNode r = JSON.readTree(json.toFile());
        long count = r.path("count").asLong();
        assertTrue(count > 0);
        assertTrue(server.echoCalls.get() - before > count, "the server saw warm-up calls beyond the measured " + count);
    }

    @Test
    void openLoopKeepsToTheSchedule() throws Exception {
        Path json = tmp.resolve("open.json");
        runWithJson(json, "--call", "echo", "--rate", "200", "--warmup", "0", "--duration", "1s");
        JsonNode r = JSON.readTree(json.toFile());
        long count = r.path("count").asLong();
        assertEquals("open", r.path("mode").asText());
        // calls at 0, 5, ..., 995 ms: exactly 200 scheduled, never more sent
        assertEquals(200, r.path("scheduled").asLong());
        assertTrue(count <= 200, "count " + count + " exceeds the schedule");
        assertTrue(count >= 100, "count " + count + " is far below 200 req/s for 1 s");
        assertEquals(200 - count, r.path("unsent").asLong());
        assertEquals(count, status(r, "OK"));
    }

    @Test
    void requestCountEndsTheRunExactly() throws Exception {
        Path json = tmp.resolve("count.json");
        long before = server.echoCalls.get();
        Outcome o = runWithJson(json, "--call", "echo", "--warmup", "0", "--requests", "500", "--concurrency", "8");
        JsonNode r = JSON.readTree(json.toFile());
        assertEquals(500, r.path("count").asLong());
        assertEquals(500, status(r, "OK"), o.out());
        assertEquals(500, server.echoCalls.get() - before);
        assertEquals(500, r.path("requestLimit").asLong());
    }

    @Test
    void callsPastTheirDeadlineCountAsDeadlineExceeded() throws Exception {
        Path json = tmp.resolve("slow.json");
        runWithJson(json, "--call", "similar", "--items-from", itemIds("slow-1", "slow-2").toString(), "--unknown-share", "0",
                "--timeout", "100ms", "--warmup", "0", "--duration", "300ms", "--concurrency", "2");
        JsonNode r = JSON.readTree(json.toFile());
        long count = r.path("count").asLong();
        assertTrue(count > 0);
        assertEquals(count, status(r, "DEADLINE_EXCEEDED"));
        assertTrue(r.path("latencyMicros").path("fastest").asLong() >= 100_000, "a call ends no sooner than its deadline");
    }

    @Test
    void mixSplitsCallsAndCountsUserFallbacks() throws Exception {
        Path json = tmp.resolve("mix.json");
        Path users = tmp.resolve("users.txt");
        Files.write(users, List.of("u1", "u2", "u3"));
        long userCalls = server.userCalls.get();
        long userUnknown = server.userUnknown.get();
        long itemsCalls = server.itemsCalls.get();
        long itemsUnknown = server.itemsUnknown.get();
        Outcome o = runWithJson(json, "--call", "mix", "--mix", "user=2,items=1", "--users-from", users.toString(),
                "--items-from", itemIds("a", "b", "c").toString(), "--unknown-share", "0.5", "--warmup", "0", "--duration", "1s");
        JsonNode r = JSON.readTree(json.toFile());
        assertEquals("mix", r.path("call").asText());
        JsonNode user = r.path("perCall").path("user");
        JsonNode items = r.path("perCall").path("items");
        assertEquals(r.path("count").asLong(), user.path("count").asLong() + items.path("count").asLong());
        assertEquals(server.userCalls.get() - userCalls, user.path("count").asLong());
        assertEquals(server.itemsCalls.get() - itemsCalls, items.path("count").asLong());
        // unknown users are OK answers with fallback set; unknown-only baskets are NOT_FOUND
        assertEquals(user.path("count").asLong(), status(user, "OK"));
        assertEquals(server.userUnknown.get() - userUnknown, user.path("fallbacks").asLong());
        assertEquals(server.itemsUnknown.get() - itemsUnknown, status(items, "NOT_FOUND"));
        assertEquals(2.0 / 3, r.path("mix").path("user").asDouble(), 1e-9);
        assertTrue(user.path("count").asLong() > items.path("count").asLong(), "user has twice the weight");
        assertTrue(o.out().contains("Per call:"), o.out());
    }

    @Test
    void compareEchoRunsBothAndReportsTheRatio() throws Exception {
        Path json = tmp.resolve("compare.json");
        Outcome o = runWithJson(json, "--call", "similar", "--items-from", itemIds("x", "y").toString(), "--compare-echo",
                "--warmup", "0", "--duration", "500ms");
        JsonNode r = JSON.readTree(json.toFile());
        assertEquals("similar", r.path("call").asText());
        assertEquals("echo", r.path("baseline").path("call").asText());
        assertTrue(r.path("baseline").path("count").asLong() > 0);
        double ratio = r.path("comparison").path("throughputRatio").asDouble();
        assertEquals(r.path("requestsPerSecond").asDouble() / r.path("baseline").path("requestsPerSecond").asDouble(), ratio, 1e-9);
        assertTrue(o.out().contains("similar/echo throughput"), o.out());
    }

    @Test
    void readsIdsFromAGeneration() throws Exception {
        Path root = tmp.resolve("models");
        Path generation = root.resolve("gen-1");
        Files.createDirectories(generation);
        IdList.write(generation.resolve(GenerationFiles.ITEM_IDS), List.of("m1", "m2"));
        IdList.write(generation.resolve(GenerationFiles.USER_IDS), List.of("alice", "bob"));
        Files.writeString(root.resolve(GenerationFiles.CURRENT), "gen-1\n");
        long unknown = server.userUnknown.get();
        Path json = tmp.resolve("model.json");
        runWithJson(json, "--call", "user", "--model", root.toString(), "--unknown-share", "0", "--warmup", "0", "--requests", "50");
        JsonNode r = JSON.readTree(json.toFile());
        assertEquals(50, status(r, "OK"));
        assertEquals(0, r.path("fallbacks").asLong());
        assertEquals(unknown, server.userUnknown.get(), "every user id came from the generation");
    }

    @Test
    void refusesANonLoopbackTargetBeforeConnecting() {
        Outcome o = run("--target", "192.0.2.10:50051", "--duration", "1s");
        assertEquals(ExitCodes.USAGE, o.exitCode());
        assertTrue(o.err().contains("--allow-remote"), o.err());
        assertFalse(o.out().contains("Summary:"));
    }

    @Test
    void failsClearlyWhenNothingListens() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Outcome o = run("--target", "127.0.0.1:" + port, "--connect-timeout", "500ms", "--duration", "1s");
        assertEquals(ExitCodes.FAILURE, o.exitCode());
        assertTrue(o.err().contains("cannot connect to 127.0.0.1:" + port), o.err());
    }

    @Test
    void rejectsBadCommandLines() {
        assertUsage("needs item ids", "--target", server.target(), "--call", "similar");
        assertUsage("--call: unknown call 'bogus'", "--call", "bogus");
        assertUsage("--mix needs --call mix", "--mix", "similar=1");
        assertUsage("--concurrency sets a closed loop", "--rate", "10", "--concurrency", "4");
        assertUsage("--unknown-share is 1.5, allowed 0..1", "--target", server.target(), "--unknown-share", "1.5");
        assertUsage("--k is 0, allowed 1..1000", "--target", server.target(), "--k", "0");
        assertUsage("--ca is given without --tls", "--ca", "ca.pem");
        Outcome o = run("--duration", "soon");
        assertEquals(ExitCodes.USAGE, o.exitCode());
        assertTrue(o.err().contains("'soon' is not a duration"), o.err());
    }

    private static void assertUsage(String message, String... args) {
        Outcome o = run(args);
        assertEquals(ExitCodes.USAGE, o.exitCode(), o.err());
        assertTrue(o.err().contains(message), "stderr lacks '" + message + "':\n" + o.err());
    }
}
