package reco.server;

import reco.model.ModelKind;
import reco.v1.Model;

/** Maps the public {@link Model} enum to the generation's {@link ModelKind} and back. */
final class ModelKinds {
    private ModelKinds() {}

    /**
     * The model a request names, or null for MODEL_UNSPECIFIED (the generation's default).
     *
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT for a value this server does not know
     */
    static ModelKind fromProto(Model model) {
        return switch (model) {
            case MODEL_UNSPECIFIED -> null;
            case MODEL_POPULARITY -> ModelKind.POPULARITY;
            case MODEL_CONTENT -> ModelKind.CONTENT;
            case MODEL_ITEM_KNN -> ModelKind.ITEM_KNN;
            case MODEL_ALS -> ModelKind.ALS;
            case MODEL_EASE -> ModelKind.EASE;
            case MODEL_HYBRID -> ModelKind.HYBRID;
            case UNRECOGNIZED -> throw Statuses.invalidArgument(
                    "model: unknown enum value; expected one of MODEL_UNSPECIFIED, MODEL_POPULARITY, MODEL_CONTENT, "
                            + "MODEL_ITEM_KNN, MODEL_ALS, MODEL_EASE, MODEL_HYBRID");
        };
    }

    static Model toProto(ModelKind kind) {
        return switch (kind) {
            case POPULARITY -> Model.MODEL_POPULARITY;
            case CONTENT -> Model.MODEL_CONTENT;
            case ITEM_KNN -> Model.MODEL_ITEM_KNN;
            case ALS -> Model.MODEL_ALS;
            case EASE -> Model.MODEL_EASE;
            case HYBRID -> Model.MODEL_HYBRID;
        };
    }
}
