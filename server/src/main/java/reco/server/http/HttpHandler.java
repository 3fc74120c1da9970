package reco.server.http;

/**
 * What a route does with a request. It runs on one of the HTTP listener's bounded pool threads once the
 * whole request (headers and body) has arrived, so it may block briefly (e.g. a unary gRPC call to the
 * in-process service), but it should stay short: the pool is small on purpose.
 *
 * <p>An exception becomes a 500 with a generic body (the exception is logged); a handler that wants a
 * specific status returns it.
 */
@FunctionalInterface
public interface HttpHandler {
    HttpResponse handle(HttpRequest request) throws Exception;
}
