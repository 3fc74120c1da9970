package reco.server;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.server.http.HttpEndpoint;
import reco.server.http.HttpRoutes;
import reco.server.http.HttpSettings;
import reco.server.http.ProbeRoutes;
import reco.v1.AdminGrpc;
import reco.v1.GetModelInfoRequest;
import reco.v1.RecommenderGrpc;
import reco.v1.ReloadRequest;
import reco.v1.ReloadResponse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** reco.v1.Admin Reload, /readyz and the generation gauges, without a watcher (every load is explicit). */
class AdminAndHealthTest {
    @TempDir
    Path root;

    PrometheusMeterRegistry registry;
    ModelHolder models;
    RecoServer server;
    HttpEndpoint http;
    ManagedChannel channel;
    AdminGrpc.AdminBlockingStub admin;
    RecommenderGrpc.RecommenderBlockingStub recommender;

    @BeforeEach
    void start() throws Exception {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        models = new ModelHolder(root, registry);
        String name = InProcessServerBuilder.generateName();
        server = new RecoServer(InProcessServerBuilder.forName(name).directExecutor(), models, registry).start();
        http = HttpEndpoint.start(HttpSettings.defaults("127.0.0.1", 0), ProbeRoutes.register(new HttpRoutes(), server::isServing, registry));
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        admin = AdminGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        recommender = RecommenderGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        http.close();
        server.shutdown(Duration.ofSeconds(1));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyzIs503UntilAGenerationServesAnd200AfterWhileLivezIsAlways200() throws Exception {
        HttpResponse<String> before = get("/readyz");
        assertEquals(503, before.statusCode());
        assertEquals("NOT_SERVING\n", before.body());
        assertEquals(200, get("/livez").statusCode());
        assertTrue(registry.scrape().contains("reco_model_items NaN"), registry.scrape());

        TestGenerations.write(root);
        admin.reload(ReloadRequest.getDefaultInstance());
        assertEquals(200, get("/readyz").statusCode());
        assertEquals(200, get("/healthz").statusCode());
        assertEquals(404, get("/nothing-here").statusCode());
        assertTrue(get("/metrics").body().contains("reco_model_items 12.0"));

        server.shutdown(Duration.ofSeconds(1));
        assertEquals(503, get("/readyz").statusCode(), "shutting down: no longer serving");
        assertEquals(503, get("/healthz").statusCode());
        assertEquals(200, get("/livez").statusCode());
    }

    @Test
    void reloadLoadsWhatCurrentNamesAndSaysWhetherItChanged() throws Exception {
        Path first = TestGenerations.write(root);
        ReloadResponse loaded = admin.reload(ReloadRequest.getDefaultInstance());
        assertEquals(first.getFileName().toString(), loaded.getGenerationId());
        assertTrue(loaded.getChanged());
        assertEquals("", loaded.getPreviousGenerationId());

        ReloadResponse again = admin.reload(ReloadRequest.getDefaultInstance());
        assertFalse(again.getChanged());
        assertEquals(first.getFileName().toString(), again.getGenerationId());

        Path second = TestGenerations.write(root, 20);
        ReloadResponse swapped = admin.reload(ReloadRequest.getDefaultInstance());
        assertTrue(swapped.getChanged());
        assertEquals(second.getFileName().toString(), swapped.getGenerationId());
        assertEquals(first.getFileName().toString(), swapped.getPreviousGenerationId());
        assertEquals(20, recommender.getModelInfo(GetModelInfoRequest.getDefaultInstance()).getItemCount());

        String metrics = registry.scrape();
        assertTrue(metrics.contains("reco_model_generation_info{generation=\"" + second.getFileName() + "\"} 1"), metrics);
        assertFalse(metrics.contains("generation=\"" + first.getFileName() + "\""), "only the served generation is a series");
        assertTrue(metrics.contains("reco_model_reloads_total 2.0"), metrics);
    }

    @Test
    void reloadOfACorruptGenerationFailsWithTheReasonAndTheOldOneKeepsServing() throws Exception {
        Path good = TestGenerations.write(root);
        admin.reload(ReloadRequest.getDefaultInstance());
        TestGenerations.publishCorruptCopy(root, good, "gen-corrupt");

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> admin.reload(ReloadRequest.getDefaultInstance()));
        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("checksum mismatch"), refused.getStatus().getDescription());
        assertEquals(good.getFileName().toString(),
                recommender.getModelInfo(GetModelInfoRequest.getDefaultInstance()).getGenerationId());
        assertTrue(registry.scrape().contains("reco_model_refused_total{reason=\"corrupt\"} 1.0"), registry.scrape());
        // while CURRENT still names it, a reload answers with the remembered reason without validating again
        StatusRuntimeException again = assertThrows(StatusRuntimeException.class,
                () -> admin.reload(ReloadRequest.getDefaultInstance()));
        assertEquals(Status.Code.FAILED_PRECONDITION, again.getStatus().getCode());
        assertTrue(again.getStatus().getDescription().contains("was refused") && again.getStatus().getDescription()
                .contains("checksum mismatch"), again.getStatus().getDescription());
        assertTrue(registry.scrape().contains("reco_model_refused_total{reason=\"corrupt\"} 1.0"), registry.scrape());
        // unless the caller asks for a retry (e.g. after repairing the files)
        assertThrows(StatusRuntimeException.class,
                () -> admin.reload(ReloadRequest.newBuilder().setRetryRefused(true).build()));
        assertTrue(registry.scrape().contains("reco_model_refused_total{reason=\"corrupt\"} 2.0"), registry.scrape());
        // a new CURRENT is looked at again at once
        Path next = TestGenerations.write(root, 20);
        assertEquals(next.getFileName().toString(), admin.reload(ReloadRequest.getDefaultInstance()).getGenerationId());
    }

    @Test
    void reloadWithoutCurrentIsAFailedPrecondition() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> admin.reload(ReloadRequest.getDefaultInstance()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    }
}
