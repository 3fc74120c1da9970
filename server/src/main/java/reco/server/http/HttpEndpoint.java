package reco.server.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's one HTTP listener: health probes, Prometheus metrics and whatever other routes the
 * process registers in its {@link HttpRoutes} (a JSON gateway, console assets), on its own address
 * ({@code --http-host}, {@code --http-port}), apart from the gRPC port.
 *
 * <p>Built on Jetty's core API (no servlets) rather than the JDK's {@code HttpServer}: the JDK server
 * reads request headers with blocking reads on its executor's threads, so a few clients that send
 * their headers slowly hold every thread of a bounded pool and a liveness probe waits behind them; its
 * only time limits are JVM-wide system properties. Jetty parses requests on its selector and hands a
 * request to a pool thread only once its headers have arrived, so a slow client costs a connection,
 * never a thread.
 *
 * <p>Limits, all from {@link HttpSettings}: a pool of {@code threads} threads (two of them network
 * threads); regular routes may run on all but {@link HttpSettings#THREADS_KEPT_FOR_PROBES}
 * of the rest at once (beyond: 503 with {@code Retry-After}), probes always run; connections idle for
 * {@code idleTimeout} are closed; a connection that keeps sending bytes without completing a request
 * for {@code requestTimeout} is closed; request headers are capped at 8 KiB (431) and bodies at
 * {@code maxRequestBodyBytes} (413). Bodies are read without holding a thread and routes run once the
 * whole request is in.
 */
public final class HttpEndpoint implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HttpEndpoint.class.getName());
    private final Server jetty;
    private final ServerConnector connector;
    private final HttpSettings settings;
    private final HttpRoutes routes;

    private HttpEndpoint(Server jetty, ServerConnector connector, HttpSettings settings, HttpRoutes routes) {
        this.jetty = jetty;
        this.connector = connector;
        this.settings = settings;
        this.routes = routes;
    }

    /**
     * Binds {@code settings.host():settings.port()} and serves {@code routes} (frozen from now on).
     *
     * @throws IOException when the address cannot be bound (in use, not local, no permission)
     */
    public static HttpEndpoint start(HttpSettings settings, HttpRoutes routes) throws IOException {
        routes.freeze();
        // bounded in threads; its queue holds Jetty's own tasks too, so it is left unbounded (Jetty warns
        // against a bounded one): regular requests are bounded by the route handler's slots instead
        QueuedThreadPool pool = new QueuedThreadPool(settings.threads(), settings.threads());
        pool.setName("reco-http");
        pool.setDaemon(true);
        pool.setReservedThreads(0);
        Server jetty = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        config.setRequestHeaderSize(HttpSettings.MAX_REQUEST_HEADER_BYTES);
        ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(config));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(settings.idleTimeout().toMillis());
        connector.addEventListener(new SlowRequestGuard(connector.getScheduler(), settings.requestTimeout().toMillis()));
        jetty.addConnector(connector);
        jetty.setHandler(new RouteHandler(routes, settings));
        try {
            jetty.start();
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception ignored) {
                // nothing was served
            }
            String reason = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            throw new IOException("cannot listen for HTTP on " + settings.host() + ":" + settings.port() + ": " + reason, e);
        }
        return new HttpEndpoint(jetty, connector, settings, routes);
    }

    /** The bound port (the ephemeral one when started on port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public String host() {
        return settings.host();
    }

    /** The routes served, in registration order. */
    public java.util.List<HttpRoutes.Route> routes() {
        return routes.routes();
    }

    /** Closes the listener and every connection; requests still running are abandoned. */
    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "HTTP listener did not stop cleanly", e);
        }
    }

    /** Looks a request up in the route table, reads its body without holding a thread, runs the route. */
    private static final class RouteHandler extends Handler.Abstract {
        private final HttpRoutes routes;
        private final HttpSettings settings;
        private final Semaphore regularSlots;

        RouteHandler(HttpRoutes routes, HttpSettings settings) {
            super(InvocationType.BLOCKING);
            this.routes = routes;
            this.settings = settings;
            this.regularSlots = new Semaphore(settings.regularConcurrency());
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String method = request.getMethod().toUpperCase(Locale.ROOT);
            String path = Request.getPathInContext(request);
            HttpRoutes.Match match = routes.match(method, path);
            if (match.route() == null) {
                HttpResponse answer = match.status() == 405
                        ? HttpResponse.text(405, method + " is not allowed on " + path + "\n").withHeader("Allow", match.allow())
                        : HttpResponse.text(404, "not found: " + path + " (try " + String.join(", ", routes.getPaths()) + ")\n");
                send(request, response, callback, answer);
                return true;
            }
            HttpRoutes.Route route = match.route();
            long length = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            if (length > settings.maxRequestBodyBytes()) {
                send(request, response, callback, tooLarge());
                return true;
            }
            if (method.equals("GET") || method.equals("HEAD") || length == 0) {
                run(route, request, response, callback, new byte[0]);
                return true;
            }
            CompletableFuture<byte[]> body = Content.Source.asByteArrayAsync(request, settings.maxRequestBodyBytes());
            if (body.isDone()) {
                complete(route, request, response, callback, body);
            } else {
                // the rest of the body arrives on a network thread: run the route on the pool
                body.whenCompleteAsync((bytes, failure) -> complete(route, request, response, callback, body),
                        request.getComponents().getExecutor());
            }
            return true;
        }

        private void complete(HttpRoutes.Route route, Request request, Response response, Callback callback,
                              CompletableFuture<byte[]> body) {
            byte[] bytes;
            try {
                bytes = body.join();
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                boolean tooBig = cause instanceof IllegalArgumentException;
                send(request, response, callback, tooBig ? tooLarge()
                        : HttpResponse.text(400, "could not read the request body: " + cause.getMessage() + "\n"));
                return;
            }
            run(route, request, response, callback, bytes);
        }

        private HttpResponse tooLarge() {
            return HttpResponse.text(413, "request body larger than " + settings.maxRequestBodyBytes() + " bytes\n");
        }

        private void run(HttpRoutes.Route route, Request request, Response response, Callback callback, byte[] body) {
            boolean regular = route.kind() == HttpRoutes.Kind.REGULAR;
            if (regular && !regularSlots.tryAcquire()) {
                send(request, response, callback, HttpResponse.text(503, "busy: too many HTTP requests in progress; retry\n")
                        .withHeader("Retry-After", "1"));
                return;
            }
            HttpResponse answer;
            try {
                answer = route.handler().handle(toRequest(request, body));
                if (answer == null) {
                    throw new IllegalStateException("route " + route.method() + " " + route.pattern() + " returned no response");
                }
            } catch (Exception | LinkageError | AssertionError e) {
                LOG.log(Level.WARNING, "HTTP " + request.getMethod() + " " + Request.getPathInContext(request) + " failed", e);
                answer = HttpResponse.text(500, "internal error; see the server log\n");
            } finally {
                if (regular) {
                    regularSlots.release();
                }
            }
            send(request, response, callback, answer);
        }

        private static HttpRequest toRequest(Request request, byte[] body) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (HttpField field : request.getHeaders()) {
                headers.computeIfAbsent(field.getLowerCaseName(), k -> new ArrayList<>()).add(field.getValue());
            }
            String query = request.getHttpURI().getQuery();
            return new HttpRequest(request.getMethod().toUpperCase(Locale.ROOT), Request.getPathInContext(request),
                    query, headers, body, request.getConnectionMetaData().getRemoteSocketAddress());
        }

        private static void send(Request request, Response response, Callback callback, HttpResponse answer) {
            response.setStatus(answer.status());
            HttpFields.Mutable headers = response.getHeaders();
            headers.put(HttpHeader.CONTENT_TYPE, answer.contentType());
            headers.put("X-Content-Type-Options", "nosniff");
            answer.headers().forEach(headers::put);
            headers.put(HttpHeader.CONTENT_LENGTH, answer.body().length);
            boolean head = request.getMethod().equalsIgnoreCase("HEAD");
            response.write(true, head ? null : ByteBuffer.wrap(answer.body()), callback);
        }
    }

    /**
     * Closes a connection that keeps sending bytes without completing a request for a whole request
     * timeout while none of its requests is in progress: a client dribbling its headers. (Jetty's idle
     * timeout only catches clients that send nothing; this one holds no thread either way, but would
     * hold its connection forever.)
     */
    private static final class SlowRequestGuard implements Connection.Listener {
        private final Scheduler scheduler;
        private final long timeoutMillis;

        SlowRequestGuard(Scheduler scheduler, long timeoutMillis) {
            this.scheduler = scheduler;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void onOpened(Connection connection) {
            new Check(connection).schedule();
        }

        private final class Check implements Runnable {
            private final Connection connection;
            private long bytesIn;
            private long messagesIn;
            private boolean first = true;

            Check(Connection connection) {
                this.connection = connection;
            }

            void schedule() {
                scheduler.schedule(this, timeoutMillis, TimeUnit.MILLISECONDS);
            }

            @Override
            public void run() {
                if (!connection.getEndPoint().isOpen()) {
                    return;
                }
                long bytes = connection.getBytesIn();
                long messages = connection.getMessagesIn();
                boolean requestInProgress = connection.getMessagesOut() < messages;
                boolean received = first ? bytes > 0 : bytes > bytesIn;
                if (received && messages == messagesIn && !requestInProgress) {
                    LOG.fine(() -> "closing HTTP connection from " + connection.getEndPoint().getRemoteSocketAddress()
                            + ": no complete request within " + timeoutMillis + " ms");
                    connection.getEndPoint().close(new java.util.concurrent.TimeoutException(
                            "no complete request within " + timeoutMillis + " ms"));
                    return;
                }
                first = false;
                bytesIn = bytes;
                messagesIn = messages;
                schedule();
            }
        }
    }
}
