package reco.server;

import io.grpc.Metadata;
import io.grpc.Status;

import java.net.SocketAddress;

/**
 * A check {@link CallAdmission} runs on each request message as it arrives, before the call takes a
 * concurrency slot and before the service sees it: a refused call costs no model work.
 */
interface RequestCheck {
    /**
     * @param request the parsed request (any message type: a check ignores the ones it is not about)
     * @param headers the call's metadata
     * @param peer    the caller's address as the transport reports it (null = unknown)
     * @return null to let the request through, else the status to close the call with
     */
    Status check(Object request, Metadata headers, SocketAddress peer);

    /** The {@code reason} tag of {@code reco.calls.refused} for calls this check refuses. */
    String reason();
}
