package reco.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import reco.server.TestGenerations;
import reco.model.vector.VectorUtil;
import reco.v1.AdminGrpc;
import reco.v1.GetModelInfoRequest;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommenderGrpc;
import reco.v1.ReloadRequest;
import reco.v1.ReloadResponse;
import reco.v1.SimilarItemsRequest;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Command line, exit codes and a real Netty start on an ephemeral port. */
class ServeCommandTest {
    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ServeCommand main = new ServeCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    /** {@code reco serve ARGS} through the whole command tree, with this test's streams. */
    private int run(String... args) {
        CommandLine cli = Reco.commandLine(new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == ServeCommand.class ? type.cast(main) : CommandLine.defaultFactory().create(type);
            }
        });
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        String[] full = new String[args.length + 1];
        full[0] = "serve";
        System.arraycopy(args, 0, full, 1, args.length);
        return cli.execute(full);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpExitsZero() {
        assertEquals(ExitCodes.OK, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--poll-interval"));
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        assertEquals(ExitCodes.USAGE, run());
        assertEquals(ExitCodes.USAGE, run("--model", root.toString(), "--port", "70000"));
        assertEquals(ExitCodes.USAGE, run("--model", root.toString(), "--poll-interval", "soon"));
        assertEquals(ExitCodes.USAGE, run("--model", root.toString(), "--no-such-flag"));
        assertEquals(ExitCodes.USAGE, run("--model", root.toString(), "--call-executor", "fancy"));
        assertEquals(ExitCodes.USAGE, run("--model", root.toString(), "--admin-token-file", root.resolve("nope").toString()));
        assertTrue(err().contains("admin token file") && err().contains("does not exist"), err());
        assertEquals(ExitCodes.USAGE, run("--model", root.toString(), "--max-items-per-call", "10"));
        assertTrue(err().contains("--max-items-per-call"), err());
        assertEquals(ExitCodes.USAGE, run("--model", root.toString(), "--max-items-per-call", "100000",
                "--max-concurrent-calls-per-connection", "0"));
        assertTrue(err().contains("maxConcurrentCallsPerConnection"), err());
        Path adminToken = Files.writeString(root.resolve("admin.token"), "0123456789abcdef0123456789abcdef\n");
        assertEquals(ExitCodes.USAGE, run("--model", root.toString(), "--max-concurrent-calls-per-connection", "256",
                "--admin-token-file", adminToken.toString(), "--explain-token-file", root.resolve("nope").toString()));
        assertTrue(err().contains("explain token file") && err().contains("does not exist"), err());
        // (options without a default keep their value in this reused command object: the TLS case comes last)
        assertEquals(ExitCodes.USAGE, run("--model", root.toString(), "--tls-key", "key.pem"));
        assertTrue(err().contains("TLS needs both a certificate and its private key"), err());
        assertEquals(ExitCodes.USAGE, run("--model", root.toString(), "--keepalive-time", "0s"));
        assertEquals(ExitCodes.USAGE, run("--model", root.toString(), "--max-inbound-message-size", "10"));
        assertEquals(ExitCodes.USAGE, run("--model", root.toString(), "--http-port", "70000"));
        assertEquals(ExitCodes.USAGE, run("--model", root.toString(), "--http-threads", "1"));
    }

    @Test
    void helpDocumentsTheTransportLimits() {
        assertEquals(ExitCodes.OK, run("--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String flag : new String[] {"--max-inbound-message-size", "--keepalive-time", "--keepalive-timeout",
                "--permit-keepalive-time", "--max-connection-idle", "--max-concurrent-calls", "--tls-cert", "--tls-key",
                "--tls-client-ca", "--call-executor", "--max-connection-age", "--max-connection-age-grace",
                "--max-concurrent-calls-per-connection", "--max-call-duration", "--max-items-per-call",
                "--max-diversity-work-per-call", "--explain-token-file"}) {
            assertTrue(help.contains(flag), flag + " missing from --help");
        }
        assertTrue(help.replaceAll("\\s+", " ").contains("Default: 127.0.0.1"), "binds localhost by default: " + help);
    }

    @Test
    void missingTlsFilesAreAStartupFailure() throws Exception {
        TestGenerations.write(root);
        assertEquals(ExitCodes.FAILURE, run("--model", root.toString(), "--port", "0",
                "--tls-cert", root.resolve("cert.pem").toString(), "--tls-key", root.resolve("key.pem").toString()));
        assertTrue(err().contains("--tls-cert file") && err().contains("cert.pem"), err());
    }

    @Test
    void missingModelDirectoryExitsOneWithAClearMessage() {
        assertEquals(ExitCodes.FAILURE, run("--model", root.resolve("nope").toString(), "--port", "0"));
        assertTrue(err().contains("does not exist"), err());
    }

    @Test
    void modelRootWithoutCurrentExitsOne() {
        assertEquals(ExitCodes.FAILURE, run("--model", root.toString(), "--port", "0"));
        assertTrue(err().contains("error: cannot serve") && err().contains("no generation published"), err());
    }

    @Test
    void corruptGenerationAtStartupWithNothingElseToServeExitsOne() throws Exception {
        Path good = TestGenerations.write(root);
        TestGenerations.publishCorruptCopy(root, good, "gen-corrupt");
        try (var files = java.nio.file.Files.walk(good)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }
        assertEquals(ExitCodes.FAILURE, run("--model", root.toString(), "--port", "0"));
        assertTrue(err().contains("checksum mismatch"), err());
    }

    @Test
    void servesOnAnEphemeralPortAndPrintsTheListeningLine() throws Exception {
        Path generation = TestGenerations.write(root);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                () -> run("--model", root.toString(), "--port", "0", "--poll-interval", "200ms", "--grace-period", "1s",
                        "--http-port", "0"));
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
            RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS);
            assertEquals(12, stub.getModelInfo(GetModelInfoRequest.getDefaultInstance()).getItemCount());
            // ids in requests must never become metric tags
            stub.similarItems(SimilarItemsRequest.newBuilder().setItemId("item-3").setK(2).build());
            stub.recommendForUser(RecommendForUserRequest.newBuilder().setUserId("alice").setK(2).build());
            stub.recommendForUser(RecommendForUserRequest.newBuilder().setUserId("stranger-42").setK(2).build());
            ReloadResponse reload = AdminGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .reload(ReloadRequest.getDefaultInstance());
            assertEquals(generation.getFileName().toString(), reload.getGenerationId());
            assertFalse(reload.getChanged());
        } finally {
            channel.shutdownNow();
        }
        Matcher httpPort = Pattern.compile("(?m)^reco http listening on 127\\.0\\.0\\.1:(\\d+)$")
                .matcher(out.toString(StandardCharsets.UTF_8));
        assertTrue(httpPort.find(), out.toString(StandardCharsets.UTF_8));
        String base = "http://127.0.0.1:" + httpPort.group(1);
        HttpResponse<String> scrape = get(base + "/metrics");
        assertEquals(200, scrape.statusCode());
        String metrics = scrape.body();
        assertTrue(metrics.contains("reco_model_items 12.0"), metrics);
        assertTrue(metrics.contains("grpc_server_processing_duration_seconds_count{") && metrics.contains("method=\"GetModelInfo\""),
                metrics);
        assertTrue(metrics.contains("reco_model_generation_info{generation=\"" + generation.getFileName() + "\"} 1"), metrics);
        assertTrue(metrics.contains("reco_vector_implementation_info{implementation=\"" + VectorUtil.implementationName() + "\"} 1"),
                metrics);
        // call latency as a histogram (p99 in PromQL), Prometheus label naming, build info
        assertTrue(metrics.contains("grpc_server_processing_duration_seconds_bucket{method=\"GetModelInfo\",method_type=\"UNARY\","
                + "service=\"reco.v1.Recommender\",status_code=\"OK\",le=\"0.005\"}"), metrics);
        assertFalse(metrics.contains("methodType"), metrics);
        assertTrue(metrics.contains("reco_build_info{version=\""), metrics);
        assertTrue(metrics.contains("reco_model_age_seconds "), metrics);
        assertTrue(metrics.contains("reco_model_load_duration_seconds "), metrics);
        assertTrue(metrics.contains("reco_model_reloads_total 1.0"), metrics);
        assertTrue(metrics.contains("reco_model_poll_last_success_seconds "), metrics);
        assertTrue(metrics.contains("reco_recommendations_fallbacks_total{reason=\"unknown-user\"} 1.0"), metrics);
        assertTrue(metrics.contains("jvm_memory_used_bytes") && metrics.contains("process_cpu_usage"), metrics);
        for (String id : new String[] {"item-3", "alice", "stranger-42"}) {
            assertFalse(metrics.contains(id), "metrics mention the id " + id);
        }
        HttpResponse<String> health = get(base + "/readyz");
        assertEquals(200, health.statusCode());
        assertEquals("SERVING\n", health.body());
        assertEquals(200, get(base + "/livez").statusCode());
        main.stop();
        assertEquals(ExitCodes.OK, exit.get(30, TimeUnit.SECONDS));
    }
}
