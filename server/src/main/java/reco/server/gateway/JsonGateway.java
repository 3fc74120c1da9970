package reco.server.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reco.server.admin.AdminAuthorization;
import reco.server.http.HttpRequest;
import reco.server.http.HttpResponse;
import reco.server.http.HttpRoutes;
import reco.v1.AdminGrpc;
import reco.v1.RecommenderGrpc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * JSON over HTTP for every unary RPC of reco.v1.Recommender and reco.v1.Admin, in the Connect protocol's
 * unary style: {@code POST /reco.v1.Recommender/SimilarItems} with {@code Content-Type: application/json}
 * and the request message in proto3 JSON as the body; the response message in proto3 JSON with 200, or
 * the call's gRPC status as an HTTP status ({@link ConnectErrors}) and a body
 * {@code {"code":"not_found","message":"..."}}.
 *
 * <p>Each request becomes a call on a {@link Channel} to the server's own services (the in-process
 * transport of {@link reco.server.RecoServer#inProcessChannel()}), so validation, the concurrent-call
 * limit, Admin authorization and the {@code grpc.server.*} meters are those of the gRPC port and scoring
 * has one code path. Admin calls are first checked against the HTTP caller's own address and
 * {@code Authorization} header (the in-process peer is always local), and the header is passed on.
 *
 * <p>Deadlines: {@code Connect-Timeout-Ms} sets the call's deadline, capped at {@code maxTimeout}, which
 * is also the deadline of calls that set none.
 */
public final class JsonGateway {
    private static final Logger LOG = Logger.getLogger(JsonGateway.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    /** Connect's limit on the timeout header: at most 10 digits. */
    private static final int MAX_TIMEOUT_DIGITS = 10;
    public static final Duration DEFAULT_MAX_TIMEOUT = Duration.ofSeconds(30);

    private final Channel channel;
    private final AdminAuthorization adminAuthorization;
    private final MeterRegistry registry;
    private final Duration maxTimeout;
    private final JsonFormat.Parser parser = JsonFormat.parser();
    private final JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();

    /**
     * @param channel            where calls go: the server's own services
     * @param adminAuthorization who may call reco.v1.Admin (checked with the HTTP peer and header)
     * @param registry           counts Admin calls refused here in {@code reco.admin.denied}, as the gRPC port does
     * @param maxTimeout         deadline of calls without {@code Connect-Timeout-Ms}, and the longest one allowed
     */
    public JsonGateway(Channel channel, AdminAuthorization adminAuthorization, MeterRegistry registry, Duration maxTimeout) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.adminAuthorization = Objects.requireNonNull(adminAuthorization, "adminAuthorization");
        this.registry = Objects.requireNonNull(registry, "registry");
        if (maxTimeout == null || maxTimeout.isNegative() || maxTimeout.isZero()) {
            throw new IllegalArgumentException("gateway timeout must be positive, got " + maxTimeout);
        }
        this.maxTimeout = maxTimeout;
    }

    /** Registers {@code POST /SERVICE/METHOD} for every unary method of Recommender and Admin. */
    public HttpRoutes register(HttpRoutes routes) {
        for (String path : paths()) {
            routes.post(path, this::handle);
        }
        return routes;
    }

    /** The paths served, e.g. {@code /reco.v1.Recommender/SimilarItems}. */
    public static List<String> paths() {
        List<String> paths = new ArrayList<>();
        for (ServiceDescriptor service : List.of(RecommenderGrpc.getServiceDescriptor(), AdminGrpc.getServiceDescriptor())) {
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                if (method.getType() == MethodDescriptor.MethodType.UNARY) {
                    paths.add("/" + method.getFullMethodName());
                }
            }
        }
        return paths;
    }

    private static MethodDescriptor<?, ?> method(String path) {
        String name = path.substring(1);
        for (ServiceDescriptor service : List.of(RecommenderGrpc.getServiceDescriptor(), AdminGrpc.getServiceDescriptor())) {
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                if (method.getFullMethodName().equals(name)) {
                    return method;
                }
            }
        }
        return null;
    }

    HttpResponse handle(HttpRequest request) {
        MethodDescriptor<?, ?> method = method(request.path());
        if (method == null || method.getType() != MethodDescriptor.MethodType.UNARY) {
            return error(Status.Code.UNIMPLEMENTED, "no unary method " + request.path());
        }
        String contentType = request.header("content-type");
        if (!isJson(contentType)) {
            return error(415, Status.Code.INVALID_ARGUMENT, "Content-Type must be application/json (proto3 JSON), got "
                    + (contentType == null ? "none" : contentType)).withHeader("Accept-Post", "application/json");
        }
        String version = request.header("connect-protocol-version");
        if (version != null && !version.equals("1")) {
            return error(Status.Code.INVALID_ARGUMENT, "unsupported Connect-Protocol-Version " + version + " (this server speaks 1)");
        }
        long timeoutMillis;
        try {
            timeoutMillis = timeoutMillis(request.header("connect-timeout-ms"));
        } catch (IllegalArgumentException e) {
            return error(Status.Code.INVALID_ARGUMENT, e.getMessage());
        }
        Metadata headers = new Metadata();
        if (method.getServiceName().equals(AdminGrpc.SERVICE_NAME)) {
            Status allowed = adminAuthorization.check(request.remoteAddress(), request.header("authorization"));
            if (!allowed.isOk()) {
                Counter.builder("reco.admin.denied")
                        .description("reco.v1.Admin calls refused: no admin token, a wrong one, or a remote caller without a token configured")
                        .tag("code", allowed.getCode().name().toLowerCase(java.util.Locale.ROOT))
                        .register(registry).increment();
                return error(allowed.getCode(), allowed.getDescription());
            }
        }
        String authorization = request.header("authorization");
        // An operator (who passes the Admin check: on this machine by default, or with the admin token)
        // acts with the server's own rights, as the console does for them. Anyone else is a remote caller
        // whatever the in-process peer says: checks that trust in-process callers (the explain right)
        // must see the caller's own credentials.
        if (!adminAuthorization.check(request.remoteAddress(), authorization).isOk()) {
            headers.put(reco.server.CallOrigin.FORWARDED, "http-gateway");
        }
        if (authorization != null) {
            headers.put(AUTHORIZATION, authorization);
        }
        Message prototype = prototype(method);
        Message.Builder builder = prototype.newBuilderForType();
        String body = new String(request.body(), StandardCharsets.UTF_8);
        try {
            if (!body.isBlank()) {
                parser.merge(body, builder);
            }
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return error(Status.Code.INVALID_ARGUMENT, "request body is not a " + prototype.getDescriptorForType().getFullName()
                    + " in proto3 JSON: " + e.getMessage());
        }
        try {
            Message response = call(method, builder.build(), headers, timeoutMillis);
            return HttpResponse.json(200, printer.print(response));
        } catch (StatusRuntimeException e) {
            return error(e.getStatus().getCode(), e.getStatus().getDescription());
        } catch (InvalidProtocolBufferException e) {
            LOG.log(Level.WARNING, "cannot print a " + request.path() + " response as JSON", e);
            return error(Status.Code.INTERNAL, "internal error; see the server log");
        }
    }

    @SuppressWarnings("unchecked")
    private Message call(MethodDescriptor<?, ?> method, Message request, Metadata headers, long timeoutMillis) {
        MethodDescriptor<Message, Message> typed = (MethodDescriptor<Message, Message>) method;
        Channel target = headers.keys().isEmpty() ? channel
                : ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        return ClientCalls.blockingUnaryCall(target, typed,
                CallOptions.DEFAULT.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS), request);
    }

    private static Message prototype(MethodDescriptor<?, ?> method) {
        if (method.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> marshaller
                && marshaller.getMessagePrototype() instanceof Message message) {
            return message;
        }
        throw new IllegalStateException(method.getFullMethodName() + " has no protobuf request type");
    }

    private long timeoutMillis(String header) {
        long max = maxTimeout.toMillis();
        if (header == null) {
            return max;
        }
        if (header.isEmpty() || header.length() > MAX_TIMEOUT_DIGITS || !header.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("Connect-Timeout-Ms must be 1 to " + MAX_TIMEOUT_DIGITS
                    + " digits (milliseconds), got '" + header + "'");
        }
        return Math.min(Long.parseLong(header), max);
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            if (kv[0].equalsIgnoreCase("charset") && kv.length == 2
                    && !kv[1].replace("\"", "").equalsIgnoreCase("utf-8")) {
                return false;
            }
        }
        return true;
    }

    private static HttpResponse error(Status.Code code, String message) {
        return error(ConnectErrors.httpStatus(code), code, message);
    }

    private static HttpResponse error(int httpStatus, Status.Code code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", ConnectErrors.codeName(code));
        if (message != null && !message.isEmpty()) {
            body.put("message", message);
        }
        try {
            return HttpResponse.json(httpStatus, JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a map of two strings is always JSON", e);
        }
    }
}
