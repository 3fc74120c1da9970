package reco.model.scoring;

/** The request names a model the served generation does not have, or one that cannot do what is asked. */
public final class UnsupportedModelException extends IllegalArgumentException {
    public UnsupportedModelException(String message) {
        super(message);
    }
}
