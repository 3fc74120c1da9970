package reco.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of every reco option, as ghz and Go write durations: {@code 500ms}, {@code 5s},
 * {@code 1.5m}, {@code 1m30s}, {@code 2h}; also ISO-8601 ({@code PT5S}) and a bare number of seconds.
 */
public final class Durations {
    private static final Pattern BARE_SECONDS = Pattern.compile("\\d{1,9}(?:\\.\\d+)?");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|s|m|h)");

    private Durations() {}

    /**
     * Parses a sequence of number+unit parts (units ms, us, s, m, h), or an ISO-8601 duration
     * ({@code PT5S}).
     *
     * @throws IllegalArgumentException showing the text and the accepted forms
     */
    public static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("pt") || s.startsWith("p")) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        if (BARE_SECONDS.matcher(s).matches()) {
            return Duration.ofNanos(Math.round(Double.parseDouble(s) * 1e9));
        }
        Matcher m = PART.matcher(s);
        int at = 0;
        long nanos = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw invalid(text);
            }
            double value = Double.parseDouble(m.group(1));
            double unitNanos = switch (m.group(2)) {
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                case "h" -> 3600e9;
                default -> throw invalid(text);
            };
            double add = value * unitNanos;
            if (add > Long.MAX_VALUE - nanos) {
                throw invalid(text);
            }
            nanos += (long) Math.rint(add);
            at = m.end();
        }
        if (at == 0) {
            throw invalid(text);
        }
        return Duration.ofNanos(nanos);
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 500ms, 5s, 1m30s, 2h or PT5S");
    }

    /** picocli converter for {@code Duration} options. */
    public static final class Converter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
