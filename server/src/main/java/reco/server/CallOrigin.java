package reco.server;

import io.grpc.Metadata;

/**
 * Marks calls that reach the services in-process on behalf of a remote caller. In-process callers are
 * otherwise trusted (code in the server's JVM could read the model anyway), so a bridge that forwards
 * remote requests in-process, such as the HTTP/JSON gateway, sets {@link #FORWARDED} on every call: the
 * checks then treat the call as remote and look at the credentials the bridge passes on.
 */
public final class CallOrigin {
    /** Present (any value: the bridge's name) on calls forwarded in-process for a remote caller. */
    public static final Metadata.Key<String> FORWARDED = Metadata.Key.of("reco-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);

    private CallOrigin() {
    }

    /** True when the call comes from code in this JVM acting for itself, not forwarded for a remote caller. */
    static boolean trustedInProcess(java.net.SocketAddress peer, Metadata headers) {
        return peer != null && !(peer instanceof java.net.InetSocketAddress)
                && peer.getClass().getName().startsWith("io.grpc.inprocess.")
                && (headers == null || !headers.containsKey(FORWARDED));
    }
}
