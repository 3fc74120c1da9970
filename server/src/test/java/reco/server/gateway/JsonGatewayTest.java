package reco.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.server.ModelHolder;
import reco.server.RecoServer;
import reco.server.TestGenerations;
import reco.server.admin.AdminAuthorization;
import reco.server.console.LiveMeters;
import reco.server.http.HttpEndpoint;
import reco.server.http.HttpRoutes;
import reco.server.http.HttpSettings;
import reco.v1.RecommendResponse;
import reco.v1.RecommenderGrpc;
import reco.v1.SimilarItemsRequest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON gateway over real HTTP, in front of a real {@link RecoServer} on the fixture generation. */
class JsonGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private RecoServer server;
    private ManagedChannel grpc;
    private HttpEndpoint http;

    @TempDir
    Path root;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeAfter.reversed()) {
            c.close();
        }
        if (grpc != null) {
            grpc.shutdownNow();
        }
        if (server != null) {
            server.shutdown(Duration.ofSeconds(1));
        }
    }

    private void start(AdminAuthorization admin) throws Exception {
        TestGenerations.write(root);
        registry.config().meterFilter(LiveMeters.callLatencyHistograms());
        ModelHolder models = new ModelHolder(root, registry);
        models.loadCurrent();
        String name = InProcessServerBuilder.generateName();
        server = new RecoServer(InProcessServerBuilder.forName(name).directExecutor(), models, registry,
                RecoServer.DEFAULT_MAX_CONCURRENT_CALLS, admin).start();
        grpc = InProcessChannelBuilder.forName(name).directExecutor().build();
        ManagedChannel bridge = server.inProcessChannel();
        closeAfter.add(bridge::shutdownNow);
        HttpRoutes routes = new JsonGateway(bridge, admin, registry, JsonGateway.DEFAULT_MAX_TIMEOUT).register(new HttpRoutes());
        http = HttpEndpoint.start(HttpSettings.defaults("127.0.0.1", 0), routes);
        closeAfter.add(http);
    }

    private HttpResponse<String> post(String path, String contentType, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return post(path, "application/json", json);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int httpStatus, String code) throws Exception {
        assertEquals(httpStatus, response.statusCode(), response::body);
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"), response::toString);
        assertEquals(code, json(response).path("code").asText(), response::body);
        assertTrue(json(response).path("message").asText().length() > 5, response::body);
    }

    @Test
    void similarItemsAnswersTheSameItemsAsGrpcInProto3Json() throws Exception {
        start(AdminAuthorization.loopbackOnly());
        HttpResponse<String> response = post("/reco.v1.Recommender/SimilarItems", "{\"itemId\":\"item-0\",\"k\":3}");
        assertEquals(200, response.statusCode(), response::body);
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        RecommendResponse viaGrpc = RecommenderGrpc.newBlockingStub(grpc)
                .similarItems(SimilarItemsRequest.newBuilder().setItemId("item-0").setK(3).build());
        JsonNode body = json(response);
        assertEquals(viaGrpc.getItemsCount(), body.path("items").size(), response::body);
        assertTrue(viaGrpc.getItemsCount() > 0, viaGrpc::toString);
        for (int i = 0; i < viaGrpc.getItemsCount(); i++) {
            assertEquals(viaGrpc.getItems(i).getItemId(), body.path("items").get(i).path("itemId").asText());
            assertEquals(viaGrpc.getItems(i).getScore(), (float) body.path("items").get(i).path("score").asDouble());
            assertEquals(viaGrpc.getItems(i).getTitle(), body.path("items").get(i).path("title").asText());
        }
        assertEquals(viaGrpc.getServedBy().name(), body.path("servedBy").asText());
        assertEquals(viaGrpc.getGenerationId(), body.path("generationId").asText());
    }

    @Test
    void statusCodesBecomeHttpStatusesAndConnectErrorBodies() throws Exception {
        start(AdminAuthorization.loopbackOnly());
        assertError(post("/reco.v1.Recommender/SimilarItems", "{\"itemId\":\"no-such-item\",\"k\":3}"), 404, "not_found");
        assertError(post("/reco.v1.Recommender/SimilarItems", "{\"itemId\":\"item-0\",\"k\":0}"), 400, "invalid_argument");
        assertError(post("/reco.v1.Recommender/SimilarItems", "{\"itemId\":\"item-0\",\"k\":"), 400, "invalid_argument");
        assertError(post("/reco.v1.Recommender/SimilarItems", "{\"item\":\"item-0\",\"k\":3}"), 400, "invalid_argument");
        assertError(post("/reco.v1.Recommender/SimilarItems", "text/plain", "{}"), 415, "invalid_argument");
        assertError(post("/reco.v1.Recommender/SimilarItems", "application/json; charset=latin1", "{}"), 415, "invalid_argument");
        assertError(post("/reco.v1.Recommender/SimilarItems", "application/json", "{\"itemId\":\"item-0\",\"k\":3}",
                "Connect-Timeout-Ms", "soon"), 400, "invalid_argument");
        assertError(post("/reco.v1.Recommender/Explain", "{\"itemId\":\"item-1\",\"userId\":\"alice\",\"model\":\"MODEL_POPULARITY\"}"),
                400, "invalid_argument");
        // an unknown user is not an error (popular items, fallback=true), as over gRPC
        HttpResponse<String> unknownUser = post("/reco.v1.Recommender/RecommendForUser", "{\"userId\":\"nobody\",\"k\":2}");
        assertEquals(200, unknownUser.statusCode(), unknownUser::body);
        assertTrue(json(unknownUser).path("fallback").asBoolean(), unknownUser::body);
        // an empty body is the empty message
        HttpResponse<String> info = post("/reco.v1.Recommender/GetModelInfo", "application/json", "");
        assertEquals(200, info.statusCode(), info::body);
        assertEquals(String.valueOf(TestGenerations.BASE_ITEMS), json(info).path("itemCount").asText());
        // GET is not a unary Connect call here
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http.port() + "/reco.v1.Recommender/GetModelInfo")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, get.statusCode());
    }

    @Test
    void callsAreMeteredAsGrpcCallsOfTheSameServer() throws Exception {
        start(AdminAuthorization.loopbackOnly());
        post("/reco.v1.Recommender/SimilarItems", "{\"itemId\":\"item-0\",\"k\":3}");
        post("/reco.v1.Recommender/SimilarItems", "{\"itemId\":\"no-such-item\",\"k\":3}");
        assertEquals(1, registry.get("grpc.server.processing.duration").tag("method", "SimilarItems")
                .tag("statusCode", "OK").timer().count());
        assertEquals(1, registry.get("grpc.server.processing.duration").tag("method", "SimilarItems")
                .tag("statusCode", "NOT_FOUND").timer().count());
    }

    @Test
    void aUsersHistoryIsExplainedOverHttpOnlyToOperators() throws Exception {
        String token = "0123456789abcdef0123456789abcdef";
        start(AdminAuthorization.withToken(token)); // a caller without the admin token is not an operator
        String explain = "{\"itemId\":\"item-3\",\"userId\":\"alice\",\"model\":\"MODEL_POPULARITY\"}";
        String recommend = "{\"userId\":\"alice\",\"k\":2,\"explain\":true}";
        // the gateway forwards in-process, but the caller is remote: no explain right without credentials
        assertError(post("/reco.v1.Recommender/Explain", explain), 403, "permission_denied");
        assertError(post("/reco.v1.Recommender/RecommendForUser", recommend), 403, "permission_denied");
        // what the caller sends itself needs no right
        assertEquals(200, post("/reco.v1.Recommender/RecommendForUser", "{\"userId\":\"alice\",\"k\":2}").statusCode());
        // an operator (the admin token) acts with the server's rights, as the console does for them
        HttpResponse<String> ok = post("/reco.v1.Recommender/RecommendForUser", "application/json", recommend,
                "Authorization", "Bearer " + token);
        assertEquals(200, ok.statusCode(), ok::body);
    }

    @Test
    void adminNeedsTheTokenOverHttpAsOverGrpc() throws Exception {
        String token = "0123456789abcdef0123456789abcdef";
        start(AdminAuthorization.withToken(token));
        assertError(post("/reco.v1.Admin/Reload", "{}"), 401, "unauthenticated");
        assertError(post("/reco.v1.Admin/Reload", "application/json", "{}", "Authorization", "Bearer wrong-token-wrong-token"),
                401, "unauthenticated");
        HttpResponse<String> ok = post("/reco.v1.Admin/Reload", "application/json", "{}", "Authorization", "Bearer " + token);
        assertEquals(200, ok.statusCode(), ok::body);
        assertEquals(server.models().peek().id(), json(ok).path("generationId").asText(), ok::body);
        assertEquals(2.0, registry.get("reco.admin.denied").tag("code", "unauthenticated").counter().count());
        // Recommender needs no token
        assertEquals(200, post("/reco.v1.Recommender/GetModelInfo", "{}").statusCode());
    }

    @Test
    void adminFromThisMachineWithoutATokenConfigured() throws Exception {
        start(AdminAuthorization.loopbackOnly());
        HttpResponse<String> ok = post("/reco.v1.Admin/Reload", "{\"retryRefused\":true}");
        assertEquals(200, ok.statusCode(), ok::body);
        assertEquals(false, json(ok).path("changed").asBoolean(), ok::body);
    }

    @Test
    void everyGrpcCodeHasTheConnectHttpStatus() {
        assertEquals(404, ConnectErrors.httpStatus(Status.Code.NOT_FOUND));
        assertEquals(400, ConnectErrors.httpStatus(Status.Code.INVALID_ARGUMENT));
        assertEquals(400, ConnectErrors.httpStatus(Status.Code.FAILED_PRECONDITION));
        assertEquals(429, ConnectErrors.httpStatus(Status.Code.RESOURCE_EXHAUSTED));
        assertEquals(503, ConnectErrors.httpStatus(Status.Code.UNAVAILABLE));
        assertEquals(504, ConnectErrors.httpStatus(Status.Code.DEADLINE_EXCEEDED));
        assertEquals(401, ConnectErrors.httpStatus(Status.Code.UNAUTHENTICATED));
        assertEquals(403, ConnectErrors.httpStatus(Status.Code.PERMISSION_DENIED));
        assertEquals(500, ConnectErrors.httpStatus(Status.Code.INTERNAL));
        assertEquals("resource_exhausted", ConnectErrors.codeName(Status.Code.RESOURCE_EXHAUSTED));
    }
}
