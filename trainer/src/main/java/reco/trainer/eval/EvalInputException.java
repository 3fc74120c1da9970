package reco.trainer.eval;

import java.io.IOException;
import java.nio.file.Path;

/** A dataset, split or recommendations file that does not follow holdout-v1; the message names file:line. */
public final class EvalInputException extends IOException {
    private static final long serialVersionUID = 1L;

    public EvalInputException(String message) {
        super(message);
    }

    static EvalInputException at(Path file, int line, String problem) {
        return new EvalInputException(file + ":" + line + ": " + problem);
    }
}
