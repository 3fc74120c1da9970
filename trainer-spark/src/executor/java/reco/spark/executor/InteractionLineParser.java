package reco.spark.executor;

import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of a delimited interaction log (with its 0-based position in the file) to a row of
 * {@code (kind, user, item, weight, timestamp, line, error)}: {@link #DATA} rows carry the parsed values,
 * {@link #HEADER} marks the header line, {@link #BLANK} an empty line, {@link #MALFORMED} rows carry the
 * 1-based line and why. Fields may be
 * quoted with '"' ("" inside quotes is one quote).
 */
public final class InteractionLineParser implements Function<Tuple2<String, Long>, Row> {
    private static final long serialVersionUID = 1L;
    public static final int DATA = 0;
    public static final int HEADER = 1;
    public static final int MALFORMED = 2;
    /** Empty lines are skipped, not malformed. */
    public static final int BLANK = 3;
    /** Columns marked absent. */
    public static final int ABSENT = -1;

    private final char delimiter;
    private final int userColumn;
    private final int itemColumn;
    private final int weightColumn;
    private final int timeColumn;
    private final boolean firstLineIsHeader;

    public InteractionLineParser(char delimiter, int userColumn, int itemColumn, int weightColumn, int timeColumn,
                                 boolean firstLineIsHeader) {
        this.delimiter = delimiter;
        this.userColumn = userColumn;
        this.itemColumn = itemColumn;
        this.weightColumn = weightColumn;
        this.timeColumn = timeColumn;
        this.firstLineIsHeader = firstLineIsHeader;
    }

    @Override
    public Row call(Tuple2<String, Long> lineAndIndex) {
        long line = lineAndIndex._2() + 1;
        if (firstLineIsHeader && line == 1) {
            return RowFactory.create(HEADER, null, null, null, null, line, null);
        }
        return parse(lineAndIndex._1(), line);
    }

    /** The row for one line; {@code line} is 1-based. */
    public Row parse(String text, long line) {
        String s = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        if (s.isBlank()) {
            return RowFactory.create(BLANK, null, null, null, null, line, null);
        }
        List<String> fields = split(s, delimiter);
        if (fields == null) {
            return malformed(line, "unterminated quote");
        }
        int needed = Math.max(Math.max(userColumn, itemColumn), Math.max(weightColumn, timeColumn)) + 1;
        if (fields.size() < needed) {
            return malformed(line, "expected at least " + needed + " fields separated by '" + printable(delimiter)
                    + "', found " + fields.size());
        }
        String user = fields.get(userColumn).trim();
        String item = fields.get(itemColumn).trim();
        if (user.isEmpty() || item.isEmpty()) {
            return malformed(line, user.isEmpty() ? "empty user id" : "empty item id");
        }
        float weight = 1f;
        if (weightColumn != ABSENT) {
            String w = fields.get(weightColumn).trim();
            try {
                weight = Float.parseFloat(w);
            } catch (NumberFormatException e) {
                return malformed(line, "weight '" + shorten(w) + "' is not a number");
            }
            if (!Float.isFinite(weight)) {
                return malformed(line, "weight '" + shorten(w) + "' is not finite");
            }
        }
        long timestamp = 0;
        if (timeColumn != ABSENT) {
            String t = fields.get(timeColumn).trim();
            try {
                timestamp = Long.parseLong(t);
            } catch (NumberFormatException e) {
                return malformed(line, "timestamp '" + shorten(t) + "' is not an integer (seconds since 1970)");
            }
        }
        return RowFactory.create(DATA, user, item, weight, timestamp, line, null);
    }

    private static Row malformed(long line, String why) {
        return RowFactory.create(MALFORMED, null, null, null, null, line, why);
    }

    /** Splits one line; null when a quote is not closed. */
    static List<String> split(String s, char delimiter) {
        List<String> out = new ArrayList<>(4);
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStart = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == delimiter) {
                out.add(field.toString());
                field.setLength(0);
                fieldStart = true;
                continue;
            } else if (c == '"' && fieldStart) {
                quoted = true;
            } else {
                field.append(c);
            }
            fieldStart = false;
        }
        if (quoted) {
            return null;
        }
        out.add(field.toString());
        return out;
    }

    private static String printable(char c) {
        return c == '\t' ? "\\t" : String.valueOf(c);
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
