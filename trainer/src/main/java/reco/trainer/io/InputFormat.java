package reco.trainer.io;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The layout of an input file or directory. The lower-case {@link #cliName()} is the value of the
 * trainer's {@code --format} option.
 */
public enum InputFormat {
    /** Decide per file from its name and first line ({@link #detect}). */
    AUTO,
    /**
     * MovieLens "latest" CSVs (RFC 4180, header line, CRLF or LF): {@code ratings.csv}
     * (userId,movieId,rating,timestamp), {@code movies.csv} (movieId,title,genres with
     * {@code |}-separated genres) and {@code tags.csv} (userId,movieId,tag,timestamp). Columns are
     * found by their header names.
     */
    MOVIELENS,
    /**
     * MovieLens 100K: {@code u.data} (user, item, rating, timestamp; tab-separated, no header) and
     * {@code u.item} (latin-1, {@code |}-separated, 19 genre flags named by {@code u.genre}).
     */
    ML100K,
    /** Generic delimited text configured by {@link DelimitedOptions}. */
    DELIMITED;

    /** The value used on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a CLI value case-insensitively. */
    public static InputFormat parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (InputFormat format : values()) {
            if (format.cliName().equals(v)) {
                return format;
            }
        }
        if (v.equals("tsv") || v.equals("csv")) {
            return DELIMITED;
        }
        throw new IllegalArgumentException("format: '" + value + "' is not one of "
                + Arrays.stream(values()).map(InputFormat::cliName).collect(Collectors.joining(", ")));
    }

    /**
     * Guesses the format of one file from its name and its first line (without line end; may be
     * empty). Never returns {@link #AUTO}; falls back to {@link #DELIMITED}.
     */
    public static InputFormat detect(Path file, InputKind kind, String firstLine) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        String head = firstLine.strip();
        if (!head.isEmpty() && head.charAt(0) == '\uFEFF') {
            head = head.substring(1);
        }
        switch (kind) {
            case INTERACTIONS -> {
                if (name.equals("u.data")) {
                    return ML100K;
                }
                if (head.startsWith("userId,movieId,")) {
                    return MOVIELENS;
                }
            }
            case ITEMS -> {
                if (name.equals("u.item") || countFields(head, '|') == 5 + MovieLens100k.DEFAULT_GENRES.size()) {
                    return ML100K;
                }
                if (head.startsWith("movieId,title")) {
                    return MOVIELENS;
                }
            }
            case TAGS -> {
                if (head.startsWith("userId,movieId,tag") || head.startsWith("movieId,tag")) {
                    return MOVIELENS;
                }
            }
            case AUXILIARY -> { }
        }
        return DELIMITED;
    }

    private static int countFields(String line, char delimiter) {
        int n = 1;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == delimiter) {
                n++;
            }
        }
        return n;
    }
}
