package reco.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpEndpointTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeAfter.reversed()) {
            c.close();
        }
    }

    private HttpEndpoint start(HttpSettings settings, HttpRoutes routes) throws IOException {
        HttpEndpoint http = HttpEndpoint.start(settings, routes);
        closeAfter.add(http);
        return http;
    }

    private HttpEndpoint start(HttpRoutes routes) throws IOException {
        return start(HttpSettings.defaults("127.0.0.1", 0), routes);
    }

    private java.net.http.HttpResponse<String> get(HttpEndpoint http, String path) throws Exception {
        return send(http, java.net.http.HttpRequest.newBuilder(uri(http, path)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    private java.net.http.HttpResponse<String> send(HttpEndpoint http, java.net.http.HttpRequest request) throws Exception {
        return client.send(request, BodyHandlers.ofString());
    }

    private static URI uri(HttpEndpoint http, String path) {
        return URI.create("http://127.0.0.1:" + http.port() + path);
    }

    @Test
    void probesAnswerReadinessAsTheServerChangesState() throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("reco.test.things").register(registry).increment(3);
        HttpEndpoint http = start(ProbeRoutes.register(new HttpRoutes(), ready::get, registry));

        assertEquals(200, get(http, "/livez").statusCode());
        assertEquals("ok\n", get(http, "/livez").body());
        assertEquals(503, get(http, "/readyz").statusCode());
        assertEquals("NOT_SERVING\n", get(http, "/readyz").body());
        assertEquals(503, get(http, "/healthz").statusCode());
        ready.set(true);
        assertEquals(200, get(http, "/readyz").statusCode());
        assertEquals("SERVING\n", get(http, "/healthz").body());
        ready.set(false);
        assertEquals(503, get(http, "/readyz").statusCode(), "shutting down");
        assertEquals(200, get(http, "/livez").statusCode(), "alive while draining");

        java.net.http.HttpResponse<String> metrics = get(http, "/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("content-type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        assertTrue(metrics.body().contains("reco_test_things_total 3.0"), metrics.body());
        java.net.http.HttpResponse<String> open = send(http, java.net.http.HttpRequest.newBuilder(uri(http, "/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0").build());
        assertTrue(open.headers().firstValue("content-type").orElseThrow().startsWith("application/openmetrics-text"));
        assertTrue(open.body().endsWith("# EOF\n"), open.body());
    }

    @Test
    void withoutARegistryThereIsNoMetricsRouteButProbesStillAnswer() throws Exception {
        HttpEndpoint http = start(ProbeRoutes.register(new HttpRoutes(), () -> true, null));
        assertEquals(200, get(http, "/readyz").statusCode());
        java.net.http.HttpResponse<String> missing = get(http, "/metrics");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("/livez"), "a 404 lists the routes: " + missing.body());
    }

    @Test
    void routesMatchExactPathsBeforePrefixesAndReportWrongMethods() throws Exception {
        HttpRoutes routes = new HttpRoutes()
                .get("/console/*", r -> HttpResponse.text(200, "console " + r.path()))
                .get("/console/special", r -> HttpResponse.text(200, "special"))
                .get("/console/deeper/*", r -> HttpResponse.text(200, "deeper"))
                .post("/echo", r -> HttpResponse.of(200, "application/octet-stream", r.body())
                        .withHeader("X-Query", String.valueOf(r.queryParameter("q"))));
        HttpEndpoint http = start(routes);
        assertEquals("console /console", get(http, "/console").body());
        assertEquals("console /console/app.js", get(http, "/console/app.js").body());
        assertEquals("special", get(http, "/console/special").body());
        assertEquals("deeper", get(http, "/console/deeper/x/y").body());
        assertEquals(404, get(http, "/consoles").statusCode());

        java.net.http.HttpResponse<String> echo = send(http, java.net.http.HttpRequest.newBuilder(uri(http, "/echo?q=a%20b"))
                .POST(BodyPublishers.ofString("{\"itemId\":\"1\"}")).build());
        assertEquals(200, echo.statusCode());
        assertEquals("{\"itemId\":\"1\"}", echo.body());
        assertEquals("a b", echo.headers().firstValue("x-query").orElseThrow());

        java.net.http.HttpResponse<String> wrongMethod = get(http, "/echo");
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("POST", wrongMethod.headers().firstValue("allow").orElseThrow());

        java.net.http.HttpResponse<String> head = send(http, java.net.http.HttpRequest.newBuilder(uri(http, "/console/special"))
                .method("HEAD", BodyPublishers.noBody()).build());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals("7", head.headers().firstValue("content-length").orElseThrow());
    }

    @Test
    void oversizedBodiesAndFailingRoutesGetTheirStatus() throws Exception {
        HttpRoutes routes = new HttpRoutes()
                .post("/echo", r -> HttpResponse.of(200, "application/octet-stream", r.body()))
                .get("/boom", r -> {
                    throw new IllegalStateException("secret detail");
                });
        HttpEndpoint http = start(new HttpSettings("127.0.0.1", 0, HttpSettings.DEFAULT_THREADS,
                HttpSettings.DEFAULT_IDLE_TIMEOUT, HttpSettings.DEFAULT_REQUEST_TIMEOUT, 1024), routes);
        assertEquals(413, send(http, java.net.http.HttpRequest.newBuilder(uri(http, "/echo"))
                .POST(BodyPublishers.ofByteArray(new byte[1025])).build()).statusCode());
        assertEquals(200, send(http, java.net.http.HttpRequest.newBuilder(uri(http, "/echo"))
                .POST(BodyPublishers.ofByteArray(new byte[1024])).build()).statusCode());
        java.net.http.HttpResponse<String> boom = get(http, "/boom");
        assertEquals(500, boom.statusCode());
        assertFalse(boom.body().contains("secret"), boom.body());
    }

    @Test
    void theRouteTableIsFrozenOnceServedAndRefusesAmbiguousRoutes() throws Exception {
        HttpRoutes routes = new HttpRoutes().get("/a", r -> HttpResponse.text(200, "a"));
        assertThrows(IllegalArgumentException.class, () -> routes.get("/a", r -> HttpResponse.text(200, "again")));
        assertThrows(IllegalArgumentException.class, () -> routes.get("a", r -> HttpResponse.text(200, "relative")));
        assertThrows(IllegalArgumentException.class, () -> routes.get("/a*", r -> HttpResponse.text(200, "star")));
        assertThrows(IllegalArgumentException.class, () -> routes.add("HEAD", "/b", r -> HttpResponse.text(200, "head")));
        start(routes);
        assertThrows(IllegalStateException.class, () -> routes.get("/late", r -> HttpResponse.text(200, "late")));
    }

    @Test
    void aBusyPortIsAClearStartupError() throws Exception {
        HttpEndpoint first = start(new HttpRoutes());
        IOException e = assertThrows(IOException.class, () -> start(HttpSettings.defaults("127.0.0.1", first.port()), new HttpRoutes()));
        assertTrue(e.getMessage().contains("cannot listen for HTTP on 127.0.0.1:" + first.port()), e.getMessage());
    }

    /**
     * Slowloris: many more connections than pool threads each send a request line and then one header
     * byte every 100 ms. Liveness probes made meanwhile answer within a second, and the dribblers are
     * disconnected once the request timeout has passed.
     */
    @Test
    void clientsDribblingHeadersNeitherBlockProbesNorStayConnected() throws Exception {
        HttpSettings settings = new HttpSettings("127.0.0.1", 0, HttpSettings.MIN_THREADS, HttpSettings.DEFAULT_IDLE_TIMEOUT,
                Duration.ofSeconds(2), HttpSettings.DEFAULT_MAX_REQUEST_BODY_BYTES);
        HttpEndpoint http = start(settings, ProbeRoutes.register(new HttpRoutes(), () -> true, null));
        int dribblers = 32;
        List<Socket> sockets = new ArrayList<>();
        CountDownLatch allClosed = new CountDownLatch(dribblers);
        List<Thread> writers = new ArrayList<>();
        try {
            for (int i = 0; i < dribblers; i++) {
                Socket s = new Socket("127.0.0.1", http.port());
                sockets.add(s);
                writers.add(Thread.ofVirtual().start(() -> dribble(s, allClosed)));
            }
            Thread.sleep(300); // every dribbler has sent its request line
            for (int probe = 0; probe < 5; probe++) {
                long started = System.nanoTime();
                java.net.http.HttpResponse<String> live = send(http, java.net.http.HttpRequest.newBuilder(uri(http, "/livez"))
                        .timeout(Duration.ofSeconds(5)).build());
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                assertEquals(200, live.statusCode());
                assertTrue(millis < 1000, "/livez took " + millis + " ms beside " + dribblers + " slow clients");
                Thread.sleep(100);
            }
            assertTrue(allClosed.await(10, TimeUnit.SECONDS),
                    (dribblers - allClosed.getCount()) + " of " + dribblers + " dribblers disconnected within 10 s");
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            for (Thread t : writers) {
                t.join(5000);
            }
        }
    }

    /** The request timeout never cuts a keep-alive connection that completes its requests, slow ones included. */
    @Test
    void keepAliveConnectionsWithCompleteRequestsStayOpen() throws Exception {
        HttpRoutes routes = ProbeRoutes.register(new HttpRoutes(), () -> true, null)
                .get("/slow", r -> {
                    Thread.sleep(1500);
                    return HttpResponse.text(200, "slow");
                });
        HttpEndpoint http = start(new HttpSettings("127.0.0.1", 0, HttpSettings.DEFAULT_THREADS,
                HttpSettings.DEFAULT_IDLE_TIMEOUT, Duration.ofSeconds(1), HttpSettings.DEFAULT_MAX_REQUEST_BODY_BYTES), routes);
        try (Socket s = new Socket("127.0.0.1", http.port())) {
            s.setSoTimeout(10_000);
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            for (String path : new String[] {"/livez", "/slow", "/livez", "/livez", "/slow", "/livez"}) {
                out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertEquals("HTTP/1.1 200 OK", in.readLine(), path);
                int length = -1;
                for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                assertTrue(in.skip(length) == length);
                Thread.sleep(700);
            }
        }
    }

    /** Sends a request line, then a header byte every 100 ms until the server closes the connection. */
    private static void dribble(Socket socket, CountDownLatch closed) {
        try {
            socket.setSoTimeout(100);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /livez HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < 300; i++) {
                try {
                    if (in.read() < 0) {
                        closed.countDown();
                        return;
                    }
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // no answer yet: dribble on
                }
                out.write('a');
                out.flush();
            }
        } catch (IOException e) {
            closed.countDown(); // reset by the server
        }
    }

    @Test
    void regularRoutesCannotTakeTheThreadsProbesNeed() throws Exception {
        HttpSettings settings = HttpSettings.defaults("127.0.0.1", 0);
        int slots = settings.regularConcurrency();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(slots);
        HttpRoutes routes = ProbeRoutes.register(new HttpRoutes(), () -> true, null)
                .get("/slow", r -> {
                    entered.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    return HttpResponse.text(200, "done");
                });
        HttpEndpoint http = start(settings, routes);
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> slow = new ArrayList<>();
        try {
            for (int i = 0; i < slots; i++) {
                slow.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(uri(http, "/slow")).build(), BodyHandlers.ofString()));
            }
            assertTrue(entered.await(10, TimeUnit.SECONDS), "every regular slot taken by a waiting /slow");
            java.net.http.HttpResponse<String> refused = get(http, "/slow");
            assertEquals(503, refused.statusCode());
            assertEquals("1", refused.headers().firstValue("retry-after").orElseThrow());
            long started = System.nanoTime();
            assertEquals(200, get(http, "/livez").statusCode());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 1000);
        } finally {
            release.countDown();
        }
        for (var f : slow) {
            assertEquals(200, f.get(10, TimeUnit.SECONDS).statusCode());
        }
    }
}
