package reco.server;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import reco.model.scoring.UnsupportedModelException;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place failures become gRPC statuses (see the status list in recommender.proto):
 * INVALID_ARGUMENT for bad requests and models the generation lacks, NOT_FOUND for unknown items,
 * UNAVAILABLE before a generation is loaded, DEADLINE_EXCEEDED / CANCELLED for dead calls, and
 * INTERNAL with a generic message (details logged under a reference number) for everything else.
 * Nothing leaves the service as UNKNOWN.
 */
final class Statuses {
    private static final Logger LOG = Logger.getLogger(Statuses.class.getName());
    private static final AtomicLong INTERNAL_ERRORS = new AtomicLong();

    private Statuses() {}

    static StatusRuntimeException invalidArgument(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }

    static StatusRuntimeException notFound(String message) {
        return Status.NOT_FOUND.withDescription(message).asRuntimeException();
    }

    static StatusRuntimeException unavailable() {
        return Status.UNAVAILABLE.withDescription(
                "no model generation is loaded yet; retry with back-off (grpc.health.v1 reports SERVING when ready)")
                .asRuntimeException();
    }

    /** Throws DEADLINE_EXCEEDED or CANCELLED when the current call is no longer wanted. */
    static void checkNotCancelled() {
        Context context = Context.current();
        if (context.isCancelled()) {
            throw cancelled(context).asRuntimeException();
        }
    }

    private static Status cancelled(Context context) {
        Deadline deadline = context.getDeadline();
        if (deadline != null && deadline.isExpired() || context.cancellationCause() instanceof TimeoutException) {
            return Status.DEADLINE_EXCEEDED.withDescription("the call's deadline passed before it was answered");
        }
        return Status.CANCELLED.withDescription("the client cancelled the call");
    }

    /**
     * The status for a failure of {@code method}. Unexpected exceptions are logged with their stack
     * trace and answered with a generic INTERNAL message carrying a reference to the log line.
     */
    static Status toStatus(Throwable t, String method) {
        if (t instanceof StatusRuntimeException e) {
            return e.getStatus();
        }
        if (t instanceof StatusException e) {
            return e.getStatus();
        }
        if (t instanceof UnsupportedModelException e) {
            return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
        }
        Context context = Context.current();
        if (context.isCancelled()) {
            // whatever broke, the caller is gone or out of time: report that rather than a fault
            return cancelled(context);
        }
        long reference = INTERNAL_ERRORS.incrementAndGet();
        LOG.log(Level.SEVERE, method + " failed (internal error #" + reference + ")", t);
        return Status.INTERNAL.withDescription("internal server error #" + reference + " (details in the server log)");
    }
}
