package reco.server.metrics;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.server.ModelHolder;
import reco.server.RecoServer;
import reco.server.TestGenerations;
import reco.v1.RecommenderGrpc;
import reco.v1.SimilarItemsRequest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a Prometheus scrape of a serving reco server shows: latency buckets, snake_case labels, _info gauges, model age. */
class ServerMetricsTest {
    @TempDir
    Path root;

    @Test
    void scrapeShowsLatencyBucketsSnakeCaseLabelsInfoGaugesAndModelAge() throws Exception {
        Path generation = TestGenerations.write(root);
        PrometheusMeterRegistry registry = ServerMetrics.prometheusRegistry();
        ModelHolder models = new ModelHolder(root, registry);
        models.loadCurrent();
        String name = InProcessServerBuilder.generateName();
        RecoServer server = new RecoServer(InProcessServerBuilder.forName(name).directExecutor(), models, registry).start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        try {
            for (int i = 0; i < 5; i++) {
                RecommenderGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                        .similarItems(SimilarItemsRequest.newBuilder().setItemId(TestGenerations.item(1)).setK(3).build());
            }
            String scrape = registry.scrape();
            Matcher bucket = Pattern.compile("grpc_server_processing_duration_seconds_bucket\\{([^}]*)le=\"0\\.001\"[^}]*} (\\S+)")
                    .matcher(scrape);
            assertTrue(bucket.find(), scrape);
            assertTrue(scrape.contains("grpc_server_processing_duration_seconds_bucket{method=\"SimilarItems\",method_type=\"UNARY\""
                    + ",service=\"reco.v1.Recommender\",status_code=\"OK\",le=\"+Inf\"} 5"), scrape);
            assertTrue(scrape.contains("method_type=") && scrape.contains("status_code="), scrape);
            assertTrue(scrape.contains("grpc_server_requests_received_messages_total{method=\"SimilarItems\"")
                    && scrape.contains("grpc_server_responses_sent_messages_total{method=\"SimilarItems\""), scrape);
            assertFalse(scrape.contains("methodType") || scrape.contains("statusCode"), "camelCase labels: " + scrape);
            assertTrue(scrape.contains("reco_model_generation_info{generation=\"" + generation.getFileName() + "\"} 1"), scrape);
            Matcher age = Pattern.compile("(?m)^reco_model_age_seconds (\\S+)$").matcher(scrape);
            assertTrue(age.find(), scrape);
            double seconds = Double.parseDouble(age.group(1));
            assertTrue(seconds >= 0 && seconds < 600, "the fixture was trained just now: " + seconds);
        } finally {
            channel.shutdownNow();
            server.shutdown(Duration.ofSeconds(1));
        }
    }

    @Test
    void snakeCase() {
        assertEquals("method_type", ServerMetrics.snakeCase("methodType"));
        assertEquals("status_code", ServerMetrics.snakeCase("statusCode"));
        assertEquals("reason", ServerMetrics.snakeCase("reason"));
        assertEquals("area", ServerMetrics.snakeCase("area"));
    }
}
