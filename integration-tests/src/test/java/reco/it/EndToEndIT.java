package reco.it;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import reco.v1.GetModelInfoRequest;
import reco.v1.Model;
import reco.v1.ModelInfo;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommendResponse;
import reco.v1.RecommenderGrpc;
import reco.v1.ScoredItem;
import reco.v1.SimilarItemsRequest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 2's end-to-end path on MovieLens latest-small: {@code bin/reco train}, {@code bin/reco serve
 * --port 0}, a gRPC client against the real process, {@code bin/reco inspect}; then a retrain while
 * the server runs (the new generation is picked up with no failed call) and a corrupt generation
 * (refused; the previous one keeps serving).
 *
 * <p>The expectations come from the data, not from the model's output: Toy Story's neighbours are
 * checked against the genres MovieLens gives them, already-seen items against the user's rows of
 * ratings.csv (every rating, not only the positives), popular items against counts of positive ratings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {
    private static final String TOY_STORY = "1";
    private static final String KNOWN_USER = "1";
    private static final int K = 10;
    private static final double MIN_WEIGHT = 4.0;
    /** The trainer's default {@code --recency-half-life} (30 days), which the popularity fallback ranks by. */
    private static final double RECENCY_HALF_LIFE_SECONDS = 30 * 86_400.0;
    /** How long a published generation may take to be served: polling is 1 s, loading a few seconds on an idle box. */
    private static final Duration SWAP_DEADLINE = Duration.ofSeconds(90);

    @TempDir
    static Path work;

    private Path data;
    private Path modelDir;
    private Launcher launcher;
    private Launcher.ServerProcess server;
    private RecommenderGrpc.RecommenderBlockingStub recommender;

    @BeforeAll
    void trainAndServe() throws Exception {
        data = Path.of(System.getProperty("reco.shared.dir", "../../shared")).resolve("data/ml-latest-small")
                .toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(data.resolve("ratings.csv")) && Files.isRegularFile(data.resolve("movies.csv"))
                        && Files.isRegularFile(data.resolve("tags.csv")),
                () -> "MovieLens latest-small not found at " + data + " (system property reco.shared.dir); "
                        + "the end-to-end test needs it (CI provides it beside the repository)");
        launcher = Launcher.ofRepository();
        modelDir = work.resolve("model");
        Launcher.Result train = train();
        assertEquals(0, train.exitCode(), train::describe);
        assertTrue(train.stdout().contains("published generation"), train::describe);

        server = launcher.startServer("serve", "--model", modelDir.toString(), "--port", "0");
        recommender = RecommenderGrpc.newBlockingStub(server.channel());
    }

    private Launcher.Result train() throws IOException, InterruptedException {
        return launcher.run("train",
                "--interactions", data.resolve("ratings.csv").toString(),
                "--items", data.resolve("movies.csv").toString(),
                "--tags", data.resolve("tags.csv").toString(),
                "--min-weight", "4",
                "--out", modelDir.toString());
    }

    @AfterAll
    void stopServer() throws InterruptedException {
        if (server != null) {
            int exit = server.stop();
            assertEquals(0, exit, server::describe); // SIGTERM is a graceful stop
        }
    }

    private RecommenderGrpc.RecommenderBlockingStub stub() {
        return recommender.withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void listeningLineNamesTheGenerationCurrentPointsTo() throws IOException {
        String current = Files.readString(modelDir.resolve("CURRENT"), StandardCharsets.UTF_8).strip();
        assertEquals(current, server.initialGenerationId());
        assertEquals(9742, server.initialItemCount());
    }

    @Test
    @Order(2)
    void healthIsServing() {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(server.channel())
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
        assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.newBuilder()
                .setService(RecommenderGrpc.SERVICE_NAME).build()).getStatus());
    }

    @Test
    @Order(3)
    void modelInfoCountsMatchTheDataset() {
        ModelInfo info = stub().getModelInfo(GetModelInfoRequest.getDefaultInstance());
        assertEquals(server.initialGenerationId(), info.getGenerationId());
        assertEquals(610, info.getUserCount());
        assertEquals(9742, info.getItemCount());
        assertEquals(100_836, info.getInteractionCount());
        assertTrue(info.getModelsList().stream().anyMatch(m -> m.getModel() == Model.MODEL_CONTENT), info::toString);
        assertTrue(info.getModelsList().stream().anyMatch(m -> m.getModel() == Model.MODEL_POPULARITY), info::toString);
    }

    /**
     * The content model (genres, tags, title words) is the one whose neighbours must share Toy Story's
     * genres; the default hybrid mixes in co-ratings (Star Wars, Jurassic Park) and is checked for the
     * one neighbour every model agrees on.
     */
    @Test
    @Order(4)
    void itemsSimilarToToyStoryAreMostlyAnimationOrChildrenTitles() {
        RecommendResponse content = stub().similarItems(SimilarItemsRequest.newBuilder()
                .setItemId(TOY_STORY).setK(K).setModel(Model.MODEL_CONTENT).build());
        assertEquals(Model.MODEL_CONTENT, content.getServedBy());
        assertEquals(K, content.getItemsCount(), content::toString);
        long familyTitles = content.getItemsList().stream()
                .filter(item -> item.getCategoriesList().contains("Animation") || item.getCategoriesList().contains("Children"))
                .count();
        assertTrue(familyTitles * 2 > K, () -> familyTitles + " of " + K + " neighbours of Toy Story are Animation/Children:\n" + content);
        for (ScoredItem item : content.getItemsList()) {
            assertNotEquals(TOY_STORY, item.getItemId(), "an item is not its own neighbour");
            assertFalse(item.getTitle().isEmpty(), () -> "titles come with the items: " + item);
        }

        RecommendResponse byDefault = stub().similarItems(SimilarItemsRequest.newBuilder().setItemId(TOY_STORY).setK(K).build());
        assertEquals(K, byDefault.getItemsCount(), byDefault::toString);
        assertTrue(byDefault.getItemsList().stream().anyMatch(item -> item.getTitle().equals("Toy Story 2 (1999)")), byDefault::toString);
    }

    @Test
    @Order(5)
    void unknownUserGetsPopularItemsAndIsToldSo() throws IOException {
        RecommendResponse response = stub().recommendForUser(RecommendForUserRequest.newBuilder()
                .setUserId("someone-the-model-never-saw").setK(K).build());
        assertTrue(response.getFallback(), response::toString);
        assertFalse(response.getFallbackReason().isEmpty(), response::toString);
        assertEquals(Model.MODEL_POPULARITY, response.getServedBy());
        assertEquals(K, response.getItemsCount());
        // The oracle, from ratings.csv: the popularity fallback is recency-weighted (the trainer's default
        // half-life of 30 days, counted back from the newest rating); every positive rating adds 2^(-age/half-life).
        List<Rating> ratings = ratings();
        long newest = ratings.stream().mapToLong(Rating::timestamp).max().orElseThrow();
        Map<String, Double> trending = new HashMap<>();
        for (Rating r : ratings) {
            if (r.rating() >= MIN_WEIGHT) {
                trending.merge(r.movieId(), Math.pow(2.0, -(newest - r.timestamp()) / RECENCY_HALF_LIFE_SECONDS), Double::sum);
            }
        }
        double kthBest = trending.values().stream().sorted(Comparator.reverseOrder()).skip(K - 1).findFirst().orElseThrow();
        for (ScoredItem item : response.getItemsList()) {
            double expected = trending.getOrDefault(item.getItemId(), 0.0);
            assertTrue(expected >= kthBest * (1 - 1e-6),
                    () -> item.getItemId() + " (" + item.getTitle() + ", recency-weighted popularity " + expected
                            + ") is not among the " + K + " most popular (the " + K + "th has " + kthBest + ")");
        }
    }

    @Test
    @Order(6)
    void knownUserGetsNoItemTheyAlreadyRated() throws IOException {
        Set<String> rated = new HashSet<>();
        boolean ratedBelowThreshold = false;
        for (Rating r : ratings()) {
            if (r.userId().equals(KNOWN_USER)) {
                rated.add(r.movieId());
                ratedBelowThreshold |= r.rating() < MIN_WEIGHT;
            }
        }
        assertTrue(ratedBelowThreshold, "the fixture user should have ratings below --min-weight too");
        RecommendResponse response = stub().recommendForUser(RecommendForUserRequest.newBuilder()
                .setUserId(KNOWN_USER).setK(100).build());
        assertFalse(response.getFallback(), response::toString);
        assertEquals(100, response.getItemsCount());
        for (ScoredItem item : response.getItemsList()) {
            assertFalse(rated.contains(item.getItemId()), () -> "user " + KNOWN_USER + " already rated " + item);
        }
        // and asked to, the server does return seen items: the exclusion above is not an accident
        RecommendResponse withSeen = stub().recommendForUser(RecommendForUserRequest.newBuilder()
                .setUserId(KNOWN_USER).setK(100).setIncludeSeen(true).build());
        assertTrue(withSeen.getItemsList().stream().anyMatch(item -> rated.contains(item.getItemId())), withSeen::toString);
    }

    @Test
    @Order(7)
    void badInputGetsTheDocumentedStatusCodes() {
        assertStatus(Status.Code.INVALID_ARGUMENT,
                () -> stub().similarItems(SimilarItemsRequest.newBuilder().setItemId(TOY_STORY).setK(0).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT,
                () -> stub().similarItems(SimilarItemsRequest.newBuilder().setItemId(TOY_STORY).setK(1001).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT,
                () -> stub().recommendForUser(RecommendForUserRequest.newBuilder().setUserId("").setK(5).build()));
        assertStatus(Status.Code.NOT_FOUND,
                () -> stub().similarItems(SimilarItemsRequest.newBuilder().setItemId("no-such-movie").setK(5).build()));
    }

    private static void assertStatus(Status.Code expected, Runnable call) {
        try {
            call.run();
            fail("expected " + expected + " but the call succeeded");
        } catch (StatusRuntimeException e) {
            assertEquals(expected, e.getStatus().getCode(), e::toString);
            assertFalse(e.getStatus().getDescription() == null || e.getStatus().getDescription().isBlank(),
                    "a status for bad input says what is wrong");
        }
    }

    @Test
    @Order(8)
    void inspectValidatesTheGenerationAndPrintsItsId() throws Exception {
        Launcher.Result inspect = launcher.run("inspect", modelDir.toString());
        assertEquals(0, inspect.exitCode(), inspect::describe);
        assertTrue(inspect.stdout().contains(server.initialGenerationId()), inspect::describe);
    }

    @Test
    @Order(9)
    void retrainingWhileServingSwapsGenerationsWithoutAFailedCall() throws Exception {
        String before = stub().getModelInfo(GetModelInfoRequest.getDefaultInstance()).getGenerationId();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong calls = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Set<String> generationsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            boolean similar = t == 0;
            clients.add(Thread.ofPlatform().name("e2e-client-" + t).start(() -> {
                while (running.get()) {
                    try {
                        RecommendResponse r = similar
                                ? stub().similarItems(SimilarItemsRequest.newBuilder().setItemId(TOY_STORY).setK(K).build())
                                : stub().recommendForUser(RecommendForUserRequest.newBuilder().setUserId(KNOWN_USER).setK(K).build());
                        if (r.getItemsCount() != K) {
                            failures.add("short answer: " + r);
                        }
                        generationsSeen.add(r.getGenerationId());
                        calls.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                }
            }));
        }
        String after;
        try {
            Launcher.Result retrain = train();
            assertEquals(0, retrain.exitCode(), retrain::describe);
            String published = Files.readString(modelDir.resolve("CURRENT"), StandardCharsets.UTF_8).strip();
            assertNotEquals(before, published);
            after = awaitGeneration(published);
            // keep calling a little on the new generation
            long target = calls.get() + 20;
            while (calls.get() < target && failures.isEmpty()) {
                Thread.sleep(20);
            }
        } finally {
            running.set(false);
            for (Thread client : clients) {
                client.join();
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " failed calls during the swap, e.g. " + failures.peek());
        assertTrue(generationsSeen.contains(before) && generationsSeen.contains(after),
                () -> "calls should have been answered by both generations: " + generationsSeen);
    }

    /** Polls GetModelInfo until the server serves {@code generationId}; fails after {@link #SWAP_DEADLINE}. */
    private String awaitGeneration(String generationId) throws InterruptedException {
        long deadline = System.nanoTime() + SWAP_DEADLINE.toNanos();
        String served;
        while (!(served = stub().getModelInfo(GetModelInfoRequest.getDefaultInstance()).getGenerationId()).equals(generationId)) {
            if (System.nanoTime() > deadline) {
                fail("server still serves " + served + ", not " + generationId + ", " + SWAP_DEADLINE + " after publishing:\n"
                        + server.describe());
            }
            Thread.sleep(100);
        }
        return served;
    }

    @Test
    @Order(10)
    void aCorruptGenerationIsRefusedAndThePreviousOneKeepsServing() throws Exception {
        String served = stub().getModelInfo(GetModelInfoRequest.getDefaultInstance()).getGenerationId();
        Path source = modelDir.resolve(served);
        String corruptName = served + "-corrupt";
        Path corrupt = modelDir.resolve(corruptName);
        copyTree(source, corrupt);
        Path victim;
        try (Stream<Path> files = Files.list(corrupt)) {
            victim = files.filter(f -> f.getFileName().toString().endsWith(".bin"))
                    .max(Comparator.comparingLong(EndToEndIT::size)).orElseThrow(() -> new AssertionError("no .bin file in " + corrupt));
        }
        flipByteInTheMiddle(victim);
        int refusalsBefore = countOccurrences(server.stderr(), "refused generation");
        pointCurrentAt(corruptName);

        long deadline = System.nanoTime() + SWAP_DEADLINE.toNanos();
        while (countOccurrences(server.stderr(), "refused generation") == refusalsBefore) {
            if (System.nanoTime() > deadline) {
                fail("the server did not report refusing " + corruptName + " within " + SWAP_DEADLINE + ":\n" + server.describe());
            }
            Thread.sleep(100);
        }
        assertTrue(server.stderr().contains(corrupt.toString()), server::describe);
        assertTrue(server.process().isAlive(), "a refused generation does not stop the server");
        assertEquals(served, stub().getModelInfo(GetModelInfoRequest.getDefaultInstance()).getGenerationId());
        RecommendResponse response = stub().similarItems(SimilarItemsRequest.newBuilder().setItemId(TOY_STORY).setK(K).build());
        assertEquals(K, response.getItemsCount());
        assertEquals(served, response.getGenerationId());
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(server.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
        assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectory(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                if (Files.isDirectory(f)) {
                    copyTree(f, to.resolve(f.getFileName().toString()));
                } else {
                    Files.copy(f, to.resolve(f.getFileName().toString()));
                }
            }
        }
    }

    private static void flipByteInTheMiddle(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long position = channel.size() / 2;
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.flip();
            byte flipped = (byte) (one.get(0) ^ 0x5A);
            channel.write(ByteBuffer.wrap(new byte[] {flipped}), position);
            channel.force(true);
        }
    }

    /** The trainer's own publishing step: write a temporary file, then rename it over CURRENT. */
    private void pointCurrentAt(String generation) throws IOException {
        Path temporary = modelDir.resolve("CURRENT.e2e-tmp");
        Files.writeString(temporary, generation + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, modelDir.resolve("CURRENT"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static int countOccurrences(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }

    private record Rating(String userId, String movieId, double rating, long timestamp) {}

    private List<Rating> ratings() throws IOException {
        List<Rating> rows = new ArrayList<>();
        try (Stream<String> lines = Files.lines(data.resolve("ratings.csv"), StandardCharsets.UTF_8)) {
            lines.skip(1).map(String::strip).filter(l -> !l.isEmpty()).forEach(line -> {
                String[] f = line.split(",");
                rows.add(new Rating(f[0], f[1], Double.parseDouble(f[2]), Long.parseLong(f[3])));
            });
        }
        return rows;
    }
}
