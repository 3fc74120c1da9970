package reco.it;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.v1.GetModelInfoRequest;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommenderGrpc;
import reco.v1.SimilarItemsRequest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Operating a server through {@code bin/reco} as an operator would: a server configured by a config file
 * and a {@code RECO_*} variable, deployed before its first generation ({@code /readyz} 503, then 200 once
 * a trainer publishes); a rollback with {@code reco generations activate} under client load with zero
 * failed calls; a refused generation; JSON logs; and a Prometheus scrape holding latency buckets and
 * every metric the alert rules and dashboard in {@code deploy/monitoring} use.
 */
class OperationsIT {
    private static final Duration SWAP_DEADLINE = Duration.ofSeconds(90);
    private static final Pattern HTTP_LINE = Pattern.compile("(?m)^reco http listening on (\\S+):(\\d+)$");
    private static final Pattern GRPC_LINE = Pattern.compile("(?m)^reco server listening on (\\S+):(\\d+), serving generation (\\S+) ");
    private static final Pattern METRIC_NAME_IN_FILES = Pattern.compile("\\b((?:reco|grpc_server|jvm|process)_[a-z_]+)\\b");

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void readinessRollbackUnderLoadRefusalLogsAndMetrics() throws Exception {
        Launcher launcher = Launcher.ofRepository();
        Path root = work.resolve("models");
        Files.createDirectories(root);
        Path config = work.resolve("reco.properties");
        Files.writeString(config, """
                # what a deployment would keep in /etc/reco/serve.properties
                port = 0
                poll-interval = 200ms
                wait-for-model = 3m
                log-format = json
                """);
        Launcher.RunningCommand serve = launcher.withEnvironment(Map.of("RECO_MODEL", root.toString()))
                .start("serve", "--config", config.toString());
        try {
            String httpBase = "http://" + await(serve, HTTP_LINE, "the HTTP listening line").group(1) + ":"
                    + await(serve, HTTP_LINE, "the HTTP listening line").group(2);
            assertEquals(200, get(httpBase + "/livez").statusCode(), serve.stderr());
            assertEquals(503, get(httpBase + "/readyz").statusCode(), "no generation yet: not ready\n" + serve.stderr());

            String older = train(launcher, root, 80);
            waitFor(() -> status(httpBase + "/readyz") == 200, "/readyz 200 after the first generation", serve);
            Matcher grpc = await(serve, GRPC_LINE, "the gRPC listening line");
            assertEquals(older, grpc.group(3));
            ManagedChannel channel = NettyChannelBuilder.forAddress(grpc.group(1), Integer.parseInt(grpc.group(2)))
                    .usePlaintext().build();
            try {
                String newer = train(launcher, root, 81);
                waitFor(() -> servedGeneration(channel).equals(newer), "the second generation served", serve);

                rollbackUnderLoad(launcher, root, channel, older, serve);

                Launcher.Result list = launcher.run("generations", "list", "--model", root.toString());
                assertEquals(0, list.exitCode(), list::describe);
                assertTrue(list.stdout().contains("* " + older), list::describe);

                refusedGeneration(root, older, channel, serve);
                unknownUserFallback(channel);
                metrics(launcher, httpBase);
            } finally {
                channel.shutdownNow();
                channel.awaitTermination(5, TimeUnit.SECONDS);
            }
        } finally {
            serve.process().descendants().forEach(ProcessHandle::destroy);
            serve.process().destroy();
            Launcher.Result stopped = serve.await();
            jsonLogs(stopped.stderr());
        }
    }

