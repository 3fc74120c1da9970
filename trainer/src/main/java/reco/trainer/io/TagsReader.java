package reco.trainer.io;

import java.io.IOException;
import java.nio.file.Path;
import reco.trainer.data.ItemMetadata;
import reco.trainer.io.DelimitedOptions.TagColumns;

/** Reads tag applications (item, tag) into {@link ItemMetadata#addTag}; users and times are not kept. */
public final class TagsReader {
    private TagsReader() {}

    /**
     * Adds the tags of {@code path} to {@code target}.
     *
     * @throws InputException missing or empty file, unusable layout, or a malformed row in strict mode
     */
    public static ReadReport read(Path path, InputFormat format, DelimitedOptions options, boolean strict,
            ItemMetadata target) throws IOException {
        if (format == InputFormat.AUTO) {
            format = InputFormat.detect(path, InputKind.TAGS, FirstLine.of(path));
        }
        if (format == InputFormat.MOVIELENS) {
            return readMovieLens(path, strict, target);
        }
        return readDelimited(path, options, strict, target);
    }

    private static ReadReport readMovieLens(Path path, boolean strict, ItemMetadata target) throws IOException {
        ReadReport.Builder report = new ReadReport.Builder(path, InputKind.TAGS, InputFormat.MOVIELENS, strict);
        try (RecordReader reader = RecordReader.open(path, ',', true, false)) {
            if (!reader.next()) {
                throw new InputException(path, "no data rows (empty file)");
            }
            int[] at = ReaderSupport.headerPositions(reader, "movieId", "tag");
            if (at[0] < 0 || at[1] < 0) {
                throw new InputException(path, 1, "expected a MovieLens header with movieId and tag, got '"
                        + ReaderSupport.abbreviate(reader.recordText()) + "'");
            }
            report.header(reader.recordText());
            int width = reader.fieldCount();
            if (!reader.next()) {
                throw new InputException(path, "no data rows after the header");
            }
            return readRows(reader, report, new TagColumns(at[0], at[1]), width, target);
        }
    }

    private static ReadReport readDelimited(Path path, DelimitedOptions options, boolean strict, ItemMetadata target)
            throws IOException {
        ReadReport.Builder report = new ReadReport.Builder(path, InputKind.TAGS, InputFormat.DELIMITED, strict);
        try (RecordReader reader = RecordReader.open(path, options.delimiter(), options.quoted(), false)) {
            if (!reader.next()) {
                throw new InputException(path, "no data rows (empty file)");
            }
            int width = reader.fieldCount();
            TagColumns columns = options.tagColumns().forWidth(width);
            ReaderSupport.requireColumns(reader, width, options.delimiter(), new String[] {"item", "tag"},
                    new int[] {columns.item(), columns.tag()});
            if (ReaderSupport.isHeader(reader, options.header())) {
                report.header(reader.recordText());
                if (options.header() == HeaderMode.AUTO) {
                    report.note("line 1 taken as a header");
                }
                if (!reader.next()) {
                    throw new InputException(path, "no data rows after the header");
                }
            }
            if (options.tagColumns().isAuto()) {
                report.note("columns: item " + columns.item() + ", tag " + columns.tag() + " (from " + width
                        + " fields per row)");
            }
            return readRows(reader, report, columns, width, target);
        }
    }

    private static ReadReport readRows(RecordReader reader, ReadReport.Builder report, TagColumns columns, int width,
            ItemMetadata target) throws IOException {
        ReaderSupport.Canonical canonical = new ReaderSupport.Canonical();
        do {
            report.read();
            String problem = reader.problem();
            if (problem == null && reader.fieldCount() != width) {
                problem = "expected " + width + " fields, got " + reader.fieldCount();
            }
            if (problem == null) {
                problem = ReaderSupport.idProblem(reader, columns.item(), "item id");
            }
            if (problem == null && reader.isEmpty(columns.tag())) {
                problem = "empty tag";
            }
            if (problem != null) {
                report.malformed(reader.line(), problem);
                continue;
            }
            target.addTag(reader.text(columns.item()), canonical.of(reader.text(columns.tag())));
            report.kept();
        } while (reader.next());
        report.blankLines(reader.blankLines());
        report.requireRows();
        return report.build(reader.fingerprint());
    }
}
