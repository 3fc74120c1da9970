package reco.server;

import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests whose bytes do not parse (a truncated protobuf, invalid UTF-8 in a string field, a wrong
 * wire type): INVALID_ARGUMENT, as recommender.proto promises for bad requests.
 *
 * <p>grpc-java closes a call whose request fails to parse with UNKNOWN ("Application error processing
 * RPC") and no hint of what was wrong. {@link #tolerant} rebinds a service with request marshallers that
 * turn a parse failure into a {@link Malformed} marker instead of an exception; {@link CallAdmission},
 * which every such service must be wrapped in, refuses the marker with INVALID_ARGUMENT and the parser's
 * reason before anything typed sees it.
 */
final class MalformedRequests {
    /** Stands in for a request that did not parse; never reaches a service method. */
    record Malformed(String reason) {}

    private MalformedRequests() {}

    /** The same service, methods and schema (server reflection), with parse failures as {@link Malformed} markers. */
    static ServerServiceDefinition tolerant(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            ServerMethodDefinition<?, ?> tolerant = tolerant(method);
            methods.add(tolerant);
            descriptor.addMethod(tolerant.getMethodDescriptor());
        }
        ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(out::addMethod);
        return out.build();
    }

    private static <Q, R> ServerMethodDefinition<Q, R> tolerant(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
        MethodDescriptor.Marshaller<Q> strict = descriptor.getRequestMarshaller();
        MethodDescriptor.Marshaller<Q> tolerant = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Q value) {
                return strict.stream(value);
            }

            @Override
            @SuppressWarnings("unchecked") // a marker in place of Q: CallAdmission removes it before typed code runs
            public Q parse(InputStream stream) {
                try {
                    return strict.parse(stream);
                } catch (RuntimeException e) {
                    return (Q) new Malformed(reason(e));
                }
            }
        };
        return ServerMethodDefinition.create(descriptor.toBuilder().setRequestMarshaller(tolerant).build(),
                method.getServerCallHandler());
    }

    /** The protobuf parser's own words (e.g. "Protocol message had invalid UTF-8."), not gRPC's wrapper. */
    private static String reason(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }
}
