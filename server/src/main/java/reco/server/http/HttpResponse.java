package reco.server.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a route answers: status, content type, extra headers and the whole body (routes answer small,
 * complete bodies; the listener sets Content-Length and never sends a body to HEAD).
 */
public record HttpResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String JSON = "application/json";

    public HttpResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be 100..599, got " + status);
        }
        Objects.requireNonNull(contentType, "contentType");
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public static HttpResponse text(int status, String body) {
        return new HttpResponse(status, TEXT, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    public static HttpResponse json(int status, String body) {
        return new HttpResponse(status, JSON, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    public static HttpResponse of(int status, String contentType, byte[] body) {
        return new HttpResponse(status, contentType, Map.of(), body);
    }

    /** The same response with one more header (replacing one of the same name). */
    public HttpResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpResponse(status, contentType, more, body);
    }
}
