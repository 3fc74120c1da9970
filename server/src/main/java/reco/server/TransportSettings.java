package reco.server;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Everything about the server's Netty transport an operator may set: address, message size limit,
 * keepalive policy, connection age and stream limits, and (mutual) TLS; the HTTP/2 rapid-reset limit is fixed. {@link #builder()} turns it into a {@link NettyServerBuilder};
 * the executor and services are the caller's.
 *
 * @param host                         address to bind (127.0.0.1 unless the operator says otherwise)
 * @param port                         0..65535; 0 = a free port
 * @param maxInboundMessageBytes       largest request accepted, in bytes; bigger ones fail with RESOURCE_EXHAUSTED
 * @param keepAliveTime                idle time after which the server pings a client to check the connection
 * @param keepAliveTimeout             how long the server waits for the ping's answer before closing the connection
 * @param permitKeepAliveTime          shortest interval at which clients may ping; more often = GOAWAY (too_many_pings)
 * @param permitKeepAliveWithoutCalls  whether clients may ping while they have no call open
 * @param maxConnectionIdle            idle time after which a connection is closed gracefully; zero = never
 * @param maxConnectionAge             age after which a connection is closed gracefully (GOAWAY; clients reconnect,
 *                                     which also spreads them over new server replicas); zero = never
 * @param maxConnectionAgeGrace        how long calls still running on an aged connection may take before it is closed
 * @param maxConcurrentCallsPerConnection HTTP/2 streams (calls) one connection may have open at once
 *                                     (SETTINGS_MAX_CONCURRENT_STREAMS; well-behaved clients queue beyond it)
 * @param tlsCertificate               PEM certificate chain of the server; null = plaintext
 * @param tlsPrivateKey                PEM PKCS#8 private key of {@code tlsCertificate}; null exactly when it is
 * @param tlsClientCa                  PEM CA certificates client certificates must chain to; non-null = mutual
 *                                     TLS (clients without a valid certificate are refused); needs TLS
 */
public record TransportSettings(String host, int port, int maxInboundMessageBytes,
                                Duration keepAliveTime, Duration keepAliveTimeout,
                                Duration permitKeepAliveTime, boolean permitKeepAliveWithoutCalls,
                                Duration maxConnectionIdle, Duration maxConnectionAge,
                                Duration maxConnectionAgeGrace, int maxConcurrentCallsPerConnection,
                                Path tlsCertificate, Path tlsPrivateKey, Path tlsClientCa) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** gRPC's own default: ample for the largest valid request (1000-entry batches, 10k-entry filters). */
    public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 4 * 1024 * 1024;
    public static final Duration DEFAULT_KEEPALIVE_TIME = Duration.ofMinutes(1);
    public static final Duration DEFAULT_KEEPALIVE_TIMEOUT = Duration.ofSeconds(20);
    /** Below gRPC's 5 min default: clients behind load balancers commonly ping every 30-60 s. */
    public static final Duration DEFAULT_PERMIT_KEEPALIVE_TIME = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_CONNECTION_IDLE = Duration.ZERO;
    public static final Duration DEFAULT_MAX_CONNECTION_AGE = Duration.ofMinutes(30);
    /** Above the default maximum call duration: a running call is never cut by a connection's age. */
    public static final Duration DEFAULT_MAX_CONNECTION_AGE_GRACE = Duration.ofMinutes(1);
    public static final int DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION = 256;
    /**
     * HTTP/2 rapid reset (CVE-2023-44487): a connection whose client resets more than this many streams
     * per {@link #RST_WINDOW_SECONDS} gets GOAWAY (ENHANCE_YOUR_CALM) and is closed. A client cancelling
     * calls at a high rate for real is rare; one opening and resetting streams in a loop is an attack.
     */
    public static final int MAX_RST_FRAMES_PER_WINDOW = 200;
    public static final int RST_WINDOW_SECONDS = 10;

    public TransportSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (maxInboundMessageBytes < 1024) {
            throw new IllegalArgumentException("maxInboundMessageBytes must be >= 1024, got " + maxInboundMessageBytes);
        }
        requirePositive("keepAliveTime", keepAliveTime);
        requirePositive("keepAliveTimeout", keepAliveTimeout);
        requireNotNegative("permitKeepAliveTime", permitKeepAliveTime);
        requireNotNegative("maxConnectionIdle", maxConnectionIdle);
        requireNotNegative("maxConnectionAge", maxConnectionAge);
        requireNotNegative("maxConnectionAgeGrace", maxConnectionAgeGrace);
        if (maxConcurrentCallsPerConnection < 1) {
            throw new IllegalArgumentException("maxConcurrentCallsPerConnection must be >= 1, got " + maxConcurrentCallsPerConnection);
        }
        if ((tlsCertificate == null) != (tlsPrivateKey == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate and its private key (got "
                    + (tlsCertificate == null ? "only the key" : "only the certificate") + ")");
        }
        if (tlsClientCa != null && tlsCertificate == null) {
            throw new IllegalArgumentException("mutual TLS (a client CA) needs server TLS: give a certificate and key too");
        }
    }

    /** Plaintext on {@code host:port} with every other setting at its default. */
    public static TransportSettings defaults(String host, int port) {
        return new TransportSettings(host, port, DEFAULT_MAX_INBOUND_MESSAGE_BYTES, DEFAULT_KEEPALIVE_TIME,
                DEFAULT_KEEPALIVE_TIMEOUT, DEFAULT_PERMIT_KEEPALIVE_TIME, false, DEFAULT_MAX_CONNECTION_IDLE,
                DEFAULT_MAX_CONNECTION_AGE, DEFAULT_MAX_CONNECTION_AGE_GRACE, DEFAULT_MAX_CONCURRENT_CALLS_PER_CONNECTION,
                null, null, null);
    }

    /** The same settings serving TLS (mutual when {@code clientCa} is not null). */
    public TransportSettings withTls(Path certificate, Path privateKey, Path clientCa) {
        return new TransportSettings(host, port, maxInboundMessageBytes, keepAliveTime, keepAliveTimeout,
                permitKeepAliveTime, permitKeepAliveWithoutCalls, maxConnectionIdle, maxConnectionAge, maxConnectionAgeGrace,
                maxConcurrentCallsPerConnection, certificate, privateKey, clientCa);
    }

    public boolean tls() {
        return tlsCertificate != null;
    }

    public boolean mutualTls() {
        return tlsClientCa != null;
    }

    /** A Netty server builder for these settings (no executor, no services yet). */
    public NettyServerBuilder builder() throws IOException {
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .maxInboundMessageSize(maxInboundMessageBytes)
                .keepAliveTime(keepAliveTime.toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(keepAliveTimeout.toNanos(), TimeUnit.NANOSECONDS)
                .permitKeepAliveTime(permitKeepAliveTime.toNanos(), TimeUnit.NANOSECONDS)
                .permitKeepAliveWithoutCalls(permitKeepAliveWithoutCalls)
                .maxConcurrentCallsPerConnection(maxConcurrentCallsPerConnection)
                .maxRstFramesPerWindow(MAX_RST_FRAMES_PER_WINDOW, RST_WINDOW_SECONDS);
        if (!maxConnectionIdle.isZero()) {
            b.maxConnectionIdle(maxConnectionIdle.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (!maxConnectionAge.isZero()) {
            b.maxConnectionAge(maxConnectionAge.toNanos(), TimeUnit.NANOSECONDS)
                    .maxConnectionAgeGrace(maxConnectionAgeGrace.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (tls()) {
            b.sslContext(sslContext());
        }
        return b;
    }

    private SslContext sslContext() throws IOException {
        readable("--tls-cert", tlsCertificate);
        readable("--tls-key", tlsPrivateKey);
        try {
            SslContextBuilder ssl = SslContextBuilder.forServer(tlsCertificate.toFile(), tlsPrivateKey.toFile());
            if (tlsClientCa != null) {
                readable("--tls-client-ca", tlsClientCa);
                ssl.trustManager(tlsClientCa.toFile()).clientAuth(ClientAuth.REQUIRE);
            }
            return GrpcSslContexts.configure(ssl).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot set up TLS from certificate " + tlsCertificate + " and key " + tlsPrivateKey
                    + (tlsClientCa == null ? "" : " (client CA " + tlsClientCa + ")") + ": " + e.getMessage()
                    + " (the key must be an unencrypted PKCS#8 PEM file: BEGIN PRIVATE KEY)", e);
        }
    }

    private static void readable(String flag, Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException(flag + " file " + file + " does not exist or is not readable");
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    private static void requireNotNegative(String name, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
    }
}
