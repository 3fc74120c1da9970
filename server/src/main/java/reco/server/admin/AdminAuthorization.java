package reco.server.admin;

import io.grpc.Status;
import io.grpc.inprocess.AnonymousInProcessSocketAddress;
import io.grpc.inprocess.InProcessSocketAddress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Who may call reco.v1.Admin, over gRPC ({@link AdminAuthorizationInterceptor}) or any other transport
 * that bridges to it (an HTTP gateway checks {@link #check} with its own peer and header first).
 *
 * <ul>
 *   <li>With an admin token ({@link #withTokenFile}): every caller must present it as
 *       {@code authorization: Bearer TOKEN}, wherever it connects from; otherwise UNAUTHENTICATED.
 *       Tokens are compared in constant time (SHA-256 digests of both, {@link MessageDigest#isEqual}).</li>
 *   <li>Without one ({@link #loopbackOnly}): only peers on this machine (127.0.0.0/8, ::1) and
 *       in-process callers (code in this JVM, which could reach the model anyway); any other caller
 *       gets PERMISSION_DENIED.</li>
 * </ul>
 * A TLS client certificate plays no part: with mutual TLS every client has a valid certificate, and
 * that makes it a client, not an operator. Behind a proxy on the same machine every peer looks local,
 * so such deployments need a token.
 */
public final class AdminAuthorization {
    /** Shortest token accepted: 128 bits of hex, or 16 random characters. */
    public static final int MIN_TOKEN_BYTES = 16;
    private static final String BEARER = "bearer ";

    private final byte[] tokenDigest; // null = loopback only

    private AdminAuthorization(byte[] tokenDigest) {
        this.tokenDigest = tokenDigest;
    }

    /** Admin only from this machine (the default). */
    public static AdminAuthorization loopbackOnly() {
        return new AdminAuthorization(null);
    }

    /** Admin only with this token, from anywhere. */
    public static AdminAuthorization withToken(String token) {
        if (token == null || token.strip().length() < MIN_TOKEN_BYTES) {
            throw new IllegalArgumentException("the admin token must have at least " + MIN_TOKEN_BYTES
                    + " characters (e.g. `openssl rand -hex 32`)");
        }
        if (!token.strip().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the admin token must be printable ASCII without spaces");
        }
        return new AdminAuthorization(sha256(token.strip()));
    }

    /**
     * Admin only with the token stored in {@code file} (its first line, surrounding white space
     * removed): a file, not a flag or an environment variable, so that the token shows neither in
     * process listings nor in the environment of child processes.
     */
    public static AdminAuthorization withTokenFile(Path file) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException("admin token file " + file + " does not exist or is not readable");
        }
        String content = Files.readString(file, StandardCharsets.UTF_8);
        String firstLine = content.lines().findFirst().orElse("");
        try {
            return withToken(firstLine);
        } catch (IllegalArgumentException e) {
            throw new IOException("admin token file " + file + ": " + e.getMessage(), e);
        }
    }

    /** True when a token is required (else: loopback only). */
    public boolean requiresToken() {
        return tokenDigest != null;
    }

    /**
     * Whether a caller may use Admin.
     *
     * @param peer          the caller's address as the transport reports it (null = unknown)
     * @param authorization the value of its {@code authorization} header or metadata, or null
     * @return {@link Status#OK}, or UNAUTHENTICATED / PERMISSION_DENIED with a description that says
     *         what would be accepted (and never the token)
     */
    public Status check(SocketAddress peer, String authorization) {
        if (tokenDigest != null) {
            if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                return Status.UNAUTHENTICATED.withDescription(
                        "reco.v1.Admin needs the admin token: send `authorization: Bearer TOKEN`");
            }
            byte[] given = sha256(authorization.substring(BEARER.length()).strip());
            return MessageDigest.isEqual(given, tokenDigest) ? Status.OK
                    : Status.UNAUTHENTICATED.withDescription("reco.v1.Admin: the admin token does not match");
        }
        if (isLocal(peer)) {
            return Status.OK;
        }
        return Status.PERMISSION_DENIED.withDescription("reco.v1.Admin accepts calls from this machine only (peer "
                + describe(peer) + "); start the server with --admin-token-file to allow remote operators");
    }

    static boolean isLocal(SocketAddress peer) {
        if (peer instanceof InetSocketAddress inet) {
            return inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
        }
        return peer instanceof InProcessSocketAddress || peer instanceof AnonymousInProcessSocketAddress;
    }

    private static String describe(SocketAddress peer) {
        if (peer instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return peer == null ? "unknown" : peer.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
