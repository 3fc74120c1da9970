package reco.trainer.io;

import static reco.trainer.io.DelimitedOptions.ABSENT;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import reco.trainer.data.ItemMetadata;
import reco.trainer.io.DelimitedOptions.ItemColumns;

/** Reads item descriptions (id, title, categories, text) into {@link ItemMetadata}. */
public final class ItemsReader {
    private ItemsReader() {}

    /**
     * Describes the items of {@code path} in {@code target}; reports (one per file read, including a
     * {@code u.genre} beside a {@code u.item}) are appended to {@code reports}.
     *
     * @throws InputException missing or empty file, unusable layout, or a malformed row in strict mode
     */
    public static void read(Path path, InputFormat format, DelimitedOptions options, boolean strict,
            ItemMetadata target, List<ReadReport> reports) throws IOException {
        if (format == InputFormat.AUTO) {
            format = InputFormat.detect(path, InputKind.ITEMS, FirstLine.of(path));
        }
        switch (format) {
            case MOVIELENS -> reports.add(readMovieLens(path, strict, target));
            case ML100K -> {
                List<String> genres = MovieLens100k.genresFor(path, reports);
                reports.add(read100k(path, genres, strict, target));
            }
            default -> reports.add(readDelimited(path, options, strict, target));
        }
    }

    private static ReadReport readMovieLens(Path path, boolean strict, ItemMetadata target) throws IOException {
        ReadReport.Builder report = new ReadReport.Builder(path, InputKind.ITEMS, InputFormat.MOVIELENS, strict);
        try (RecordReader reader = RecordReader.open(path, ',', true, false)) {
            if (!reader.next()) {
                throw new InputException(path, "no data rows (empty file)");
            }
            int[] at = ReaderSupport.headerPositions(reader, "movieId", "title", "genres");
            if (at[0] < 0) {
                throw new InputException(path, 1, "expected a MovieLens header with movieId, got '"
                        + ReaderSupport.abbreviate(reader.recordText()) + "'");
            }
            report.header(reader.recordText());
            int width = reader.fieldCount();
            if (!reader.next()) {
                throw new InputException(path, "no data rows after the header");
            }
            return readRows(reader, report, new ItemColumns(at[0], at[1], at[2], ABSENT), width, target);
        }
    }

    private static ReadReport readDelimited(Path path, DelimitedOptions options, boolean strict, ItemMetadata target)
            throws IOException {
        ReadReport.Builder report = new ReadReport.Builder(path, InputKind.ITEMS, InputFormat.DELIMITED, strict);
        ItemColumns columns = options.itemColumns();
        try (RecordReader reader = RecordReader.open(path, options.delimiter(), options.quoted(), false)) {
            if (!reader.next()) {
                throw new InputException(path, "no data rows (empty file)");
            }
            int width = reader.fieldCount();
            ReaderSupport.requireColumns(reader, width, options.delimiter(), new String[] {"item id"},
                    new int[] {columns.id()});
            if (ReaderSupport.isHeader(reader, options.header())) {
                report.header(reader.recordText());
                if (options.header() == HeaderMode.AUTO) {
                    report.note("line 1 taken as a header");
                }
                if (!reader.next()) {
                    throw new InputException(path, "no data rows after the header");
                }
            }
            return readRows(reader, report, columns, width, target);
        }
    }

    private static ReadReport readRows(RecordReader reader, ReadReport.Builder report, ItemColumns columns,
            int width, ItemMetadata target) throws IOException {
        int titleColumn = columns.title() < width ? columns.title() : ABSENT;
        int categoriesColumn = columns.categories() < width ? columns.categories() : ABSENT;
        int textColumn = columns.text() < width ? columns.text() : ABSENT;
        if (titleColumn == ABSENT) {
            report.note(ReaderSupport.absentNote("title", columns.title(), width, "items have no title"));
        }
        if (categoriesColumn == ABSENT) {
            report.note(ReaderSupport.absentNote("categories", columns.categories(), width, "items have no categories"));
        }
        ReaderSupport.Canonical canonical = new ReaderSupport.Canonical();
        long repeated = 0;
        do {
            report.read();
            String problem = reader.problem();
            if (problem == null && reader.fieldCount() != width) {
                problem = "expected " + width + " fields, got " + reader.fieldCount();
            }
            if (problem == null) {
                problem = ReaderSupport.idProblem(reader, columns.id(), "item id");
            }
            if (problem != null) {
                report.malformed(reader.line(), problem);
                continue;
            }
            String id = reader.text(columns.id());
            String title = titleColumn == ABSENT || reader.isEmpty(titleColumn) ? null : reader.text(titleColumn);
            List<String> categories = categoriesColumn == ABSENT ? List.of()
                    : ReaderSupport.categories(reader.text(categoriesColumn), canonical);
            String text = textColumn == ABSENT || reader.isEmpty(textColumn) ? null : reader.text(textColumn);
            repeated += describe(target, id, title, categories, text);
            report.kept();
        } while (reader.next());
        report.duplicates(repeated);
        report.blankLines(reader.blankLines());
        report.requireRows();
        return report.build(reader.fingerprint());
    }

    /** Describes one item; returns 1 when it had been described before (the later row wins). */
    private static int describe(ItemMetadata target, String id, String title, List<String> categories, String text) {
        int existing = target.items.indexOf(id);
        int repeated = existing >= 0 && target.isDescribed(existing) ? 1 : 0;
        target.describe(id, title, categories, text);
        return repeated;
    }

    private static ReadReport read100k(Path path, List<String> genres, boolean strict, ItemMetadata target)
            throws IOException {
        ReadReport.Builder report = new ReadReport.Builder(path, InputKind.ITEMS, InputFormat.ML100K, strict);
        int width = MovieLens100k.FIELDS_BEFORE_GENRES + genres.size();
        long repeated = 0;
        try (RecordReader reader = RecordReader.open(path, '|', false, true)) {
            while (reader.next()) {
                report.read();
                String problem = reader.problem() != null ? reader.problem()
                        : reader.fieldCount() != width ? "expected " + width + " fields, got " + reader.fieldCount()
                        : ReaderSupport.idProblem(reader, 0, "item id");
                List<String> categories = new ArrayList<>(3);
                for (int g = 0; problem == null && g < genres.size(); g++) {
                    int field = MovieLens100k.FIELDS_BEFORE_GENRES + g;
                    if (reader.isChar(field, '1')) {
                        if (!genres.get(g).equals(MovieLens100k.UNKNOWN_GENRE)) {
                            categories.add(genres.get(g));
                        }
                    } else if (!reader.isChar(field, '0')) {
                        problem = "bad flag for genre " + genres.get(g) + " " + ReaderSupport.quote(reader, field);
                    }
                }
                if (problem != null) {
                    report.malformed(reader.line(), problem);
                    continue;
                }
                String title = reader.isEmpty(1) ? null : reader.text(1);
                repeated += describe(target, reader.text(0), title, categories, null);
                report.kept();
            }
            report.duplicates(repeated);
            report.blankLines(reader.blankLines());
            report.requireRows();
            return report.build(reader.fingerprint());
        }
    }
}
