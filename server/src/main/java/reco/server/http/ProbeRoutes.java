package reco.server.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.function.BooleanSupplier;

/**
 * The operational routes of a reco server's HTTP listener:
 *
 * <ul>
 *   <li>{@code GET /livez}: 200 {@code ok} while the process answers at all (restart it when this fails);</li>
 *   <li>{@code GET /readyz}: 200 {@code SERVING} once the first generation serves, 503 {@code NOT_SERVING}
 *       before that and again from the moment shutdown starts (take it out of the load balancer);</li>
 *   <li>{@code GET /healthz}: the same as {@code /readyz}, for probes configured before the split;</li>
 *   <li>{@code GET /metrics}: Prometheus text format (OpenMetrics when the scraper asks for it), when
 *       metrics are on.</li>
 * </ul>
 */
public final class ProbeRoutes {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String OPENMETRICS = "application/openmetrics-text";

    private ProbeRoutes() {}

    /**
     * @param ready   true while the server serves a generation and is not shutting down
     * @param metrics the registry {@code /metrics} exposes; null = no {@code /metrics} route
     */
    public static HttpRoutes register(HttpRoutes routes, BooleanSupplier ready, PrometheusMeterRegistry metrics) {
        routes.probe("/livez", request -> HttpResponse.text(200, "ok\n").withHeader("Cache-Control", "no-store"));
        HttpHandler readiness = request -> {
            boolean up = ready.getAsBoolean();
            return HttpResponse.text(up ? 200 : 503, up ? "SERVING\n" : "NOT_SERVING\n").withHeader("Cache-Control", "no-store");
        };
        routes.probe("/readyz", readiness);
        routes.probe("/healthz", readiness);
        if (metrics != null) {
            routes.get("/metrics", request -> {
                String accept = request.header("accept");
                boolean openMetrics = accept != null && accept.contains(OPENMETRICS);
                String contentType = openMetrics ? "application/openmetrics-text; version=1.0.0; charset=utf-8" : PROMETHEUS_TEXT;
                return HttpResponse.of(200, contentType, metrics.scrape(contentType).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .withHeader("Cache-Control", "no-store");
            });
        }
        return routes;
    }
}
