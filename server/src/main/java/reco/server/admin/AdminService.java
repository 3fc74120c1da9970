package reco.server.admin;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import reco.server.ServedGeneration;
import reco.model.generation.GenerationFiles;
import reco.model.generation.GenerationWriter;
import reco.model.generation.Generations;
import reco.v1.ActivateRequest;
import reco.v1.ActivateResponse;
import reco.v1.AdminGrpc;
import reco.v1.GenerationInfo;
import reco.v1.ListGenerationsRequest;
import reco.v1.ListGenerationsResponse;
import reco.v1.ReloadRequest;
import reco.v1.ReloadResponse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * reco.v1.Admin: operator calls. Who may call them is {@link AdminAuthorization}'s business (an
 * interceptor in front of this service); what they do runs on {@link ModelControl}'s one admin thread,
 * so the call threads (or, with a direct executor, the transport's event loops) keep answering while a
 * generation loads.
 *
 * <p>{@code ListGenerations} and {@code Activate} are {@code reco generations list|activate} for a remote
 * operator: Activate validates, flips CURRENT and loads the generation before it answers.
 *
 * <p>{@code Reload} is the synchronous form of SIGHUP: the generation served afterwards, or
 * FAILED_PRECONDITION with the refusal reason while the old generation keeps serving.
 */
public final class AdminService extends AdminGrpc.AdminImplBase {
    private static final Logger LOG = Logger.getLogger(AdminService.class.getName());

    private final ModelControl control;

    public AdminService(ModelControl control) {
        this.control = control;
    }

    @Override
    public void reload(ReloadRequest request, StreamObserver<ReloadResponse> responses) {
        control.reload(request.getRetryRefused()).whenComplete((outcome, failure) -> {
            if (failure != null) {
                responses.onError(status("Reload", ModelControl.cause(failure)).asRuntimeException());
                return;
            }
            ServedGeneration now = outcome.after();
            if (now == null) {
                responses.onError(Status.FAILED_PRECONDITION
                        .withDescription("no generation is served (the server is shutting down)").asRuntimeException());
                return;
            }
            responses.onNext(ReloadResponse.newBuilder()
                    .setGenerationId(now.id())
                    .setChanged(outcome.changed())
                    .setPreviousGenerationId(outcome.before() == null ? "" : outcome.before().id())
                    .setLoadedAt(timestamp(now.loadedAt()))
                    .build());
            responses.onCompleted();
        });
    }

    @Override
    public void listGenerations(ListGenerationsRequest request, StreamObserver<ListGenerationsResponse> responses) {
        control.listGenerations().whenComplete((generations, failure) -> {
            if (failure != null) {
                responses.onError(status("ListGenerations", ModelControl.cause(failure)).asRuntimeException());
                return;
            }
            ServedGeneration served = control.served();
            String servedName = served == null ? null : served.generation().directory().getFileName().toString();
            ListGenerationsResponse.Builder response = ListGenerationsResponse.newBuilder();
            for (Generations.Info g : generations) {
                GenerationInfo.Builder info = GenerationInfo.newBuilder()
                        .setGenerationId(g.id())
                        .setItems(g.items())
                        .setUsers(g.users())
                        .setBytes(g.bytes())
                        .setCurrent(g.current())
                        .setServed(g.id().equals(servedName))
                        .setProblem(g.problem() == null ? "" : g.problem());
                if (g.createdAt() != null) {
                    info.setCreatedAt(timestamp(g.createdAt()));
                }
                response.addGenerations(info);
            }
            responses.onNext(response.build());
            responses.onCompleted();
        });
    }

    @Override
    public void activate(ActivateRequest request, StreamObserver<ActivateResponse> responses) {
        String id = request.getGenerationId();
        if (!GenerationFiles.isGenerationName(id)) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription("generation_id '" + id
                    + "' is not a generation name (ListGenerations names them)").asRuntimeException());
            return;
        }
        if (!Files.isDirectory(control.root().resolve(id), LinkOption.NOFOLLOW_LINKS)) {
            responses.onError(Status.NOT_FOUND.withDescription("no generation " + id
                    + " in the model root (ListGenerations names them)").asRuntimeException());
            return;
        }
        control.activate(id).whenComplete((outcome, failure) -> {
            if (failure != null) {
                responses.onError(status("Activate", ModelControl.cause(failure)).asRuntimeException());
                return;
            }
            ServedGeneration now = outcome.after();
            if (now == null) {
                responses.onError(Status.UNAVAILABLE
                        .withDescription("no generation is served (the server is shutting down)").asRuntimeException());
                return;
            }
            LOG.info("Activate: serving " + now.id() + (outcome.before() == null ? "" : " (was " + outcome.before().id() + ")"));
            responses.onNext(ActivateResponse.newBuilder()
                    .setGenerationId(now.id())
                    .setPreviousGenerationId(outcome.before() == null ? "" : outcome.before().id())
                    .setLoadedAt(timestamp(now.loadedAt()))
                    .build());
            responses.onCompleted();
        });
    }

    /**
     * The status of a failed admin call: the refusal reason for what an operator can fix (the model
     * root's content), UNAVAILABLE while shutting down, INTERNAL (details in the log) for the rest.
     */
    static Status status(String call, Throwable failure) {
        if (failure instanceof RejectedExecutionException) {
            return Status.UNAVAILABLE.withDescription(failure.getMessage());
        }
        if (failure instanceof GenerationWriter.RootLockedException) {
            return Status.UNAVAILABLE.withDescription(failure.getMessage());
        }
        if (failure instanceof IOException) {
            // refusals, damaged files, a missing or unreadable CURRENT: already logged and counted by the model holder
            return Status.FAILED_PRECONDITION.withDescription(failure.getMessage());
        }
        LOG.log(Level.WARNING, "admin " + call + " failed", failure);
        return Status.INTERNAL.withDescription(call + " failed; see the server log");
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
