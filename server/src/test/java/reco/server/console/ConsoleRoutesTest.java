package reco.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.server.ModelHolder;
import reco.server.RecoServer;
import reco.server.TestGenerations;
import reco.server.admin.AdminAuthorization;
import reco.server.http.HttpEndpoint;
import reco.server.http.HttpRoutes;
import reco.server.http.HttpSettings;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommenderGrpc;
import reco.v1.SimilarItemsRequest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's pages and JSON routes over real HTTP, beside a real {@link RecoServer} on the fixture generation. */
class ConsoleRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private RecoServer server;
    private ManagedChannel grpc;
    private HttpEndpoint http;
    private Path generation;

    @TempDir
    Path root;

    @BeforeEach
    void start() throws Exception {
        generation = TestGenerations.write(root);
        registry.config().meterFilter(LiveMeters.callLatencyHistograms());
        ModelHolder models = new ModelHolder(root, registry);
        models.loadCurrent();
        String name = InProcessServerBuilder.generateName();
        server = new RecoServer(InProcessServerBuilder.forName(name).directExecutor(), models, registry).start();
        grpc = InProcessChannelBuilder.forName(name).directExecutor().build();
        HttpRoutes routes = new ConsoleRoutes(models, registry, AdminAuthorization.withToken("0123456789abcdef0123456789abcdef"))
                .register(new HttpRoutes());
        http = HttpEndpoint.start(HttpSettings.defaults("127.0.0.1", 0), routes);
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        grpc.shutdownNow();
        server.shutdown(Duration.ofSeconds(1));
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .timeout(Duration.ofSeconds(30)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String path, String... headers) throws Exception {
        HttpResponse<String> response = get(path, headers);
        assertEquals(200, response.statusCode(), response::body);
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        return JSON.readTree(response.body());
    }

    @Test
    void pagesComeFromTheJarWithAPolicyThatAllowsOnlyThisServer() throws Exception {
        HttpResponse<String> index = get("/console/");
        assertEquals(200, index.statusCode());
        assertTrue(index.headers().firstValue("content-type").orElseThrow().startsWith("text/html"));
        assertTrue(index.body().contains("<script src=\"console.js\"></script>"), index::body);
        String csp = index.headers().firstValue("content-security-policy").orElseThrow();
        assertTrue(csp.contains("default-src 'self'") && csp.contains("connect-src 'self'"), csp);
        for (String asset : new String[] {"/console/console.js", "/console/console.css", "/console/vendor/uPlot.iife.min.js",
                "/console/vendor/uPlot.min.css", "/console/vendor/uPlot-LICENSE.txt"}) {
            HttpResponse<String> r = get(asset);
            assertEquals(200, r.statusCode(), asset);
            assertFalse(r.body().isEmpty(), asset);
        }
        HttpResponse<String> bare = get("/console");
        assertEquals(308, bare.statusCode());
        assertEquals("/console/", bare.headers().firstValue("location").orElseThrow());
        assertEquals(404, get("/console/nothing-here.js").statusCode());
        assertEquals(404, get("/console/vendor/README.md").statusCode(), "only known asset types are served");
        int traversal = get("/console/%2e%2e/RecoServer.class").statusCode();
        assertTrue(traversal == 400 || traversal == 404, "a path out of the console is refused: " + traversal);
    }

    @Test
    void generationsListEveryManifestNewestFirstWithoutInputPaths() throws Exception {
        Path second = TestGenerations.write(root);
        JsonNode body = getJson("/console/api/generations");
        assertEquals(second.getFileName().toString(), body.path("current").asText());
        assertEquals(generation.getFileName().toString(), body.path("served").asText(), "the server has not reloaded");
        assertEquals(2, body.path("generations").size(), body::toString);
        JsonNode newest = body.path("generations").get(0);
        assertEquals(second.getFileName().toString(), newest.path("id").asText());
        assertEquals(TestGenerations.TRAINER_VERSION, newest.path("trainerVersion").asText());
        assertEquals(TestGenerations.BASE_ITEMS, newest.path("counts").path("items").asInt());
        assertEquals("item-knn", newest.path("defaultModel").asText());
        assertEquals(4, newest.path("models").size(), newest::toString);
        assertEquals("{\"item-knn\":1.0,\"content\":0.3}".length(),
                newest.path("models").get(3).path("parameters").path("components").toString().length());
        assertFalse(body.toString().contains("\"path\""), "no input paths: " + body);
    }

    @Test
    void aBrokenManifestIsListedWithItsError() throws Exception {
        Path broken = Files.createDirectories(root.resolve("gen-99999999-000000-000"));
        Files.writeString(broken.resolve("manifest.json"), "{not json");
        JsonNode body = getJson("/console/api/generations");
        JsonNode first = body.path("generations").get(0);
        assertEquals("gen-99999999-000000-000", first.path("id").asText());
        assertTrue(first.path("error").asText().startsWith("manifest unreadable"), first::toString);
        assertEquals(2, body.path("generations").size(), "a folder without a manifest is not a generation: " + body);
    }

    @Test
    void itemMetadataAndAnUnknownItem() throws Exception {
        JsonNode item = getJson("/console/api/item?id=item-1");
        assertEquals("item-1", item.path("itemId").asText());
        assertEquals("Movie 1", item.path("title").asText());
        assertEquals("[\"Action\",\"Comedy\"]", item.path("categories").toString());
        assertEquals(1, item.path("interactions").asInt(), "item-1 is in one history of the fixture");
        HttpResponse<String> unknown = get("/console/api/item?id=nope");
        assertEquals(404, unknown.statusCode());
        assertEquals("not_found", JSON.readTree(unknown.body()).path("code").asText());
        assertEquals(400, get("/console/api/item").statusCode());
    }

    @Test
    void metersCountCallsFallbacksAndLatencyBuckets() throws Exception {
        JsonNode before = getJson("/console/api/meters");
        RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(grpc);
        stub.similarItems(SimilarItemsRequest.newBuilder().setItemId("item-0").setK(3).build());
        stub.recommendForUser(RecommendForUserRequest.newBuilder().setUserId("nobody").setK(3).build());
        try {
            stub.similarItems(SimilarItemsRequest.newBuilder().setItemId("nope").setK(3).build());
        } catch (io.grpc.StatusRuntimeException expected) {
            // NOT_FOUND, counted as an error
        }
        JsonNode after = getJson("/console/api/meters");
        assertEquals(3, after.path("calls").asLong() - before.path("calls").asLong(), after::toString);
        assertEquals(1, after.path("errors").asLong() - before.path("errors").asLong(), after::toString);
        assertEquals(2, after.path("byMethod").path("SimilarItems").asLong());
        assertEquals(1, after.path("fallbacksTotal").asLong() - before.path("fallbacksTotal").asLong(), after::toString);
        assertEquals(0, after.path("refusalsTotal").asLong());
        JsonNode buckets = after.path("latencyBuckets");
        assertTrue(buckets.size() > 10, after::toString);
        JsonNode last = buckets.get(buckets.size() - 1);
        assertEquals(3, last.get(1).asLong(), "every call is at most as long as the last bucket: " + buckets);
        for (int i = 1; i < buckets.size(); i++) {
            assertTrue(buckets.get(i).get(0).asDouble() > buckets.get(i - 1).get(0).asDouble());
            assertTrue(buckets.get(i).get(1).asLong() >= buckets.get(i - 1).get(1).asLong(), "cumulative: " + buckets);
        }
    }

    @Test
    void sessionSaysWhetherTheCallerIsAnOperator() throws Exception {
        JsonNode anonymous = getJson("/console/api/session");
        assertFalse(anonymous.path("admin").asBoolean());
        assertTrue(anonymous.path("adminNeedsToken").asBoolean());
        JsonNode operator = getJson("/console/api/session", "Authorization", "Bearer 0123456789abcdef0123456789abcdef");
        assertTrue(operator.path("admin").asBoolean(), operator::toString);
    }
}
