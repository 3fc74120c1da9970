package reco.trainer.io;

import static reco.trainer.io.DelimitedOptions.ABSENT;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import reco.trainer.data.Interactions;
import reco.trainer.progress.Progress;
import reco.trainer.io.DelimitedOptions.InteractionColumns;

/** Reads (user, item[, weight][, timestamp]) rows into {@link Interactions}. */
public final class InteractionsReader {
    /** Progress is updated every 2^16 rows: often enough for a bar, rare enough to cost nothing. */
    private static final long PROGRESS_ROW_MASK = (1 << 16) - 1;

    private InteractionsReader() {}

    /**
     * Appends the rows of {@code path} to {@code target}.
     *
     * @param format how to read the file; {@link InputFormat#AUTO} detects it
     * @param options used for {@link InputFormat#DELIMITED}
     * @param strict throw {@link InputException} at the first malformed row instead of counting it
     * @throws InputException missing or empty file, unusable layout, or a malformed row in strict mode
     */
    public static ReadReport read(Path path, InputFormat format, DelimitedOptions options, boolean strict,
            Interactions target) throws IOException {
        return read(path, format, options, strict, target, Progress.Factory.NONE);
    }

    /** As {@link #read(Path, InputFormat, DelimitedOptions, boolean, Interactions)}, showing progress in bytes. */
    public static ReadReport read(Path path, InputFormat format, DelimitedOptions options, boolean strict,
            Interactions target, Progress.Factory progress) throws IOException {
        if (format == InputFormat.AUTO) {
            format = InputFormat.detect(path, InputKind.INTERACTIONS, FirstLine.of(path));
        }
        return switch (format) {
            case MOVIELENS -> readMovieLens(path, strict, target, progress);
            case ML100K -> {
                DelimitedOptions ml100k = DelimitedOptions.DEFAULT.withHeader(HeaderMode.NO);
                yield readDelimited(path, InputFormat.ML100K, ml100k, strict, target, progress);
            }
            default -> readDelimited(path, InputFormat.DELIMITED, options, strict, target, progress);
        };
    }

    private static ReadReport readMovieLens(Path path, boolean strict, Interactions target, Progress.Factory progress)
            throws IOException {
        ReadReport.Builder report = new ReadReport.Builder(path, InputKind.INTERACTIONS, InputFormat.MOVIELENS, strict);
        try (RecordReader reader = RecordReader.open(path, ',', true, false)) {
            if (!reader.next()) {
                throw new InputException(path, "no data rows (empty file)");
            }
            int[] at = ReaderSupport.headerPositions(reader, "userId", "movieId", "rating", "timestamp");
            if (at[0] < 0 || at[1] < 0) {
                throw new InputException(path, 1, "expected a MovieLens header with userId and movieId, got '"
                        + ReaderSupport.abbreviate(reader.recordText()) + "'");
            }
            report.header(reader.recordText());
            int width = reader.fieldCount();
            if (!reader.next()) {
                throw new InputException(path, "no data rows after the header");
            }
            InteractionColumns columns = new InteractionColumns(at[0], at[1], at[2], at[3]);
            return readRows(reader, report, columns, width, new String[] {"rating", "timestamp"}, target, progress);
        }
    }

    private static ReadReport readDelimited(Path path, InputFormat format, DelimitedOptions options, boolean strict,
            Interactions target, Progress.Factory progress) throws IOException {
        ReadReport.Builder report = new ReadReport.Builder(path, InputKind.INTERACTIONS, format, strict);
        InteractionColumns columns = options.interactionColumns();
        try (RecordReader reader = RecordReader.open(path, options.delimiter(), options.quoted(), false)) {
            if (!reader.next()) {
                throw new InputException(path, "no data rows (empty file)");
            }
            int width = reader.fieldCount();
            ReaderSupport.requireColumns(reader, width, options.delimiter(), new String[] {"user", "item"},
                    new int[] {columns.user(), columns.item()});
            if (ReaderSupport.isHeader(reader, options.header(), columns.weight(), columns.timestamp())) {
                report.header(reader.recordText());
                if (options.header() == HeaderMode.AUTO) {
                    report.note("line 1 taken as a header");
                }
                if (!reader.next()) {
                    throw new InputException(path, "no data rows after the header");
                }
            }
            return readRows(reader, report, columns, width, new String[] {"weight", "timestamp"}, target, progress);
        }
    }

