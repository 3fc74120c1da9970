package reco.server.admin;

import io.grpc.Status;
import io.grpc.inprocess.AnonymousInProcessSocketAddress;
import io.grpc.inprocess.InProcessSocketAddress;
import reco.server.BearerToken;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Who may call reco.v1.Admin, over gRPC ({@link AdminAuthorizationInterceptor}) or any other transport
 * that bridges to it (an HTTP gateway checks {@link #check} with its own peer and header first).
 *
 * <ul>
 *   <li>With an admin token ({@link #withTokenFile}): every caller must present it as
 *       {@code authorization: Bearer TOKEN}, wherever it connects from; otherwise UNAUTHENTICATED.
 *       Tokens are compared in constant time ({@link BearerToken}).</li>
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
    public static final int MIN_TOKEN_BYTES = BearerToken.MIN_TOKEN_BYTES;
    private static final String WHAT = "admin token";

    private final BearerToken token; // null = loopback only

    private AdminAuthorization(BearerToken token) {
        this.token = token;
    }

    /** Admin only from this machine (the default). */
    public static AdminAuthorization loopbackOnly() {
        return new AdminAuthorization(null);
    }

    /** Admin only with this token, from anywhere. */
    public static AdminAuthorization withToken(String token) {
        return new AdminAuthorization(BearerToken.of(token, WHAT));
    }

    /** Admin only with the token stored in {@code file} (its first line; see {@link BearerToken#fromFile}). */
    public static AdminAuthorization withTokenFile(Path file) throws IOException {
        return new AdminAuthorization(BearerToken.fromFile(file, WHAT));
    }

    /** True when a token is required (else: loopback only). */
    public boolean requiresToken() {
        return token != null;
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
        if (token != null) {
            if (!BearerToken.isBearer(authorization)) {
                return Status.UNAUTHENTICATED.withDescription(
                        "reco.v1.Admin needs the admin token: send `authorization: Bearer TOKEN`");
            }
            return token.matches(authorization) ? Status.OK
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
}
