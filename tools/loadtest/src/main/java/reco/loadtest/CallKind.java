package reco.loadtest;

import io.grpc.MethodDescriptor;
import reco.v1.RecommenderGrpc;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The reco.v1 RPCs the load generator can drive, by their command-line names. */
public enum CallKind {
    /** The no-op round trip: the transport's own limit, the baseline of every throughput ratio. */
    ECHO("echo", RecommenderGrpc.getEchoMethod()),
    SIMILAR("similar", RecommenderGrpc.getSimilarItemsMethod()),
    USER("user", RecommenderGrpc.getRecommendForUserMethod()),
    ITEMS("items", RecommenderGrpc.getRecommendForItemsMethod()),
    INFO("info", RecommenderGrpc.getGetModelInfoMethod());

    private final String cliName;
    private final MethodDescriptor<?, ?> method;

    CallKind(String cliName, MethodDescriptor<?, ?> method) {
        this.cliName = cliName;
        this.method = method;
    }

    public String cliName() {
        return cliName;
    }

    public MethodDescriptor<?, ?> method() {
        return method;
    }

    /** e.g. {@code reco.v1.Recommender/SimilarItems}. */
    public String fullMethodName() {
        return method.getFullMethodName();
    }

    public static CallKind parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (CallKind kind : values()) {
            if (kind.cliName.equals(wanted)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown call '" + name + "', expected one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(CallKind::cliName).collect(Collectors.joining(", "));
    }
}
