package reco.server;

import io.grpc.Metadata;
import io.grpc.Status;
import reco.v1.BatchRecommendForUserRequest;
import reco.v1.ExplainRequest;
import reco.v1.RecommendForUserRequest;

import java.net.SocketAddress;

/**
 * Who may have a user's history explained. An explanation of a user's recommendation names the items
 * in that user's history ("because you watched ..."), and the server cannot tell which end user a
 * caller acts for; so every explanation built from a stored history needs the explain right:
 * <ul>
 *   <li>Explain with a {@code user_id};</li>
 *   <li>RecommendForUser (alone or in a batch) with {@code explain = true}.</li>
 * </ul>
 * Explanations of what the caller itself sends (Explain with {@code item_ids}, RecommendForItems with
 * {@code explain}) need no right. The right is off by default; the server grants it to callers
 * presenting the explain token ({@code --explain-token-file}, sent as {@code authorization: Bearer
 * TOKEN}: give it to the backend that authenticates end users) and to in-process callers (code in the
 * server's JVM, which could read the model anyway), except calls an in-process bridge forwards for a remote
 * caller ({@link CallOrigin#FORWARDED}: the HTTP/JSON gateway), which need the token like any remote call. Everyone else gets PERMISSION_DENIED.
 */
final class ExplainPrivacy implements RequestCheck {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final BearerToken token; // null: nobody outside this JVM

    private ExplainPrivacy(BearerToken token) {
        this.token = token;
    }

    /** The default: user histories are explained to in-process callers only. */
    static ExplainPrivacy off() {
        return new ExplainPrivacy(null);
    }

    /** Also to callers presenting {@code token}. */
    static ExplainPrivacy withToken(BearerToken token) {
        return new ExplainPrivacy(java.util.Objects.requireNonNull(token, "token"));
    }

    @Override
    public String reason() {
        return "explain-permission";
    }

    @Override
    public Status check(Object request, Metadata headers, SocketAddress peer) {
        String what = switch (request) {
            case ExplainRequest r when !r.getUserId().isEmpty() -> "Explain for a user_id";
            case RecommendForUserRequest r when r.getExplain() -> "RecommendForUser with explain";
            case BatchRecommendForUserRequest b when b.getRequestsList().stream().anyMatch(RecommendForUserRequest::getExplain) ->
                    "BatchRecommendForUser with explain";
            default -> null;
        };
        if (what == null || CallOrigin.trustedInProcess(peer, headers)) {
            return null;
        }
        if (token != null && token.matches(headers.get(AUTHORIZATION))) {
            return null;
        }
        return Status.PERMISSION_DENIED.withDescription(what + " reveals the user's history and needs the explain right: "
                + (token == null ? "the server grants it to no remote caller (start it with --explain-token-file)"
                        : "send the explain token as `authorization: Bearer TOKEN`")
                + "; explanations of items the caller sends (Explain with item_ids, RecommendForItems) need no right");
    }

}
