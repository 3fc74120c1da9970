package reco.server;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import reco.v1.AdminGrpc;
import reco.v1.ReloadRequest;
import reco.v1.ReloadResponse;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * reco.v1.Admin: operator calls. {@code Reload} is the synchronous form of SIGHUP: it checks
 * ROOT/CURRENT on the calling thread (serialised with the watcher by {@link ModelHolder}) and answers
 * with the generation served afterwards, or FAILED_PRECONDITION with the refusal reason while the old
 * generation keeps serving.
 */
public final class AdminService extends AdminGrpc.AdminImplBase {
    private static final Logger LOG = Logger.getLogger(AdminService.class.getName());

    private final ModelHolder models;

    public AdminService(ModelHolder models) {
        this.models = models;
    }

    /**
     * Runs the reload on its own thread: loading a generation takes seconds, and the call executor
     * (or, with a direct executor, the transport's event loop) must keep answering meanwhile.
     */
    @Override
    public void reload(ReloadRequest request, StreamObserver<ReloadResponse> responses) {
        Thread loader = new Thread(() -> reloadAndAnswer(responses), "reco-admin-reload");
        loader.setDaemon(true);
        loader.start();
    }

    private void reloadAndAnswer(StreamObserver<ReloadResponse> responses) {
        ServedGeneration before = models.peek();
        boolean changed;
        try {
            LOG.info("admin Reload: checking " + models.root() + " for a new generation");
            changed = models.reloadNow();
        } catch (IOException e) {
            // refusals are already logged and counted by the holder; the caller gets the reason
            responses.onError(Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "admin Reload failed", e);
            responses.onError(Status.INTERNAL.withDescription("reload failed; see the server log").asRuntimeException());
            return;
        }
        ServedGeneration now = models.peek();
        if (now == null) {
            responses.onError(Status.FAILED_PRECONDITION
                    .withDescription("no generation is served (the server is shutting down)").asRuntimeException());
            return;
        }
        responses.onNext(ReloadResponse.newBuilder()
                .setGenerationId(now.id())
                .setChanged(changed)
                .setPreviousGenerationId(before == null ? "" : before.id())
                .setLoadedAt(Timestamp.newBuilder()
                        .setSeconds(now.loadedAt().getEpochSecond()).setNanos(now.loadedAt().getNano()))
                .build());
        responses.onCompleted();
    }
}