    private static ReadReport readRows(RecordReader reader, ReadReport.Builder report, InteractionColumns columns,
            int width, String[] optionalNames, Interactions target, Progress.Factory progressFactory)
            throws IOException {
        int userColumn = columns.user();
        int itemColumn = columns.item();
        int weightColumn = columns.weight() < width ? columns.weight() : ABSENT;
        int timestampColumn = columns.timestamp() < width ? columns.timestamp() : ABSENT;
        if (weightColumn == ABSENT) {
            report.note(ReaderSupport.absentNote(optionalNames[0], columns.weight(), width, "every weight is 1"));
        }
        if (timestampColumn == ABSENT) {
            report.note(ReaderSupport.absentNote(optionalNames[1], columns.timestamp(), width, "timestamps are 0"));
        }
        IdInterner users = new IdInterner(target.users);
        IdInterner items = new IdInterner(target.items);
        int firstRow = target.size();
        try (Progress progress = progressFactory.start("read " + reader.path().getFileName(),
                Files.size(reader.path()))) {
            long reportedBytes = 0;
            do {
                report.read();
                if ((report.rowsRead() & PROGRESS_ROW_MASK) == 0 && reader.bytesRead() > reportedBytes) {
                    progress.step(reader.bytesRead() - reportedBytes);
                    reportedBytes = reader.bytesRead();
                }
                String problem = reader.problem();
                if (problem == null && reader.fieldCount() != width) {
                    problem = "expected " + width + " fields, got " + reader.fieldCount();
                }
                float weight = Float.NaN;
                long timestamp = 0;
                if (problem == null) {
                    if ((problem = ReaderSupport.idProblem(reader, userColumn, "user id")) != null
                            || (problem = ReaderSupport.idProblem(reader, itemColumn, "item id")) != null) {
                        // reported below
                    } else if (weightColumn != ABSENT
                            && !Float.isFinite(weight = reader.parseFloat(weightColumn))) {
                        problem = "bad " + optionalNames[0] + " " + ReaderSupport.quote(reader, weightColumn);
                    } else if (timestampColumn != ABSENT
                            && (timestamp = ReaderSupport.timestamp(reader, timestampColumn)) == Long.MIN_VALUE) {
                        problem = "bad " + optionalNames[1] + " " + ReaderSupport.quote(reader, timestampColumn);
                    }
                }
                if (problem != null) {
                    report.malformed(reader.line(), problem);
                    continue;
                }
                target.add(users.intern(reader, userColumn), items.intern(reader, itemColumn), weight, timestamp);
                report.kept();
            } while (reader.next());
            progress.step(reader.bytesRead() - reportedBytes);
        }
        report.blankLines(reader.blankLines());
        report.requireRows();
        report.duplicates(countRepeatedPairs(target, firstRow));
        return report.build(reader.fingerprint());
    }

    /**
     * Rows from {@code firstRow} on whose (user, item) pair occurred in an earlier row. Linear: rows
     * are bucketed by user (counting sort), then each user's items are checked against a per-item
     * "last user seen" mark.
     */
    static long countRepeatedPairs(Interactions rows, int firstRow) {
        int n = rows.size() - firstRow;
        int userCount = rows.userCount();
        int[] userStart = new int[userCount + 1];
        for (int r = firstRow; r < rows.size(); r++) {
            userStart[rows.user(r) + 1]++;
        }
        for (int u = 0; u < userCount; u++) {
            userStart[u + 1] += userStart[u];
        }
        int[] fill = userStart.clone();
        int[] itemsByUser = new int[n];
        for (int r = firstRow; r < rows.size(); r++) {
            itemsByUser[fill[rows.user(r)]++] = rows.item(r);
        }
        int[] lastUser = new int[rows.itemCount()];
        java.util.Arrays.fill(lastUser, -1);
        long repeated = 0;
        for (int u = 0; u < userCount; u++) {
            for (int k = userStart[u]; k < userStart[u + 1]; k++) {
                int item = itemsByUser[k];
                if (lastUser[item] == u) {
                    repeated++;
                } else {
                    lastUser[item] = u;
                }
            }
        }
        return repeated;
    }
}
