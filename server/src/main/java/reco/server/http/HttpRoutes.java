package reco.server.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The HTTP listener's route table: which handler answers which method and path. Build it, register
 * every route, then give it to {@link HttpEndpoint#start}; from then on it is frozen (registering
 * later throws), so a route table never changes under a running listener.
 *
 * <pre>{@code
 * HttpRoutes routes = new HttpRoutes();
 * ProbeRoutes.register(routes, server::isServing, prometheus);      // /livez /readyz /healthz /metrics
 * routes.post("/reco.v1.Recommender/SimilarItems", gateway::similarItems);
 * routes.get("/console/*", console::asset);                          // a prefix: /console and all below it
 * HttpEndpoint http = HttpEndpoint.start(HttpSettings.defaults(), routes);
 * }</pre>
 *
 * <p>Patterns are exact paths ({@code /readyz}) or prefixes ending in {@code /*} ({@code /console/*}
 * matches {@code /console}, {@code /console/} and everything below). An exact path wins over a prefix,
 * a longer prefix over a shorter one. A GET route also answers HEAD (without a body). A path with no
 * route gets 404; a path with routes for other methods gets 405 with {@code Allow}.
 *
 * <p>Two kinds of route share the listener's pool. {@linkplain #probe Probes} (health checks) must be
 * cheap and never block; they always run. Every other route counts against a limit of concurrent
 * requests a little below the pool size, so slow or numerous gateway calls get 503 before they can
 * leave a liveness probe waiting for a thread.
 */
public final class HttpRoutes {
    /** Whether a route is a health probe (always admitted) or regular work (admitted up to a limit). */
    public enum Kind { PROBE, REGULAR }

    /** One registered route. */
    public record Route(String method, String pattern, Kind kind, HttpHandler handler) {
        boolean isPrefix() {
            return pattern.endsWith("/*");
        }

        /** The path a prefix route covers, without the trailing "/*" ("" for "/*"). */
        String base() {
            return pattern.substring(0, pattern.length() - 2);
        }

        boolean matchesPath(String path) {
            if (!isPrefix()) {
                return pattern.equals(path);
            }
            String base = base();
            return path.equals(base) || path.startsWith(base + "/");
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private volatile boolean frozen;

    /** A health probe: GET (and HEAD), always admitted; the handler must answer at once without blocking. */
    public HttpRoutes probe(String path, HttpHandler handler) {
        return add("GET", path, Kind.PROBE, handler);
    }

    /** A GET (and HEAD) route. */
    public HttpRoutes get(String pattern, HttpHandler handler) {
        return add("GET", pattern, Kind.REGULAR, handler);
    }

    /** A POST route. */
    public HttpRoutes post(String pattern, HttpHandler handler) {
        return add("POST", pattern, Kind.REGULAR, handler);
    }

    /** A regular route for any method. */
    public HttpRoutes add(String method, String pattern, HttpHandler handler) {
        return add(method, pattern, Kind.REGULAR, handler);
    }

    /**
     * Registers a route.
     *
     * @throws IllegalArgumentException for a malformed pattern, HEAD (implied by GET), or a method and
     *                                  pattern that are already registered
     * @throws IllegalStateException    once the table serves a listener
     */
    public synchronized HttpRoutes add(String method, String pattern, Kind kind, HttpHandler handler) {
        if (frozen) {
            throw new IllegalStateException("the HTTP listener has started: register routes before HttpEndpoint.start");
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(handler, "handler");
        String m = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        if (m.equals("HEAD")) {
            throw new IllegalArgumentException("register GET: it answers HEAD too");
        }
        if (!m.matches("[A-Z]+")) {
            throw new IllegalArgumentException("not an HTTP method: '" + method + "'");
        }
        validatePattern(pattern);
        for (Route r : routes) {
            if (r.method().equals(m) && r.pattern().equals(pattern)) {
                throw new IllegalArgumentException(m + " " + pattern + " is already registered");
            }
        }
        routes.add(new Route(m, pattern, kind, handler));
        return this;
    }

    private static void validatePattern(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a route pattern starts with '/': '" + pattern + "'");
        }
        int star = pattern.indexOf('*');
        if (star >= 0 && (star != pattern.length() - 1 || !pattern.endsWith("/*"))) {
            throw new IllegalArgumentException("'*' may only end a prefix pattern as '/*': '" + pattern + "'");
        }
        if (pattern.contains("//") || pattern.contains("/../") || pattern.contains("/./") || pattern.endsWith("/..")) {
            throw new IllegalArgumentException("a route pattern is a normalised path: '" + pattern + "'");
        }
    }

    /** Every registered route, in registration order. */
    public synchronized List<Route> routes() {
        return List.copyOf(routes);
    }

    void freeze() {
        frozen = true;
    }

    /** The outcome of looking a request up: the route, or why there is none. */
    record Match(Route route, int status, String allow) {}

    Match match(String method, String path) {
        String m = method.equals("HEAD") ? "GET" : method;
        Route best = null;
        TreeSet<String> allowed = new TreeSet<>();
        int bestRank = -1;
        for (Route r : routes) {
            if (!r.matchesPath(path)) {
                continue;
            }
            int rank = r.isPrefix() ? r.base().length() : Integer.MAX_VALUE;
            if (r.method().equals(m)) {
                if (rank > bestRank) {
                    best = r;
                    bestRank = rank;
                }
            }
            allowed.add(r.method());
            if (r.method().equals("GET")) {
                allowed.add("HEAD");
            }
        }
        if (best != null) {
            return new Match(best, 200, null);
        }
        return allowed.isEmpty() ? new Match(null, 404, null) : new Match(null, 405, String.join(", ", allowed));
    }

    /** The exact GET paths, for the hint a 404 gives. */
    synchronized List<String> getPaths() {
        return routes.stream().filter(r -> r.method().equals("GET")).map(Route::pattern).toList();
    }
}
