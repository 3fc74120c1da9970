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

/**
 * {@code GET /metrics} in the Prometheus text format, on its own small HTTP port (the JDK's built-in
 * server: a scrape every few seconds needs nothing more).
 */
public final class MetricsHttpServer implements AutoCloseable {
    /** The Prometheus text exposition format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer http;
    private final ExecutorService executor;

    private MetricsHttpServer(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    /** Binds {@code host:port} (0 = a free port) and serves {@code registry} at /metrics. */
    public static MetricsHttpServer start(String host, int port, PrometheusMeterRegistry registry) throws IOException {
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
                if (!path.equals("/metrics")) {
                    respond(exchange, 404, "text/plain; charset=utf-8", "not found: try /metrics\n");
                } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                    respond(exchange, 405, "text/plain; charset=utf-8", "only GET\n");
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
