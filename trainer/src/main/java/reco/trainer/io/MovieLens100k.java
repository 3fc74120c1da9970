package reco.trainer.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Layout facts of the MovieLens 100K files ({@code u.data}, {@code u.item}, {@code u.genre}). */
final class MovieLens100k {
    private MovieLens100k() {}

    /** Genre flag order of {@code u.item} when no {@code u.genre} file is beside it. */
    static final List<String> DEFAULT_GENRES = List.of("unknown", "Action", "Adventure", "Animation",
            "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical",
            "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western");

    /** The genre that marks "no genre known"; like MovieLens latest's "(no genres listed)" it yields none. */
    static final String UNKNOWN_GENRE = "unknown";

    /** Fields of {@code u.item} before the genre flags: id, title, release date, video release date, URL. */
    static final int FIELDS_BEFORE_GENRES = 5;

    static final String GENRE_FILE = "u.genre";

    /**
     * Reads {@code u.genre} ({@code name|index} lines, latin-1): genre names in flag order. Any
     * defect is fatal since every u.item row depends on it.
     */
    static List<String> readGenres(Path genreFile, List<ReadReport> reports) throws IOException {
        ReadReport.Builder report = new ReadReport.Builder(genreFile, InputKind.AUXILIARY, InputFormat.ML100K, true);
        List<String> names = new ArrayList<>();
        try (RecordReader reader = RecordReader.open(genreFile, '|', false, true)) {
            while (reader.next()) {
                report.read();
                long index = reader.fieldCount() == 2 ? reader.parseLong(1) : Long.MIN_VALUE;
                if (index != names.size() || reader.isEmpty(0)) {
                    throw new InputException(genreFile, reader.line(), "expected 'name|" + names.size()
                            + "', got '" + ReaderSupport.abbreviate(reader.recordText()) + "'");
                }
                names.add(reader.text(0));
                report.kept();
            }
            report.blankLines(reader.blankLines());
            report.requireRows();
            reports.add(report.build(reader.fingerprint()));
        }
        return names;
    }

    /** Genre names for {@code itemFile}: from {@code u.genre} beside it when present. */
    static List<String> genresFor(Path itemFile, List<ReadReport> reports) throws IOException {
        Path genreFile = itemFile.resolveSibling(GENRE_FILE);
        if (Files.isRegularFile(genreFile)) {
            return readGenres(genreFile, reports);
        }
        return DEFAULT_GENRES;
    }
}
