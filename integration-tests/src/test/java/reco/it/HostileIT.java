package reco.it;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import reco.model.generation.GenerationWriter;
import reco.v1.AdminGrpc;
import reco.v1.BatchRecommendForUserRequest;
import reco.v1.BatchSimilarItemsRequest;
import reco.v1.EchoRequest;
import reco.v1.ExplainRequest;
import reco.v1.Filter;
import reco.v1.GetModelInfoRequest;
import reco.v1.RecommendForItemsRequest;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommenderGrpc;
import reco.v1.ReloadRequest;
import reco.v1.SimilarItemsRequest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The serving half of the hostile suite (docs/reliability.md, "Serving under hostile clients"): one real
 * {@code bin/reco serve} over Netty and its HTTP listener, fed out-of-contract requests, bytes that do not
 * parse, oversized messages, a cost-amplifying batch, streams that never send a request, an HTTP/2
 * rapid-reset flood, a slowloris HTTP client, Admin calls without rights and a reload storm, and
 * explanations of other users' histories.
 *
 * <p>The storage half (damaged, misnamed and mixed generations, CURRENT junk, killed trainers) is
 * {@link StorageFaultsIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileIT {
    private static final String ADMIN_TOKEN = "admin-0123456789abcdef0123456789";
    private static final String EXPLAIN_TOKEN = "explain-0123456789abcdef01234567";
    /** The server's --max-call-duration here: short, so stalled streams are seen cancelled quickly. */
    private static final Duration MAX_CALL = Duration.ofSeconds(3);
    /** --max-concurrent-calls here: far below the 512 stalled streams, which must not exhaust it. */
    private static final int MAX_CONCURRENT_CALLS = 64;
    private static final int MAX_MESSAGE = 4 * 1024 * 1024; // the default --max-inbound-message-size
    /** The cost-amplifying batch is sent this often during the attack windows. */
    private static final Duration ATTACK_INTERVAL = Duration.ofMillis(50);
    private static final Pattern HTTP_LISTENING = Pattern.compile("reco http listening on (\\S+):(\\d+)");

    @TempDir
    static Path work;

    private final Launcher launcher = Launcher.ofRepository();
    private Path root;
    private String served;
    private Launcher.ServerProcess server;
    private RecommenderGrpc.RecommenderBlockingStub stub;
    private int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    void trainAndServe() throws Exception {
        Path interactions = work.resolve("interactions.tsv");
        StringBuilder rows = new StringBuilder();
        Random random = new Random(7);
        for (int u = 0; u < 300; u++) {
            for (int k = 0; k < 20; k++) {
                rows.append("user-").append(u).append('\t').append("item-").append(random.nextInt(400)).append('\t')
                        .append(1 + random.nextInt(5)).append('\n');
            }
        }
        Files.writeString(interactions, rows, StandardCharsets.UTF_8);
        root = work.resolve("model");
        Launcher.Result train = launcher.run("train", "--interactions", interactions.toString(), "--out", root.toString());
        assertEquals(0, train.exitCode(), train::describe);
        Path adminToken = Files.writeString(work.resolve("admin.token"), ADMIN_TOKEN + "\n");
        Path explainToken = Files.writeString(work.resolve("explain.token"), EXPLAIN_TOKEN + "\n");
        server = launcher.startServer("serve", "--model", root.toString(), "--port", "0", "--http-port", "0",
                // no polling: only the reload storm below validates the corrupt generation it publishes
                "--poll-interval", "1h", "--max-call-duration", MAX_CALL.toSeconds() + "s", "--max-concurrent-calls", "" + MAX_CONCURRENT_CALLS,
                "--admin-token-file", adminToken.toString(), "--explain-token-file", explainToken.toString());
        served = server.initialGenerationId();
        Matcher m = HTTP_LISTENING.matcher(server.stdout());
        assertTrue(m.find(), server::describe);
        httpPort = Integer.parseInt(m.group(2));
        stub = RecommenderGrpc.newBlockingStub(server.channel()).withDeadlineAfter(5, TimeUnit.MINUTES);
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) {
            assertEquals(0, server.stop(), server::describe);
            assertFalse(server.stderr().contains("Application error processing RPC"), server::describe);
            assertFalse(server.stderr().contains("Exception in thread"), server::describe);
        }
    }

    private RecommenderGrpc.RecommenderBlockingStub stub() {
        return stub.withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static Status statusOf(Executable call) {
        return assertThrows(StatusRuntimeException.class, call).getStatus();
    }

    /** The call fails with {@code code} and a description naming {@code field}. */
    private static void refused(Status.Code code, String field, Executable call) {
        Status status = statusOf(call);
        assertEquals(code, status.getCode(), () -> field + ": " + status);
        assertNotNull(status.getDescription(), field);
        assertTrue(status.getDescription().contains(field), () -> "'" + field + "' not named in: " + status.getDescription());
    }

    private static RecommendForUserRequest.Builder user(int k) {
        return RecommendForUserRequest.newBuilder().setUserId("user-1").setK(k);
    }

    private static RecommendForItemsRequest.Builder items(int k) {
        return RecommendForItemsRequest.newBuilder().addItemIds("item-1").setK(k);
    }

    private static List<String> ids(int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add("x" + i);
        }
        return ids;
    }

    // ---------------------------------------------------------------- request limits

    @Test
    void kOutOfRangeAndEveryListOneOverItsLimitAreInvalidArgumentNamingTheField() {
        for (int k : new int[] {-1, Integer.MIN_VALUE, 0, 1001}) {
            refused(Status.Code.INVALID_ARGUMENT, "k must be 1..1000", () -> stub().recommendForUser(user(k).build()));
            refused(Status.Code.INVALID_ARGUMENT, "k must be 1..1000", () -> stub().similarItems(
                    SimilarItemsRequest.newBuilder().setItemId("item-1").setK(k).build()));
            refused(Status.Code.INVALID_ARGUMENT, "k must be 1..1000", () -> stub().recommendForItems(items(k).build()));
        }
        refused(Status.Code.INVALID_ARGUMENT, "recent_item_ids", () -> stub().recommendForUser(
                user(5).addAllRecentItemIds(ids(1001)).build()));
        refused(Status.Code.INVALID_ARGUMENT, "item_ids", () -> stub().recommendForItems(
                RecommendForItemsRequest.newBuilder().addAllItemIds(ids(1001)).setK(5).build()));
        List<Function<List<String>, Filter>> filters = List.of(
                l -> Filter.newBuilder().addAllExcludeItemIds(l).build(),
                l -> Filter.newBuilder().addAllAllowItemIds(l).build(),
                l -> Filter.newBuilder().addAllIncludeCategories(l).build(),
                l -> Filter.newBuilder().addAllExcludeCategories(l).build());
        List<String> names = List.of("filter.exclude_item_ids", "filter.allow_item_ids", "filter.include_categories",
                "filter.exclude_categories");
        for (int i = 0; i < filters.size(); i++) {
            Filter atLimit = filters.get(i).apply(ids(10_000));
            Filter overLimit = filters.get(i).apply(ids(10_001));
            stub().recommendForUser(user(5).setFilter(atLimit).build()); // at the limit: answered
            refused(Status.Code.INVALID_ARGUMENT, names.get(i), () -> stub().recommendForUser(user(5).setFilter(overLimit).build()));
        }
        BatchRecommendForUserRequest.Builder batch = BatchRecommendForUserRequest.newBuilder();
        for (int i = 0; i < 1001; i++) {
            batch.addRequests(user(1));
        }
        refused(Status.Code.INVALID_ARGUMENT, "requests", () -> stub().batchRecommendForUser(batch.build()));
        BatchSimilarItemsRequest.Builder similar = BatchSimilarItemsRequest.newBuilder();
        for (int i = 0; i < 1001; i++) {
            similar.addRequests(SimilarItemsRequest.newBuilder().setItemId("item-1").setK(1));
        }
        refused(Status.Code.INVALID_ARGUMENT, "requests", () -> stub().batchSimilarItems(similar.build()));
        RecommendForUserRequest.Builder boosts = user(5);
        for (int i = 0; i < 1001; i++) {
            boosts.putCategoryBoosts("c" + i, 2f);
        }
        refused(Status.Code.INVALID_ARGUMENT, "category_boosts", () -> stub().recommendForUser(boosts.build()));
        refused(Status.Code.INVALID_ARGUMENT, "user_id", () -> stub().recommendForUser(
                RecommendForUserRequest.newBuilder().setUserId("u".repeat(513)).setK(5).build()));
        refused(Status.Code.INVALID_ARGUMENT, "max_contributions", () -> stub().explain(ExplainRequest.newBuilder()
                .addItemIds("item-1").setItemId("item-2").setMaxContributions(101).build()));
    }

    @Test
    void nonFiniteAndOutOfRangeFloatsAndBadTimestampsAreInvalidArgumentNamingTheField() {
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.01f, 1.01f};
        for (float v : bad) {
            refused(Status.Code.INVALID_ARGUMENT, "diversity", () -> stub().recommendForUser(user(5).setDiversity(v).build()));
            refused(Status.Code.INVALID_ARGUMENT, "exploration_share", () -> stub().recommendForUser(user(5).setExplorationShare(v).build()));
            refused(Status.Code.INVALID_ARGUMENT, "context_weight", () -> stub().recommendForUser(user(5).setContextWeight(v).build()));
            refused(Status.Code.INVALID_ARGUMENT, "diversity", () -> stub().recommendForItems(items(5).setDiversity(v).build()));
            refused(Status.Code.INVALID_ARGUMENT, "exploration_share", () -> stub().recommendForItems(items(5).setExplorationShare(v).build()));
            refused(Status.Code.INVALID_ARGUMENT, "context_weight", () -> stub().recommendForItems(items(5).setContextWeight(v).build()));
        }
        for (float v : new float[] {Float.NaN, Float.POSITIVE_INFINITY, -1f, 100.01f}) {
            refused(Status.Code.INVALID_ARGUMENT, "category_boosts['Drama']", () -> stub().recommendForUser(
                    user(5).putCategoryBoosts("Drama", v).build()));
            refused(Status.Code.INVALID_ARGUMENT, "category_boosts['Drama']", () -> stub().recommendForItems(
                    items(5).putCategoryBoosts("Drama", v).build()));
        }
        Timestamp yearZero = Timestamp.newBuilder().setSeconds(-62_135_596_801L).build();
        Timestamp negativeNanos = Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(-1).build();
        Timestamp billionNanos = Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(1_000_000_000).build();
        for (Timestamp t : List.of(yearZero, negativeNanos, billionNanos)) {
            refused(Status.Code.INVALID_ARGUMENT, "context_time", () -> stub().recommendForUser(
                    user(5).setContextWeight(0.5f).setContextTime(t).build()));
            refused(Status.Code.INVALID_ARGUMENT, "context_time", () -> stub().recommendForItems(
                    items(5).setContextTime(t).build()));
        }
        // the same fields at their extremes are answered
        stub().recommendForUser(user(5).setDiversity(1).setContextWeight(1).setContextTime(
                Timestamp.newBuilder().setSeconds(253_402_300_799L).setNanos(999_999_999)).putCategoryBoosts("Drama", 100).build());
    }

    // ---------------------------------------------------------------- bytes that are not a request

    private static MethodDescriptor<byte[], byte[]> raw(String method) {
        MethodDescriptor.Marshaller<byte[]> bytes = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(byte[] value) {
                return new ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("reco.v1.Recommender/" + method).setRequestMarshaller(bytes).setResponseMarshaller(bytes)
                .build();
    }

    @Test
    void invalidUtf8AndTruncatedProtobufAreInvalidArgumentWithOneLogLine() throws Exception {
        ManagedChannel channel = server.channel();
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS);
        // RecommendForUser: field 1 (user_id) = bytes C3 28 (not UTF-8), field 2 (k) = 5
        byte[] badUtf8 = {0x0a, 0x02, (byte) 0xc3, 0x28, 0x10, 0x05};
        // field 1 announced with 100 bytes, 3 sent
        byte[] truncated = {0x0a, 0x64, 'a', 'b', 'c'};
        // a varint that never ends
        byte[] endless = {0x10, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        for (int round = 0; round < 20; round++) {
            for (byte[] body : List.of(badUtf8, truncated, endless)) {
                for (String method : List.of("RecommendForUser", "SimilarItems", "BatchRecommendForUser", "Explain")) {
                    Status status = statusOf(() -> ClientCalls.blockingUnaryCall(channel, raw(method), options, body));
                    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), () -> method + ": " + status);
                    assertTrue(status.getDescription().contains("not a valid protobuf message"), status::toString);
                }
            }
        }
        Status utf8 = statusOf(() -> ClientCalls.blockingUnaryCall(channel, raw("RecommendForUser"), options, badUtf8));
        assertTrue(utf8.getDescription().contains("UTF-8"), utf8::toString);
        Thread.sleep(500); // let the log reach the reader
        String log = server.stderr();
        long lines = log.lines().filter(l -> l.contains("refused a malformed request")).count();
        assertEquals(1, lines, "241 malformed requests, one log line a minute:\n" + log);
        assertFalse(log.contains("InvalidProtocolBufferException"), "no stack trace per call:\n" + log);
        assertEquals(served, stub().getModelInfo(GetModelInfoRequest.getDefaultInstance()).getGenerationId());
        assertTrue(metric("reco_calls_refused_total", "reason=\"malformed\"") >= 241, this::metrics);
    }

    @Test
    void aRequestOneByteOverTheMessageLimitIsResourceExhaustedAndTheNextCallSucceeds() {
        // Echo payload: tag (1 byte) + length varint (4 bytes) + payload = MAX_MESSAGE + 1
        EchoRequest tooBig = EchoRequest.newBuilder().setPayload(ByteString.copyFrom(new byte[MAX_MESSAGE + 1 - 5])).build();
        assertEquals(MAX_MESSAGE + 1, tooBig.getSerializedSize());
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            RecommenderGrpc.RecommenderBlockingStub s = RecommenderGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
            Status status = statusOf(() -> s.echo(tooBig));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode(), status::toString);
            EchoRequest atLimit = EchoRequest.newBuilder().setPayload(ByteString.copyFrom(new byte[MAX_MESSAGE - 5])).build();
            assertEquals(MAX_MESSAGE, atLimit.getSerializedSize());
            assertEquals(MAX_MESSAGE - 5, s.withDeadlineAfter(60, TimeUnit.SECONDS).echo(atLimit).getPayload().size(),
                    "the next call on the same connection succeeds");
            assertEquals(served, s.withDeadlineAfter(60, TimeUnit.SECONDS).getModelInfo(GetModelInfoRequest.getDefaultInstance())
                    .getGenerationId());
        } finally {
            channel.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- cost

    @Test
    void aCostAmplifyingBatchIsRefusedByTheBudgetWithoutHeapGrowthOrSlowingOthers() throws Exception {
        Metadata explainRight = new Metadata();
        explainRight.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + EXPLAIN_TOKEN);
        BatchRecommendForUserRequest.Builder b = BatchRecommendForUserRequest.newBuilder();
        for (int i = 0; i < 1000; i++) {
            b.addRequests(RecommendForUserRequest.newBuilder().setUserId("user-" + (i % 300)).setK(1000).setDiversity(0.5f)
                    .setExplain(true));
        }
        BatchRecommendForUserRequest hostile = b.build();
        RecommenderGrpc.RecommenderBlockingStub attacker = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(explainRight));

        long start = System.nanoTime();
        refused(Status.Code.INVALID_ARGUMENT, "--max-items-per-call",
                () -> attacker.withDeadlineAfter(60, TimeUnit.SECONDS).batchRecommendForUser(hostile));
        long refusedMillis = (System.nanoTime() - start) / 1_000_000;

        RecommendForUserRequest victim = user(10).build();
        for (int i = 0; i < 200; i++) {
            stub().recommendForUser(victim); // warm-up
        }
        // retained heap: the old generation (young collections empty eden whenever they like)
        assertTrue(metrics().contains("id=\"G1 Old Gen\""), "bin/reco serve runs G1");
        double heapBefore = metric("jvm_memory_used_bytes", "id=\"G1 Old Gen\"");
        // The attacker on its own connection, sending the batch's bytes serialized once (so that the load is the
        // server's, not this JVM's), 20 times a second: each batch asks for what would take the server minutes
        // of CPU without the budget. (A closed loop of refused calls costs what any flood of calls costs; per
        // client rate limits belong in a proxy.) The victim's latency alternates between windows with and
        // without the attack, so both see the same background load of a shared machine.
        ManagedChannel attackChannel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        io.grpc.Channel authorized = io.grpc.ClientInterceptors.intercept(attackChannel,
                MetadataUtils.newAttachHeadersInterceptor(explainRight));
        byte[] hostileBytes = hostile.toByteArray();
        AtomicBoolean attacking = new AtomicBoolean(false);
        AtomicBoolean done = new AtomicBoolean(false);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Integer> attack = pool.submit(() -> {
            int n = 0;
            while (!done.get()) {
                if (!attacking.get()) {
                    Thread.sleep(1);
                    continue;
                }
                long next = System.nanoTime() + ATTACK_INTERVAL.toNanos();
                Status s = statusOf(() -> ClientCalls.blockingUnaryCall(authorized, raw("BatchRecommendForUser"),
                        CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), hostileBytes));
                assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode(), s::toString);
                n++;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            return n;
        });
        // Up to three measurement rounds: a p99 on a machine shared with other builds swings by itself, so one
        // round within the bound suffices. Without the budget every round fails by orders of magnitude (each
        // batch would hold a core for minutes).
        List<String> rounds = new ArrayList<>();
        boolean within = false;
        int attacks;
        try {
            for (int round = 0; round < 3 && !within; round++) {
                long[] baseline = new long[0];
                long[] underAttack = new long[0];
                for (int window = 0; window < 8; window++) {
                    baseline = concat(baseline, latencies(victim, 100));
                    attacking.set(true);
                    Thread.sleep(20);
                    underAttack = concat(underAttack, latencies(victim, 100));
                    attacking.set(false);
                }
                double p99Baseline = p99(baseline) / 1e6;
                double p99Attack = p99(underAttack) / 1e6;
                // 2 ms floor: below it p99s on a shared 2-core machine are scheduling noise, not server work
                within = p99Attack < 2 * Math.max(p99Baseline, 2.0);
                rounds.add(String.format("victim p99 %.2f ms baseline, %.2f ms under attack (%.2fx)", p99Baseline, p99Attack,
                        p99Attack / p99Baseline));
            }
        } finally {
            done.set(true);
            attacks = attack.get(2, TimeUnit.MINUTES);
            pool.shutdown();
            attackChannel.shutdownNow();
        }
        double heapAfter = metric("jvm_memory_used_bytes", "id=\"G1 Old Gen\"");
        double heapGrowthMb = (heapAfter - heapBefore) / 1e6;
        System.out.printf("HostileIT cost budget: first refusal in %d ms; %d hostile batches of %d KB sent; %s; "
                + "old generation %+.1f MB%n", refusedMillis, attacks, hostileBytes.length / 1024, String.join("; ", rounds),
                heapGrowthMb);
        assertTrue(attacks > 0);
        assertTrue(heapGrowthMb < 50, () -> "heap grew by " + heapGrowthMb + " MB");
        assertTrue(within, () -> "the victim's p99 under attack stayed above 2x its baseline in every round: " + rounds);
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private long[] latencies(RecommendForUserRequest request, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            stub().recommendForUser(request);
            out[i] = System.nanoTime() - t;
        }
        return out;
    }

    private static double p99(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(0.99 * sorted.length) - 1];
    }

    // ---------------------------------------------------------------- slow and hostile connections

    @Test
    void streamsThatSendOnlyHeadersLockNobodyOutAndAreCancelledAtTheMaximumCallDuration() throws Exception {
        // a raw HTTP/2 client: grpc-java's own holds a unary call's HEADERS back until its message is written
        List<RawHttp2> connections = new ArrayList<>();
        try {
            for (int c = 0; c < 4; c++) {
                RawHttp2 connection = new RawHttp2("127.0.0.1", server.port(), "/reco.v1.Recommender/RecommendForUser");
                connections.add(connection);
                for (int i = 0; i < 128; i++) {
                    connection.headers(1 + 2 * i); // headers, never a message
                }
                connection.flush();
            }
            long opened = System.nanoTime();
            // 512 stalled streams, 64 concurrent-call slots: another client is still answered
            for (int i = 0; i < 20; i++) {
                assertEquals(10, stub().recommendForUser(user(10).build()).getItemsCount());
            }
            long deadline = opened + MAX_CALL.toNanos() + TimeUnit.SECONDS.toNanos(60);
            for (RawHttp2 connection : connections) {
                while (connection.closedStreams.size() < 128) {
                    assertTrue(System.nanoTime() < deadline, () -> "stalled streams still open: " + (128 - connection.closedStreams.size()));
                    Thread.sleep(50);
                }
            }
            double seconds = (System.nanoTime() - opened) / 1e9;
            System.out.printf("HostileIT stalled streams: 512 closed by the server %.1f s after opening (max call duration %d s)%n",
                    seconds, MAX_CALL.toSeconds());
            assertTrue(seconds >= MAX_CALL.toSeconds() - 0.5, "closed before the maximum call duration: " + seconds + " s");
            assertTrue(metric("reco_calls_refused_total", "reason=\"call-duration\"") >= 512, this::metrics);
        } finally {
            for (RawHttp2 connection : connections) {
                connection.close();
            }
        }
    }

    @Test
    void anHttp2RapidResetFloodGetsGoawayWithBoundedCpu() throws Exception {
        long cpuBefore = cpuMillis(server.pid());
        int sent = 0;
        int code;
        try (RawHttp2 connection = new RawHttp2("127.0.0.1", server.port(), "/reco.v1.Recommender/Echo")) {
            try {
                for (int stream = 1; sent < 2000 && !connection.goAway.isDone(); stream += 2, sent++) {
                    connection.headers(stream);
                    connection.reset(stream);
                    if (sent % 50 == 49) {
                        connection.flush();
                    }
                }
                connection.flush();
            } catch (IOException closedByServer) {
                // the server closed the connection after its GOAWAY
            }
            code = connection.goAway.get(60, TimeUnit.SECONDS);
        }
        long cpuMillis = cpuMillis(server.pid()) - cpuBefore;
        System.out.printf("HostileIT rapid reset: GOAWAY error %d; %d HEADERS+RST_STREAM pairs written; server CPU %d ms%n",
                code, sent, cpuMillis);
        assertEquals(0xb, code, "GOAWAY with ENHANCE_YOUR_CALM");
        assertTrue(cpuMillis < 10_000, "server CPU during the flood: " + cpuMillis + " ms");
        assertEquals(served, stub().getModelInfo(GetModelInfoRequest.getDefaultInstance()).getGenerationId(),
                "other connections are served");
    }

    /** User + system CPU time of a process, from /proc (Linux). */
    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
        return ticks * 10; // USER_HZ = 100 on Linux
    }

    @Test
    void aSlowlorisOnHealthzDoesNotDelayAParallelHealthz() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 32; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", httpPort), 5000);
                s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            long worst = 0;
            int slowRounds = 0;
            for (int round = 0; round < 10; round++) {
                for (Socket s : slow) {
                    s.getOutputStream().write('a'); // one byte now and then: the request never completes
                    s.getOutputStream().flush();
                }
                long t = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/healthz"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                long millis = (System.nanoTime() - t) / 1_000_000;
                worst = Math.max(worst, millis);
                if (millis >= 1000) {
                    slowRounds++;
                }
                assertEquals(200, r.statusCode(), r::body);
                Thread.sleep(200);
            }
            System.out.printf("HostileIT slowloris: 32 dribbling /healthz clients, parallel /healthz worst %d ms%n", worst);
            // a slowloris that held the listener would make every round slow (or time out); one slow round
            // in ten is a shared machine's scheduling, not the attack
            assertTrue(slowRounds <= 1, slowRounds + " of 10 parallel /healthz took 1 s or more (worst " + worst + " ms)");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    // ---------------------------------------------------------------- rights

    private AdminGrpc.AdminBlockingStub admin(String token) {
        AdminGrpc.AdminBlockingStub a = AdminGrpc.newBlockingStub(server.channel()).withDeadlineAfter(120, TimeUnit.SECONDS);
        if (token == null) {
            return a;
        }
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return a.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Test
    void adminWithoutRightsIsRefusedAndAReloadStormValidatesACorruptGenerationOnce() throws Exception {
        Status none = statusOf(() -> admin(null).reload(ReloadRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, none.getCode(), none::toString);
        Status wrong = statusOf(() -> admin(ADMIN_TOKEN.replace('0', '9')).reload(ReloadRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, wrong.getCode(), wrong::toString);

        double refusedBefore = metric("reco_model_refused_total", "");
        String corrupt = "gen-corrupt-copy";
        Path copy = root.resolve(corrupt);
        copyTree(root.resolve(served), copy);
        Path victimFile;
        try (Stream<Path> files = Files.list(copy)) {
            victimFile = files.filter(p -> p.getFileName().toString().startsWith("popularity")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(victimFile);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(victimFile, bytes);
        GenerationWriter.publishCurrent(root, corrupt);
        try {
            ExecutorService pool = Executors.newFixedThreadPool(50);
            List<Future<Status.Code>> reloads = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                reloads.add(pool.submit(() -> {
                    try {
                        admin(ADMIN_TOKEN).reload(ReloadRequest.getDefaultInstance());
                        return Status.Code.OK;
                    } catch (StatusRuntimeException e) {
                        return e.getStatus().getCode();
                    }
                }));
            }
            for (Future<Status.Code> r : reloads) {
                Status.Code code = r.get(5, TimeUnit.MINUTES);
                assertEquals(Status.Code.FAILED_PRECONDITION, code, "a reload of a corrupt generation");
            }
            pool.shutdown();
            double validations = metric("reco_model_refused_total", "") - refusedBefore;
            System.out.printf("HostileIT reload storm: 200 concurrent Reloads, %.0f validation(s) refused the corrupt generation%n",
                    validations);
            assertEquals(1.0, validations, "the corrupt generation is validated once, however many reloads ask:\n" + metrics());
            assertEquals(served, stub().getModelInfo(GetModelInfoRequest.getDefaultInstance()).getGenerationId(),
                    "the old generation keeps serving");
        } finally {
            GenerationWriter.publishCurrent(root, served);
        }
    }

    @Test
    void explainingAUsersHistoryNeedsTheExplainRight() {
        ExplainRequest forUser = ExplainRequest.newBuilder().setUserId("user-1").setItemId("item-1").build();
        Metadata withToken = new Metadata();
        withToken.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + EXPLAIN_TOKEN);
        Metadata wrongToken = new Metadata();
        wrongToken.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + ADMIN_TOKEN);
        RecommenderGrpc.RecommenderBlockingStub right = stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(withToken));
        RecommenderGrpc.RecommenderBlockingStub wrong = stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(wrongToken));

        refused(Status.Code.PERMISSION_DENIED, "explain right", () -> stub().explain(forUser));
        refused(Status.Code.PERMISSION_DENIED, "explain right", () -> wrong.explain(forUser));
        refused(Status.Code.PERMISSION_DENIED, "explain right", () -> stub().recommendForUser(user(5).setExplain(true).build()));
        refused(Status.Code.PERMISSION_DENIED, "explain right", () -> stub().batchRecommendForUser(BatchRecommendForUserRequest
                .newBuilder().addRequests(user(5)).addRequests(user(5).setExplain(true)).build()));
        // a stranger's id is refused the same way: no hint whether the user exists
        refused(Status.Code.PERMISSION_DENIED, "explain right", () -> stub().explain(forUser.toBuilder().setUserId("nobody").build()));

        // with the token: answered (a contribution list, or NOT_FOUND for an item the user's history does not explain)
        try {
            assertEquals(served, right.explain(forUser).getGenerationId());
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e::toString);
        }
        assertTrue(right.recommendForUser(user(5).setExplain(true).build()).getItems(0).getReason().length() > 0);
        // what the caller sends itself needs no right
        try {
            stub().explain(ExplainRequest.newBuilder().addItemIds("item-1").addItemIds("item-2").setItemId("item-3").build());
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), e::toString);
        }
        assertEquals(5, stub().recommendForItems(items(5).setExplain(true).build()).getItemsCount());
    }

    // ---------------------------------------------------------------- helpers

    private String metrics() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sum of the samples of {@code name} whose labels contain {@code labelFilter}. */
    private double metric(String name, String labelFilter) {
        double sum = 0;
        for (String line : metrics().lines().toList()) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                if (line.contains(labelFilter)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /**
     * An HTTP/2 client written frame by frame (no library misbehaves on purpose): the connection preface,
     * then HEADERS of gRPC calls that never send a message, and RST_STREAMs at will (the CVE-2023-44487
     * "rapid reset" pattern). A reader thread acknowledges the server's SETTINGS and records the streams
     * the server closes and its GOAWAY.
     */
    static final class RawHttp2 implements AutoCloseable {
        private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        private static final int HEADERS = 0x1;
        private static final int RST_STREAM = 0x3;
        private static final int SETTINGS = 0x4;
        private static final int GOAWAY = 0x7;
        private static final int END_STREAM = 0x1;
        private static final int ACK = 0x1;
        private static final int END_HEADERS = 0x4;
        private static final int CANCEL = 0x8;

        private final Socket socket = new Socket();
        private final OutputStream out;
        private final byte[] headerBlock;
        /** The GOAWAY's error code; -1 when the connection ended without one. */
        final CompletableFuture<Integer> goAway = new CompletableFuture<>();
        /** Streams the server ended (HEADERS with END_STREAM, i.e. trailers, or RST_STREAM). */
        final java.util.Set<Integer> closedStreams = java.util.concurrent.ConcurrentHashMap.newKeySet();

        RawHttp2(String host, int port, String path) throws IOException {
            socket.connect(new InetSocketAddress(host, port), 5000);
            out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            headerBlock = headerBlock(path, host + ":" + port);
            synchronized (out) {
                out.write(PREFACE);
                frame(SETTINGS, 0, 0, new byte[0]);
                out.flush();
            }
            Thread.ofPlatform().daemon().name("raw-http2-reader").start(this::read);
        }

        void headers(int stream) throws IOException {
            frame(HEADERS, END_HEADERS, stream, headerBlock);
        }

        void reset(int stream) throws IOException {
            frame(RST_STREAM, 0, stream, new byte[] {0, 0, 0, CANCEL});
        }

        void flush() throws IOException {
            synchronized (out) {
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }

        private void read() {
            try {
                InputStream in = socket.getInputStream();
                while (true) {
                    byte[] header = in.readNBytes(9);
                    if (header.length < 9) {
                        break;
                    }
                    int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
                    int type = header[3] & 0xff;
                    int flags = header[4] & 0xff;
                    int stream = ((header[5] & 0x7f) << 24) | ((header[6] & 0xff) << 16) | ((header[7] & 0xff) << 8) | (header[8] & 0xff);
                    byte[] payload = in.readNBytes(length);
                    if (payload.length < length) {
                        break;
                    }
                    if (type == SETTINGS && (flags & ACK) == 0) {
                        frame(SETTINGS, ACK, 0, new byte[0]);
                        flush();
                    } else if (type == HEADERS && (flags & END_STREAM) != 0 || type == RST_STREAM) {
                        closedStreams.add(stream);
                    } else if (type == GOAWAY) {
                        goAway.complete(((payload[4] & 0xff) << 24) | ((payload[5] & 0xff) << 16) | ((payload[6] & 0xff) << 8)
                                | (payload[7] & 0xff));
                    }
                }
            } catch (IOException e) {
                // closed
            }
            goAway.complete(-1);
        }

        private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
            synchronized (out) {
                out.write(new byte[] {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                        (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
                out.write(payload);
            }
        }

        /** HPACK without Huffman or dynamic table: indexed fields and literals with indexed names. */
        private static byte[] headerBlock(String path, String authority) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(0x83); // :method POST
            b.write(0x86); // :scheme http
            b.write(0x04); // :path (literal, indexed name 4)
            string(b, path);
            b.write(0x01); // :authority
            string(b, authority);
            b.writeBytes(new byte[] {0x0f, 0x10}); // content-type (static index 31)
            string(b, "application/grpc");
            b.write(0x00); // te: trailers (literal name)
            string(b, "te");
            string(b, "trailers");
            return b.toByteArray();
        }

        private static void string(ByteArrayOutputStream b, String s) {
            byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length >= 127) {
                throw new IllegalArgumentException("short strings only");
            }
            b.write(bytes.length);
            b.writeBytes(bytes);
        }
    }
}
