package reco.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommendResponse;
import reco.v1.RecommenderGrpc;
import reco.v1.SimilarItemsRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/reco demo} with no dataset: trains the embedded synthetic catalogue, then serves it. */
class DemoIT {
    @TempDir
    Path work;

    @Test
    void demoTrainsTheEmbeddedCatalogueServesItAndSaysHowToCallIt() throws Exception {
        Path modelDir = work.resolve("demo-model");
        try (Launcher.ServerProcess demo = Launcher.ofRepository()
                .startServer("demo", "--port", "0", "--model-dir", modelDir.toString())) {
            // --port 0 reached the server: an ephemeral port, not the default
            assertNotEquals(0, demo.port());
            assertNotEquals(50051, demo.port());
            assertTrue(Files.isRegularFile(modelDir.resolve("CURRENT")), "the demo publishes into --model-dir");
            String printed = demo.stdout();
            assertTrue(printed.contains("reco demo: generation " + demo.initialGenerationId()), demo::describe);
            assertTrue(printed.contains("client-examples/run-all.sh localhost:PORT"), demo::describe);
            assertTrue(printed.contains("reco-client-example.jar localhost:PORT"), demo::describe);
            assertTrue(demo.initialItemCount() > 1000, demo::describe);

            RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(demo.channel())
                    .withDeadlineAfter(30, TimeUnit.SECONDS);
            RecommendResponse similar = stub.similarItems(SimilarItemsRequest.newBuilder().setItemId("1").setK(5).build());
            assertEquals(5, similar.getItemsCount(), similar::toString);
            assertFalse(similar.getItems(0).getTitle().isEmpty(), similar::toString);
            assertFalse(similar.getItems(0).getCategoriesList().isEmpty(), similar::toString);

            RecommendResponse known = stub.recommendForUser(RecommendForUserRequest.newBuilder().setUserId("1").setK(5).build());
            assertEquals(5, known.getItemsCount(), known::toString);
            assertFalse(known.getFallback(), "user 1 is in the demo catalogue: " + known);

            RecommendResponse unknown = stub.recommendForUser(RecommendForUserRequest.newBuilder().setUserId("nobody").setK(5).build());
            assertTrue(unknown.getFallback(), unknown::toString);
            assertEquals(demo.initialGenerationId(), unknown.getGenerationId());

            // every command the demo printed works as printed, from where the demo ran
            PrintedHints.assertEveryCommandWorks(printed, Launcher.ofRepository().repository(), "localhost:PORT",
                    "localhost:" + demo.port(), java.util.Map.of("JAVA_HOME", System.getProperty("java.home")));
        }
    }
}
