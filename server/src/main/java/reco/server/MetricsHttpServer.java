package reco.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /metrics} in the Prometheus text format and {@code GET /healthz} (200 "SERVING" while a
 * generation is served, 503 "NOT_SERVING" otherwise, for probes that speak HTTP but not gRPC), on its
 * own small HTTP port (the JDK's built-in server: a scrape every few seconds needs nothing more).
 */
public final class MetricsHttpServer implements AutoCloseable {
    /** The Prometheus text exposition format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer http;
    private final ExecutorService executor;

    private MetricsHttpServer(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    /**
     * Binds {@code host:port} (0 = a free port) and serves {@code registry} at /metrics and
     * {@code serving} at /healthz.
     */
    public static MetricsHttpServer start(String host, int port, PrometheusMeterRegistry registry,
                                          BooleanSupplier serving) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "reco-metrics-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        http.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                if (!path.equals("/metrics") && !path.equals("/healthz")) {
                    respond(exchange, 404, TEXT, "not found: try /metrics or /healthz\n");
                } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                    respond(exchange, 405, TEXT, "only GET\n");
                } else if (path.equals("/healthz")) {
                    boolean up = serving.getAsBoolean();
                    respond(exchange, up ? 200 : 503, TEXT, up ? "SERVING\n" : "NOT_SERVING\n");
                } else {
                    respond(exchange, 200, CONTENT_TYPE, registry.scrape());
                }
            }
        });
        http.start();
        return new MetricsHttpServer(http, executor);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
