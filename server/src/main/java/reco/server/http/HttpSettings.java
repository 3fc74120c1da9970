package reco.server.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything about the HTTP listener an operator may set.
 *
 * @param host                address to bind; 127.0.0.1 unless the operator says otherwise (probes and
 *                            scrapes usually come from the same machine or pod)
 * @param port                0..65535; 0 = a free port
 * @param threads             size of the listener's thread pool, network threads included (at least
 *                            {@link #MIN_THREADS}); routes other than probes may use all but
 *                            {@link #THREADS_KEPT_FOR_PROBES} of the threads left after the network's
 * @param idleTimeout         a connection that sends and receives nothing for this long is closed
 * @param requestTimeout      a request must arrive complete (headers and body) within this time once its
 *                            first bytes have: a client dribbling a request is disconnected, and never
 *                            holds a thread meanwhile
 * @param maxRequestBodyBytes largest request body accepted; bigger ones get 413
 */
public record HttpSettings(String host, int port, int threads, Duration idleTimeout, Duration requestTimeout,
                           int maxRequestBodyBytes) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The usual port of a service's HTTP side (health, metrics, JSON): what probes and scrape configs expect. */
    public static final int DEFAULT_PORT = 8080;
    /** Two network threads (one acceptor, one selector), two kept for probes, four for other routes. */
    public static final int DEFAULT_THREADS = 8;
    public static final int MIN_THREADS = 4;
    /** Network threads of the listener (one acceptor, one selector). */
    static final int NETWORK_THREADS = 2;
    /** Pool threads regular routes never take, so that probes always find one. */
    public static final int THREADS_KEPT_FOR_PROBES = 1;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The gRPC side's default message limit: a JSON request is not allowed to be bigger than a gRPC one. */
    public static final int DEFAULT_MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;
    /** Largest request line plus headers: probes and JSON calls need a few hundred bytes. */
    static final int MAX_REQUEST_HEADER_BYTES = 8 * 1024;

    public HttpSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("HTTP port must be 0..65535, got " + port);
        }
        if (threads < MIN_THREADS) {
            throw new IllegalArgumentException("HTTP threads must be >= " + MIN_THREADS + ", got " + threads);
        }
        requirePositive("HTTP idle timeout", idleTimeout);
        requirePositive("HTTP request timeout", requestTimeout);
        if (maxRequestBodyBytes < 0) {
            throw new IllegalArgumentException("HTTP request body limit must be >= 0, got " + maxRequestBodyBytes);
        }
    }

    /** 127.0.0.1:8080 with every other setting at its default. */
    public static HttpSettings defaults() {
        return defaults(DEFAULT_HOST, DEFAULT_PORT);
    }

    public static HttpSettings defaults(String host, int port) {
        return new HttpSettings(host, port, DEFAULT_THREADS, DEFAULT_IDLE_TIMEOUT, DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_MAX_REQUEST_BODY_BYTES);
    }

    /** Requests other than probes that may run at once: the pool less the network threads and the probes' share. */
    int regularConcurrency() {
        return threads - NETWORK_THREADS - THREADS_KEPT_FOR_PROBES;
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
