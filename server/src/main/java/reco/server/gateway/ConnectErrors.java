package reco.server.gateway;

import io.grpc.Status;

import java.util.Locale;

/**
 * gRPC status codes as the Connect protocol carries them over HTTP: the HTTP status of the response and
 * the code's name in the JSON error body ({@code {"code":"not_found","message":"..."}}), from the Connect
 * protocol's error-code table.
 */
public final class ConnectErrors {
    private ConnectErrors() {}

    /** The HTTP status a unary Connect response with this gRPC code has. */
    public static int httpStatus(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case CANCELLED -> 499;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case UNAUTHENTICATED -> 401;
            case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
        };
    }

    /** The code's name in a Connect error body: the gRPC name in lower case ({@code not_found}). */
    public static String codeName(Status.Code code) {
        return code.name().toLowerCase(Locale.ROOT);
    }
}
