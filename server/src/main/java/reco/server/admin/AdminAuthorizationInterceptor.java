package reco.server.admin;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Applies {@link AdminAuthorization} to every call of the service it wraps (reco.v1.Admin): a refused
 * call is closed before its handler sees it, counted in {@code reco.admin.denied{code}} and logged at
 * most once a minute (a scanner must not fill the log).
 */
public final class AdminAuthorizationInterceptor implements ServerInterceptor {
    private static final Logger LOG = Logger.getLogger(AdminAuthorizationInterceptor.class.getName());
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

    private final AdminAuthorization authorization;
    private final MeterRegistry registry;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

    public AdminAuthorizationInterceptor(AdminAuthorization authorization, MeterRegistry registry) {
        this.authorization = authorization;
        this.registry = registry;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Status verdict = authorization.check(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), headers.get(AUTHORIZATION));
        if (verdict.isOk()) {
            return next.startCall(call, headers);
        }
        Counter.builder("reco.admin.denied")
                .description("reco.v1.Admin calls refused: no admin token, a wrong one, or a remote caller without a token configured")
                .tag("code", verdict.getCode().name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastLogged.compareAndSet(last, now)) {
            LOG.warning("refused " + call.getMethodDescriptor().getFullMethodName() + ": " + verdict.getDescription()
                    + " (further refusals are counted in reco_admin_denied_total, logged at most once a minute)");
        }
        call.close(verdict, new Metadata());
        return new ServerCall.Listener<>() {};
    }
}
