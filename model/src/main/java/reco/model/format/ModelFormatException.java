package reco.model.format;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file or generation that cannot be used. {@link #kind()} tells why, so callers (and
 * operators reading logs) can tell a damaged file from a version mismatch.
 */
public final class ModelFormatException extends IOException {
    public enum Kind {
        /** Bytes are not what was written: bad magic, checksum mismatch, inconsistent sizes. */
        CORRUPT,
        /** The file is shorter than its header or manifest says. */
        TRUNCATED,
        /** Written by an older format version than this reader supports. */
        TOO_OLD,
        /** Written by a newer format version than this reader supports. */
        TOO_NEW,
        /** A file the generation needs is absent. */
        MISSING
    }

    private final Kind kind;
    private final Path path;

    public ModelFormatException(Kind kind, Path path, String detail) {
        super(kind.name().toLowerCase().replace('_', ' ') + " model file " + path + ": " + detail);
        this.kind = kind;
        this.path = path;
    }

    public Kind kind() {
        return kind;
    }

    public Path path() {
        return path;
    }
}
