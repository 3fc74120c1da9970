package reco.loadtest;

import java.time.Duration;
import java.util.Locale;

/** Durations in the load generator's reports. */
public final class DurationText {
    private DurationText() {}

    /** Short human form: {@code 250ms}, {@code 5s}, {@code 1.5s}, {@code 2m30s}. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos % 1_000_000_000L == 0) {
            long s = nanos / 1_000_000_000L;
            if (s >= 60 && s % 60 == 0) {
                return s / 60 + "m";
            }
            if (s > 60) {
                return s / 60 + "m" + s % 60 + "s";
            }
            return s + "s";
        }
        if (nanos < 1_000_000_000L) {
            return nanos % 1_000_000 == 0 ? nanos / 1_000_000 + "ms" : String.format(Locale.ROOT, "%.3fms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.3fs", nanos / 1e9).replaceAll("0+s$", "s");
    }

}
