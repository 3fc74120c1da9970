package reco.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import reco.v1.GetModelInfoRequest;
import reco.v1.Interaction;
import reco.v1.Model;
import reco.v1.ModelInfo;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommendResponse;
import reco.v1.RecommenderGrpc;
import reco.v1.RecordInteractionsRequest;
import reco.v1.RecordInteractionsResponse;
import reco.v1.ScoredItem;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live feedback through the real processes, on MovieLens latest-small: {@code bin/reco serve --feedback DIR},
 * a new user records three events over gRPC and is no longer served the popular list nor those items; a
 * restart keeps the events; a generation trained without the feedback keeps them in the live store, and one
 * trained with {@code --feedback DIR} holds them itself (the user is known to it) and retires them from the
 * store. A second server process on the same feedback directory shares the events.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveFeedbackIT {
    private static final String NEW_USER = "live-feedback-newcomer";
    /** Toy Story, Toy Story 2, A Bug's Life. */
    private static final List<String> RECORDED = List.of("1", "3114", "2355");
    private static final int K = 20;
    private static final Duration SWAP_DEADLINE = Duration.ofSeconds(120);
    private static final Pattern HTTP_LISTENING = Pattern.compile("reco http listening on (\\S+):(\\d+)");

    @TempDir
    static Path work;

    private Path ratings;
    private Path modelDir;
    private Path feedbackDir;
    private Launcher launcher;
    private Launcher.ServerProcess server;

    @BeforeAll
    void trainAndServe() throws Exception {
        Path data = Path.of(System.getProperty("reco.shared.dir", "../../shared")).resolve("data/ml-latest-small")
                .toAbsolutePath().normalize();
        ratings = data.resolve("ratings.csv");
        assertTrue(Files.isRegularFile(ratings), () -> "MovieLens latest-small is required at " + data
                + " (system property reco.shared.dir)");
        launcher = Launcher.ofRepository();
        modelDir = work.resolve("model");
        feedbackDir = work.resolve("feedback");
        train();
        server = serve();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (server != null) {
            server.stop();
        }
    }

    private void train(String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--interactions", ratings.toString(),
                "--min-weight", "4", "--models", "item-knn", "--out", modelDir.toString()));
        args.addAll(List.of(extra));
        Launcher.Result r = launcher.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r::describe);
    }

    private Launcher.ServerProcess serve() throws Exception {
        return launcher.startServer("serve", "--model", modelDir.toString(), "--port", "0", "--http-port", "0",
                "--feedback", feedbackDir.toString());
    }

    private RecommenderGrpc.RecommenderBlockingStub stub() {
        return RecommenderGrpc.newBlockingStub(server.channel()).withDeadlineAfter(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    private RecommendResponse recommend(String user) {
        return stub().recommendForUser(RecommendForUserRequest.newBuilder().setUserId(user).setK(K).build());
    }

    private static List<String> ids(RecommendResponse r) {
        return r.getItemsList().stream().map(ScoredItem::getItemId).toList();
    }

    private double metric(String name) throws Exception {
        Matcher m = HTTP_LISTENING.matcher(server.stdout());
        assertTrue(m.find(), server::describe);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + m.group(1) + ":" + m.group(2) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + name + " in /metrics:\n" + r.body());
    }

    private String awaitNewGeneration(String previous) throws Exception {
        long deadline = System.nanoTime() + SWAP_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            ModelInfo info = stub().getModelInfo(GetModelInfoRequest.getDefaultInstance());
            if (!info.getGenerationId().equals(previous)) {
                return info.getGenerationId();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("generation " + previous + " still served after " + SWAP_DEADLINE + "\n" + server.describe());
    }

    private void assertPersonalisedAndExcludingRecorded(RecommendResponse r, List<String> popular) {
        assertNotEquals(Model.MODEL_POPULARITY, r.getServedBy(), r.toString());
        assertNotEquals(popular, ids(r));
        for (String item : RECORDED) {
            assertFalse(ids(r).contains(item), item + " was recorded, yet recommended: " + ids(r));
        }
    }

    @Test
    void recordedEventsPersonaliseANewUserAndOutliveRestartsAndNewGenerations() throws Exception {
        RecommendResponse popular = recommend(NEW_USER);
        assertEquals(Model.MODEL_POPULARITY, popular.getServedBy(), popular.toString());
        assertTrue(popular.getFallback());
        List<String> popularIds = ids(popular);

        RecordInteractionsRequest.Builder batch = RecordInteractionsRequest.newBuilder();
        for (String item : RECORDED) {
            batch.addInteractions(Interaction.newBuilder().setUserId(NEW_USER).setItemId(item).setWeight(5f));
        }
        batch.addInteractions(Interaction.newBuilder().setUserId(NEW_USER).setItemId("no-such-movie"));
        RecordInteractionsResponse recorded = stub().recordInteractions(batch.build());
        assertEquals(3, recorded.getRecorded());
        assertEquals(1, recorded.getUnknownItems());
        assertEquals(List.of("no-such-movie"), recorded.getUnknownItemIdsList());

        RecommendResponse live = recommend(NEW_USER);
        assertPersonalisedAndExcludingRecorded(live, popularIds);
        // children's animation was recorded: more of it comes back (Monsters, Inc., Finding Nemo, Shrek, ...)
        assertTrue(ids(live).stream().anyMatch(List.of("4886", "6377", "4306", "588", "364")::contains), ids(live).toString());
        assertEquals(3.0, metric("reco_feedback_events_recorded_total"));
        assertEquals(1.0, metric("reco_feedback_events_rejected_total"));
        assertEquals(1.0, metric("reco_feedback_store_users"));

        // a restart keeps them
        assertEquals(0, server.stop(), server::describe);
        server = serve();
        assertEquals(ids(live), ids(recommend(NEW_USER)));

        // a second server process on the same feedback directory sees the events and records beside the first
        try (Launcher.ServerProcess second = serve()) {
            RecommenderGrpc.RecommenderBlockingStub other = RecommenderGrpc.newBlockingStub(second.channel())
                    .withDeadlineAfter(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(ids(live), ids(other.recommendForUser(
                    RecommendForUserRequest.newBuilder().setUserId(NEW_USER).setK(K).build())));
            other.recordInteractions(RecordInteractionsRequest.newBuilder().addInteractions(
                    Interaction.newBuilder().setUserId("second-process-user").setItemId("1").setWeight(5f)).build());
            assertFalse(ids(recommend("second-process-user")).contains("1"), "recorded through the other process");
            assertNotEquals(Model.MODEL_POPULARITY, recommend("second-process-user").getServedBy());
        }
        assertEquals(2.0, metric("reco_feedback_store_users"));

        // a generation trained without the feedback: the live store still serves the events
        String first = stub().getModelInfo(GetModelInfoRequest.getDefaultInstance()).getGenerationId();
        train();
        String second = awaitNewGeneration(first);
        assertPersonalisedAndExcludingRecorded(recommend(NEW_USER), popularIds);
        assertEquals(2.0, metric("reco_feedback_store_users"));

        // a generation trained on the feedback log: the user is in it, and the store retires what it holds
        train("--feedback", feedbackDir.toString());
        awaitNewGeneration(second);
        ModelInfo info = stub().getModelInfo(GetModelInfoRequest.getDefaultInstance());
        assertEquals(612, info.getUserCount(), "610 MovieLens users, the newcomer and the second process's user");
        RecommendResponse trained = recommend(NEW_USER);
        assertFalse(trained.getFallback(), trained.toString());
        assertPersonalisedAndExcludingRecorded(trained, popularIds);
        assertEquals(4.0, metric("reco_feedback_events_retired_total"));
        assertEquals(0.0, metric("reco_feedback_store_users"));
    }
}
