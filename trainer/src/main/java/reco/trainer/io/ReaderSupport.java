package reco.trainer.io;

import reco.model.generation.IdList;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pieces shared by the interaction, item and tag readers. */
final class ReaderSupport {
    private ReaderSupport() {}

    /** Lower-cased header names, without '_', '-' and spaces, that mark a first line as a header. */
    private static final Set<String> KNOWN_COLUMN_NAMES = Set.of(
            "user", "userid", "users", "uid", "customer", "customerid", "visitor", "visitorid", "session",
            "sessionid", "item", "itemid", "items", "iid", "movie", "movieid", "product", "productid",
            "article", "articleid", "rating", "ratings", "weight", "score", "value", "count", "plays",
            "timestamp", "ts", "time", "datetime", "date", "unixtime", "id", "title", "name", "categories",
            "category", "genres", "genre", "text", "description", "tag", "tags", "label", "labels");

    static final String NO_GENRES = "(no genres listed)";

    /**
     * Whether the reader's current (first) record is a header. With {@link HeaderMode#AUTO}: yes
     * when a field is a well-known column name, or when one of {@code numericColumns} (weight or
     * timestamp positions, {@link DelimitedOptions#ABSENT} ignored) does not hold a number.
     */
    static boolean isHeader(RecordReader reader, HeaderMode mode, int... numericColumns) {
        if (mode != HeaderMode.AUTO) {
            return mode == HeaderMode.YES;
        }
        for (int f = 0; f < reader.fieldCount(); f++) {
            if (KNOWN_COLUMN_NAMES.contains(normalizeName(reader.text(f)))) {
                return true;
            }
        }
        for (int column : numericColumns) {
            if (column >= 0 && column < reader.fieldCount() && Float.isNaN(reader.parseFloat(column))
                    && timestamp(reader, column) == Long.MIN_VALUE) {
                return true;
            }
        }
        return false;
    }

    private static String normalizeName(String name) {
        StringBuilder s = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '_' && c != '-' && c != ' ') {
                s.append(Character.toLowerCase(c));
            }
        }
        return s.toString();
    }

    /** Position of each of {@code names} in the header record (case-sensitive), -1 when missing. */
    static int[] headerPositions(RecordReader reader, String... names) {
        int[] positions = new int[names.length];
        java.util.Arrays.fill(positions, DelimitedOptions.ABSENT);
        for (int f = 0; f < reader.fieldCount(); f++) {
            String field = reader.text(f).strip();
            for (int n = 0; n < names.length; n++) {
                if (positions[n] < 0 && names[n].equals(field)) {
                    positions[n] = f;
                }
            }
        }
        return positions;
    }

    /** Fails unless every required column fits in rows of {@code width} fields. */
    static void requireColumns(RecordReader reader, int width, char delimiter, String[] names, int[] columns)
            throws InputException {
        int needed = 0;
        for (int column : columns) {
            needed = Math.max(needed, column + 1);
        }
        if (width >= needed) {
            return;
        }
        StringBuilder which = new StringBuilder();
        for (int c = 0; c < columns.length; c++) {
            which.append(c == 0 ? "" : ", ").append(names[c]).append(" in column ").append(columns[c]);
        }
        String hint = width == 1 ? "; is the delimiter " + DelimitedOptions.printable(delimiter)
                + " right? (first line: '" + abbreviate(reader.recordText()) + "')" : "";
        throw new InputException(reader.path(), reader.line(), "expected at least " + needed + " fields ("
                + which + "), got " + width + hint);
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    /** Note for an optional column that the file does not have. */
    static String absentNote(String name, int column, int width, String consequence) {
        return column == DelimitedOptions.ABSENT
                ? "no " + name + " column: " + consequence
                : "no " + name + " column (column " + column + " is beyond the " + width + " fields per row): "
                        + consequence;
    }

    /**
     * The field as unix seconds: an integer, or an ISO-8601 instant, offset date-time, local
     * date-time (taken as UTC) or date (UTC midnight). {@link Long#MIN_VALUE} when none of these.
     */
    static long timestamp(RecordReader reader, int field) {
        long seconds = reader.parseLong(field);
        if (seconds != Long.MIN_VALUE) {
            return seconds;
        }
        String text = reader.text(field).strip();
        if (text.length() < 10 || text.charAt(4) != '-') {
            return Long.MIN_VALUE;
        }
        try {
            return Instant.parse(text).getEpochSecond();
        } catch (DateTimeParseException notInstant) {
            try {
                return OffsetDateTime.parse(text).toEpochSecond();
            } catch (DateTimeParseException notOffset) {
                try {
                    return LocalDateTime.parse(text).toEpochSecond(ZoneOffset.UTC);
                } catch (DateTimeParseException notLocal) {
                    try {
                        return LocalDate.parse(text).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
                    } catch (DateTimeParseException notDate) {
                        return Long.MIN_VALUE;
                    }
                }
            }
        }
    }

    /**
     * Why the field cannot be an id ({@code what}: "user id", "item id"), or null when it can: empty,
     * or longer than the {@value reco.model.generation.IdList#MAX_ID_BYTES} bytes of UTF-8 the API
     * accepts (such an id would train but could never be asked for).
     */
    static String idProblem(RecordReader reader, int field, String what) {
        if (reader.isEmpty(field)) {
            return "empty " + what;
        }
        // up to half the limit in raw bytes fits whatever the encoding (Latin-1 doubles at most)
        if (reader.fieldLength(field) > IdList.MAX_ID_BYTES / 2) {
            int bytes = reader.text(field).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > IdList.MAX_ID_BYTES) {
                return what + " of " + bytes + " bytes; ids are at most " + IdList.MAX_ID_BYTES
                        + " bytes of UTF-8 (a longer one could never be queried)";
            }
        }
        return null;
    }

    /** Quotes a field value for a message, shortened when long. */
    static String quote(RecordReader reader, int field) {
        return "'" + abbreviate(reader.text(field)) + "'";
    }

    /** Shares one String instance per distinct value (genres, tags repeat a lot). */
    static final class Canonical {
        private final Map<String, String> values = new HashMap<>();

        String of(String value) {
            String existing = values.putIfAbsent(value, value);
            return existing != null ? existing : value;
        }
    }

    /**
     * Splits a {@code |}-separated category list; parts are trimmed, empty parts and the MovieLens
     * placeholder {@value #NO_GENRES} dropped.
     */
    static List<String> categories(String list, Canonical canonical) {
        List<String> out = new ArrayList<>(4);
        int start = 0;
        while (start <= list.length()) {
            int bar = list.indexOf('|', start);
            int end = bar < 0 ? list.length() : bar;
            String part = list.substring(start, end).strip();
            if (!part.isEmpty() && !part.equals(NO_GENRES)) {
                out.add(canonical.of(part));
            }
            start = end + 1;
        }
        return out;
    }
}
