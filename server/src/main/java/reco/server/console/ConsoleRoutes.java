package reco.server.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import reco.model.generation.Generation;
import reco.server.ModelHolder;
import reco.server.ServedGeneration;
import reco.server.admin.AdminAuthorization;
import reco.server.http.HttpRequest;
import reco.server.http.HttpResponse;
import reco.server.http.HttpRoutes;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web console: static pages from this jar under {@code /console/} and the few read-only JSON routes
 * the pages need beside the JSON gateway (which answers every recommendation they show):
 *
 * <ul>
 *   <li>{@code GET /console/api/generations}: the model root's generations and their manifests
 *       ({@link GenerationHistory});</li>
 *   <li>{@code GET /console/api/item?id=ID}: one item's metadata in the served generation;</li>
 *   <li>{@code GET /console/api/meters}: the live panel's figures ({@link LiveMeters});</li>
 *   <li>{@code GET /console/api/session}: whether this caller may use reco.v1.Admin (the console then
 *       offers Reload).</li>
 * </ul>
 *
 * <p>The pages load nothing from elsewhere (a Content-Security-Policy of {@code 'self'} says so to the
 * browser as well); the charting library, uPlot (MIT licence), is vendored under {@code vendor/}.
 */
public final class ConsoleRoutes {
    static final String BASE = "/console";
    private static final String RESOURCES = "/reco/server/console/";
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "txt", "text/plain; charset=utf-8");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelHolder models;
    private final MeterRegistry registry;
    private final AdminAuthorization adminAuthorization;
    private final Map<String, byte[]> assets = new ConcurrentHashMap<>();

    public ConsoleRoutes(ModelHolder models, MeterRegistry registry, AdminAuthorization adminAuthorization) {
        this.models = Objects.requireNonNull(models, "models");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.adminAuthorization = Objects.requireNonNull(adminAuthorization, "adminAuthorization");
    }

    /** Registers {@code /console/*} (pages) and the {@code /console/api/...} routes. */
    public HttpRoutes register(HttpRoutes routes) {
        routes.get(BASE + "/*", this::asset);
        routes.get(BASE + "/api/generations", request -> json(200, GenerationHistory.read(models.root(), servedId())));
        routes.get(BASE + "/api/item", this::item);
        routes.get(BASE + "/api/meters", request -> json(200, LiveMeters.read(registry)));
        routes.get(BASE + "/api/session", this::session);
        return routes;
    }

    private String servedId() {
        ServedGeneration served = models.peek();
        return served == null ? null : served.id();
    }

    HttpResponse asset(HttpRequest request) throws IOException {
        String path = request.path();
        if (path.equals(BASE)) {
            return HttpResponse.text(308, "see " + BASE + "/\n").withHeader("Location", BASE + "/");
        }
        String name = path.substring(BASE.length() + 1);
        if (name.isEmpty()) {
            name = "index.html";
        }
        if (name.startsWith("api/") || !name.matches("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*") || name.contains("..")) {
            return HttpResponse.text(404, "not found: " + path + "\n");
        }
        String type = CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
        byte[] body = type == null ? null : load(name);
        if (body == null) {
            return HttpResponse.text(404, "not found: " + path + "\n");
        }
        return HttpResponse.of(200, type, body)
                .withHeader("Content-Security-Policy", CSP)
                .withHeader("Referrer-Policy", "no-referrer")
                .withHeader("Cache-Control", "no-cache");
    }

    private byte[] load(String name) throws IOException {
        byte[] cached = assets.get(name);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            assets.put(name, bytes);
            return bytes;
        }
    }

    private HttpResponse item(HttpRequest request) throws JsonProcessingException {
        String id = request.queryParameter("id");
        if (id == null || id.isEmpty()) {
            return error(400, Status.Code.INVALID_ARGUMENT, "give the item as ?id=ITEM_ID");
        }
        try (ServedGeneration.Lease lease = models.acquire()) {
            if (lease == null) {
                return error(503, Status.Code.UNAVAILABLE, "no model generation is loaded yet");
            }
            Generation g = lease.generation();
            int index = g.itemIds().indexOf(id);
            if (index < 0) {
                return error(404, Status.Code.NOT_FOUND, "unknown item_id '" + id + "' in generation " + g.id());
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("itemId", id);
            out.put("title", g.catalog() == null ? null : g.catalog().title(index));
            out.put("categories", g.catalog() == null ? java.util.List.of() : g.catalog().categories(index));
            out.put("interactions", g.popularity() == null ? null : g.popularity().count(index));
            out.put("generationId", g.id());
            return json(200, out);
        }
    }

    private HttpResponse session(HttpRequest request) throws JsonProcessingException {
        Status admin = adminAuthorization.check(request.remoteAddress(), request.header("authorization"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("admin", admin.isOk());
        out.put("adminNeedsToken", adminAuthorization.requiresToken());
        if (!admin.isOk()) {
            out.put("reason", admin.getDescription());
        }
        return json(200, out).withHeader("Cache-Control", "no-store");
    }

    private static HttpResponse json(int status, Object body) throws JsonProcessingException {
        return HttpResponse.json(status, JSON.writeValueAsString(body)).withHeader("Cache-Control", "no-store");
    }

    private static HttpResponse error(int status, Status.Code code, String message) throws JsonProcessingException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", code.name().toLowerCase(Locale.ROOT));
        body.put("message", message);
        return json(status, body);
    }
}
