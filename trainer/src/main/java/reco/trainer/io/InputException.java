package reco.trainer.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Input that cannot be used: a missing or empty file, a layout that does not fit the requested
 * format, or (in strict mode) the first malformed row. The message is one line meant for the user,
 * starting with {@code path:line:} when a row is at fault and {@code path:} otherwise, so the CLI
 * prints it as is and exits non-zero.
 */
public final class InputException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final long line;

    /** A problem with a whole file (missing, empty, unusable header). */
    public InputException(Path path, String reason) {
        this(path, 0, reason, null);
    }

    /** A problem at one line (1-based) of {@code path}. */
    public InputException(Path path, long line, String reason) {
        this(path, line, reason, null);
    }

    InputException(Path path, long line, String reason, Throwable cause) {
        super(location(path, line) + ": " + reason, cause);
        this.path = path;
        this.line = line;
    }

    /** The file at fault. */
    public Path path() {
        return path;
    }

    /** 1-based line of the row at fault, or 0 when the problem concerns the whole file. */
    public long line() {
        return line;
    }

    static String location(Path path, long line) {
        return line > 0 ? path + ":" + line : String.valueOf(path);
    }
}
