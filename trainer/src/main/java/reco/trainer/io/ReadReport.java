package reco.trainer.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What reading one file produced. Every data row is either kept or counted as malformed; the first
 * {@value #MAX_EXAMPLES} malformed rows are kept as {@code path:line: reason} examples.
 *
 * @param path the file
 * @param kind what the file holds
 * @param format the format it was read as (never {@link InputFormat#AUTO})
 * @param header the header line as read, or null when the file has none
 * @param rowsRead data rows seen (header and blank lines excluded)
 * @param rowsKept rows that went into the dataset
 * @param malformed rows rejected as malformed ({@code rowsRead - rowsKept})
 * @param malformedExamples the first malformed rows, as {@code path:line: reason}
 * @param duplicates kept rows that repeat an earlier key: a (user, item) pair for interactions, an
 *     item id for item files (the later description wins); 0 for tags
 * @param blankLines empty lines skipped
 * @param notes how the file was interpreted when that was a guess (header detected, absent columns)
 * @param fingerprint size and CRC32C of the file as read, for the generation manifest
 */
public record ReadReport(
        Path path,
        InputKind kind,
        InputFormat format,
        String header,
        long rowsRead,
        long rowsKept,
        long malformed,
        List<String> malformedExamples,
        long duplicates,
        long blankLines,
        List<String> notes,
        FileFingerprint fingerprint) {

    public static final int MAX_EXAMPLES = 5;

    public ReadReport {
        malformedExamples = List.copyOf(malformedExamples);
        notes = List.copyOf(notes);
    }

    /** One line for logs, e.g. {@code ratings.csv: 100836 rows, 100836 kept, 0 malformed}. */
    public String summary() {
        StringBuilder s = new StringBuilder()
                .append(path).append(" (").append(kind.name().toLowerCase(java.util.Locale.ROOT))
                .append(", ").append(format.cliName()).append("): ")
                .append(rowsRead).append(" rows, ").append(rowsKept).append(" kept, ")
                .append(malformed).append(" malformed");
        if (duplicates > 0) {
            s.append(", ").append(duplicates).append(kind == InputKind.INTERACTIONS
                    ? " duplicate (user, item) rows" : " duplicate ids");
        }
        if (blankLines > 0) {
            s.append(", ").append(blankLines).append(" blank lines");
        }
        return s.toString();
    }

    /** Accumulates a report while a reader runs; enforces strict mode. */
    static final class Builder {
        private final Path path;
        private final InputKind kind;
        private final InputFormat format;
        private final boolean strict;
        private String header;
        private long rowsRead;
        private long rowsKept;
        private long malformed;
        private long duplicates;
        private long blankLines;
        private final List<String> examples = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        Builder(Path path, InputKind kind, InputFormat format, boolean strict) {
            this.path = path;
            this.kind = kind;
            this.format = format;
            this.strict = strict;
        }

        void header(String line) {
            header = line;
        }

        void note(String note) {
            notes.add(note);
        }

        void read() {
            rowsRead++;
        }

        void kept() {
            rowsKept++;
        }

        void duplicates(long n) {
            duplicates += n;
        }

        void blankLines(long n) {
            blankLines = n;
        }

        /** Counts a malformed row; in strict mode throws instead. */
        void malformed(long line, String reason) throws InputException {
            if (strict) {
                throw new InputException(path, line, reason + " (strict mode stops at the first malformed row)");
            }
            malformed++;
            if (examples.size() < MAX_EXAMPLES) {
                examples.add(InputException.location(path, line) + ": " + reason);
            }
        }

        long rowsRead() {
            return rowsRead;
        }

        long rowsKept() {
            return rowsKept;
        }

        ReadReport build(FileFingerprint fingerprint) {
            return new ReadReport(path, kind, format, header, rowsRead, rowsKept, malformed, examples,
                    duplicates, blankLines, notes, fingerprint);
        }

        /** Fails when nothing usable was read. */
        void requireRows() throws InputException {
            if (rowsRead == 0) {
                throw new InputException(path, "no data rows" + (header != null ? " after the header" : " (empty file)"));
            }
            if (rowsKept == 0) {
                throw new InputException(path, "all " + rowsRead + " rows are malformed; first: "
                        + examples.getFirst());
            }
        }
    }
}