    /**
     * Three client threads call SimilarItems and RecommendForUser without pause while {@code reco
     * generations activate} points CURRENT at the older generation; the server swaps and no call fails.
     */
    private void rollbackUnderLoad(Launcher launcher, Path root, ManagedChannel channel, String older,
                                   Launcher.RunningCommand serve) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int seed = t;
            clients.add(Thread.ofPlatform().name("load-" + t).start(() -> {
                int i = seed;
                while (running.get()) {
                    RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(20, TimeUnit.SECONDS);
                    try {
                        if (i % 2 == 0) {
                            stub.similarItems(SimilarItemsRequest.newBuilder().setItemId("i" + (i % 80)).setK(10).build());
                        } else {
                            stub.recommendForUser(RecommendForUserRequest.newBuilder().setUserId("u" + (i % 150)).setK(10).build());
                        }
                        ok.incrementAndGet();
                    } catch (StatusRuntimeException e) {
                        failures.add(e.getStatus().toString());
                    }
                    i += 3;
                }
            }));
        }
        try {
            waitFor(() -> ok.get() > 50, "load running", serve);
            long before = ok.get();
            Launcher.Result activate = launcher.run("generations", "activate", "--model", root.toString(), older);
            assertEquals(0, activate.exitCode(), activate::describe);
            waitFor(() -> servedGeneration(channel).equals(older), "the rolled-back generation served", serve);
            long swapped = ok.get();
            waitFor(() -> ok.get() > swapped + 50, "calls on the rolled-back generation", serve);
            assertTrue(ok.get() > before, "calls ran during the rollback");
        } finally {
            running.set(false);
            for (Thread c : clients) {
                c.join(Duration.ofSeconds(30));
            }
        }
        assertEquals(List.of(), List.copyOf(failures), "failed calls during the rollback (" + ok.get() + " ok)");
    }

    /** A broken publication (CURRENT names a generation whose file was damaged) is refused; the server keeps serving. */
    private void refusedGeneration(Path root, String good, ManagedChannel channel, Launcher.RunningCommand serve)
            throws Exception {
        Path copy = root.resolve("gen-99999999-000000-000");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(root.resolve(good))) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Path victim = copy.resolve("popularity.bin");
        byte[] bytes = Files.readAllBytes(victim);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(victim, bytes);
        Path tmp = root.resolve("CURRENT.tmp-test");
        Files.writeString(tmp, copy.getFileName() + "\n");
        Files.move(tmp, root.resolve("CURRENT"), StandardCopyOption.ATOMIC_MOVE);
        waitFor(() -> serve.stderr().contains("refused generation"), "the refusal logged", serve);
        assertEquals(good, servedGeneration(channel), "the old generation keeps serving");
        Launcher.Result refused = Launcher.ofRepository().run("generations", "activate", "--model", root.toString(),
                copy.getFileName().toString());
        assertEquals(1, refused.exitCode(), refused::describe);
        Launcher.Result back = Launcher.ofRepository().run("generations", "activate", "--model", root.toString(), good);
        assertEquals(0, back.exitCode(), back::describe);
    }

    private static void unknownUserFallback(ManagedChannel channel) {
        assertTrue(RecommenderGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .recommendForUser(RecommendForUserRequest.newBuilder().setUserId("nobody-knows-me").setK(5).build())
                .getFallback());
    }

    /** Latency buckets, and every metric name of deploy/monitoring present in a real scrape. */
    private void metrics(Launcher launcher, String httpBase) throws Exception {
        String scrape = get(httpBase + "/metrics").body();
        assertTrue(Pattern.compile("(?m)^grpc_server_processing_duration_seconds_bucket\\{.*method=\"SimilarItems\".*"
                + "status_code=\"OK\",le=\"0\\.01\"} \\d+").matcher(scrape).find(), scrape);
        assertTrue(scrape.contains("reco_model_refused_total{reason="), scrape);
        Set<String> scraped = new TreeSet<>();
        for (String line : scrape.lines().toList()) {
            if (!line.startsWith("#") && !line.isBlank()) {
                scraped.add(line.split("[{ ]", 2)[0]);
            }
        }
        Path monitoring = launcher.repository().resolve("deploy/monitoring");
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.list(monitoring)) {
            for (Path f : files.toList()) {
                Matcher m = METRIC_NAME_IN_FILES.matcher(Files.readString(f));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertTrue(used.size() > 10, "names found in " + monitoring + ": " + used);
        used.removeAll(scraped);
        assertEquals(Set.of(), used, "metrics the alert rules or dashboard use that the server does not export");
    }

    /** Every log record is one JSON object per line (lines the JVM itself prints, such as its incubator warning, aside). */
    private static void jsonLogs(String stderr) {
        List<String> records = stderr.lines().filter(l -> l.startsWith("{")).toList();
        assertTrue(records.stream().anyMatch(l -> l.contains("\"message\":\"JVM start to SERVING")), stderr);
        for (String line : stderr.lines().toList()) {
            boolean jvmNote = line.startsWith("WARNING: Using incubator modules");
            if (!jvmNote) {
                assertTrue(line.startsWith("{\"time\":\"") && line.endsWith("}"), "not a JSON record: " + line + "\n" + stderr);
            }
        }
    }

    /** Trains a small deterministic catalogue of {@code items} items into {@code root}; returns the generation's name. */
    private String train(Launcher launcher, Path root, int items) throws Exception {
        Path data = work.resolve("interactions-" + items + ".tsv");
        StringBuilder rows = new StringBuilder();
        for (int u = 0; u < 150; u++) {
            for (int j = 0; j < 12; j++) {
                rows.append('u').append(u).append("\ti").append((u * 7 + j * 13 + j * j) % items).append("\t1\n");
            }
        }
        Files.writeString(data, rows, StandardCharsets.UTF_8);
        Launcher.Result train = launcher.run("train", "--interactions", data.toString(), "--out", root.toString());
        assertEquals(0, train.exitCode(), train::describe);
        return Files.readString(root.resolve("CURRENT")).strip();
    }

    private static String servedGeneration(ManagedChannel channel) {
        try {
            return RecommenderGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .getModelInfo(GetModelInfoRequest.getDefaultInstance()).getGenerationId();
        } catch (StatusRuntimeException e) {
            return "";
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int status(String url) {
        try {
            return get(url).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static Matcher await(Launcher.RunningCommand command, Pattern line, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Launcher.SERVER_START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = line.matcher(command.stdout());
            if (m.find()) {
                return m;
            }
            if (!command.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        fail("no " + what + "\n--- stdout ---\n" + command.stdout() + "\n--- stderr ---\n" + command.stderr());
        return null;
    }

    private static void waitFor(BooleanSupplier condition, String what, Launcher.RunningCommand serve)
            throws InterruptedException {
        long deadline = System.nanoTime() + SWAP_DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !serve.isAlive()) {
                fail("waited in vain for " + what + "\n--- stderr ---\n" + serve.stderr());
            }
            Thread.sleep(50);
        }
    }
}
