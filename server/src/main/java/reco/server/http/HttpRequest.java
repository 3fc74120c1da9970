package reco.server.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request as a route sees it, read in full before the route runs.
 *
 * @param method        upper-case method; a HEAD request reaches GET routes as {@code HEAD}
 * @param path          the decoded, normalised path ({@code /a/b}, never {@code /a/../b})
 * @param query         the raw query string without '?', or "" when there is none
 * @param headers       header names in lower case, values in arrival order
 * @param body          the request body (empty for GET and HEAD); at most the listener's body limit
 * @param remoteAddress the peer (for logs and {@code reco.server.admin.AdminAuthorization})
 */
public record HttpRequest(String method, String path, String query, Map<String, List<String>> headers, byte[] body,
                          SocketAddress remoteAddress) {
    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = query == null ? "" : query;
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** The first value of a header (case-insensitive name), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** The first value of a query parameter, URL-decoded, or null. */
    public String queryParameter(String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** True for a request from this machine (127.0.0.0/8 or ::1). */
    public boolean fromLoopback() {
        return remoteAddress instanceof InetSocketAddress inet && inet.getAddress() != null
                && inet.getAddress().isLoopbackAddress();
    }
}
