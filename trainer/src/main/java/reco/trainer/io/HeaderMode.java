package reco.trainer.io;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Whether the first line of a delimited file is a header: yes, no, or guessed from its content. */
public enum HeaderMode {
    YES,
    NO,
    /**
     * A header when one of its fields is a well-known column name (user, item, movieId, rating,
     * timestamp, title, ...) or when a column that must hold numbers (weight, timestamp) does not.
     */
    AUTO;

    /** The lower-case name used on the command line ({@code yes}, {@code no}, {@code auto}). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a CLI value, case-insensitively; also accepts true/false. */
    public static HeaderMode parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "true": return YES;
            case "false": return NO;
            default:
                for (HeaderMode mode : values()) {
                    if (mode.cliName().equals(v)) {
                        return mode;
                    }
                }
        }
        throw new IllegalArgumentException("header: '" + value + "' is not one of "
                + Arrays.stream(values()).map(HeaderMode::cliName).collect(Collectors.joining(", ")));
    }
}
