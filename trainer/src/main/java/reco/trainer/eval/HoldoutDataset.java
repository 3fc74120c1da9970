package reco.trainer.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The input of a holdout-v1 split, read exactly as split.py's {@code read_rows} does.
 *
 * @param file the file that was read
 * @param source how meta.json names it: {@code "movielens-100k u.data"}, {@code "movielens ratings.csv"}
 *     or {@code "train.tsv (<file name>)"}
 * @param kind explicit (ratings) or implicit
 * @param hasTimestamps true for MovieLens files; for a train.tsv, true when any timestamp field is not
 *     the text {@code "0"}
 * @param rows the non-blank lines in file order
 */
public record HoldoutDataset(Path file, String source, Kind kind, boolean hasTimestamps, List<RawRow> rows) {
    public static final String MOVIELENS_100K_FILE = "u.data";
    public static final String MOVIELENS_CSV_FILE = "ratings.csv";
    public static final String TRAIN_FILE = "train.tsv";
    public static final String META_FILE = "meta.json";
    private static final String CSV_HEADER_PREFIX = "userId,movieId,rating";

    public HoldoutDataset {
        rows = List.copyOf(rows);
    }

    /**
     * Reads a dataset folder (the first of u.data, ratings.csv, train.tsv found in it) or file. A file
     * named u.data or ratings.csv is MovieLens (explicit, with timestamps); any other file name is read as
     * a train.tsv ({@code user \t item \t weight \t timestamp}).
     *
     * @param kind for a train.tsv only (ignored for MovieLens, as in split.py): when present it wins;
     *     otherwise the kind recorded in meta.json beside the file; otherwise implicit
     * @throws EvalInputException for a missing file, a malformed line (file:line) or a bad meta.json
     */
    public static HoldoutDataset read(Path dataset, Optional<Kind> kind) throws IOException {
        Path file = dataset;
        if (Files.isDirectory(dataset)) {
            file = null;
            for (String name : List.of(MOVIELENS_100K_FILE, MOVIELENS_CSV_FILE, TRAIN_FILE)) {
                if (Files.exists(dataset.resolve(name))) {
                    file = dataset.resolve(name);
                    break;
                }
            }
            if (file == null) {
                throw new EvalInputException("no u.data, ratings.csv or train.tsv in " + dataset);
            }
        } else if (!Files.exists(dataset)) {
            throw new EvalInputException("no such dataset file or folder: " + dataset);
        }
        String name = file.getFileName().toString();
        List<TextFiles.Line> lines = TextFiles.nonBlankLines(file);
        switch (name) {
            case MOVIELENS_100K_FILE -> {
                return new HoldoutDataset(file, "movielens-100k u.data", Kind.EXPLICIT, true,
                        rows(file, lines, 0, '\t'));
            }
            case MOVIELENS_CSV_FILE -> {
                if (lines.isEmpty()) {
                    throw new EvalInputException(file + ": empty; expected a header " + CSV_HEADER_PREFIX + ",...");
                }
                TextFiles.Line header = lines.getFirst();
                if (!header.text().startsWith(CSV_HEADER_PREFIX)) {
                    throw EvalInputException.at(file, header.number(),
                            "expected a header starting with " + CSV_HEADER_PREFIX + ", got " + header.text());
                }
                return new HoldoutDataset(file, "movielens ratings.csv", Kind.EXPLICIT, true,
                        rows(file, lines, 1, ','));
            }
            default -> {
                List<RawRow> rows = rows(file, lines, 0, '\t');
                Kind resolved = kind.isPresent() ? kind.get() : kindFromMeta(file).orElse(Kind.IMPLICIT);
                boolean hasTimestamps = rows.stream().anyMatch(r -> !r.timestamp().equals("0"));
                return new HoldoutDataset(file, "train.tsv (" + name + ")", resolved, hasTimestamps, rows);
            }
        }
    }

    private static List<RawRow> rows(Path file, List<TextFiles.Line> lines, int skip, char separator)
            throws EvalInputException {
        List<RawRow> rows = new ArrayList<>(lines.size() - skip);
        for (TextFiles.Line line : lines.subList(skip, lines.size())) {
            String[] f = TextFiles.split(line.text(), separator);
            if (f.length != 4) {
                throw EvalInputException.at(file, line.number(), "expected 4 fields (user, item, weight, timestamp)"
                        + " separated by " + (separator == '\t' ? "tabs" : "'" + separator + "'") + ", got " + f.length);
            }
            rows.add(new RawRow(f[0], f[1], f[2], f[3], line.number()));
        }
        return rows;
    }

    /** The {@code "kind"} of meta.json in the folder of {@code file}, if that file exists; null kind = absent. */
    private static Optional<Kind> kindFromMeta(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Path meta = parent == null ? Path.of(META_FILE) : parent.resolve(META_FILE);
        if (!Files.exists(meta)) {
            return Optional.empty();
        }
        Object json;
        try {
            json = MiniJson.parse(Files.readString(meta, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new EvalInputException(meta + ": " + e.getMessage());
        }
        if (!(json instanceof Map<?, ?> map) || !map.containsKey("kind")) {
            throw new EvalInputException(meta + ": expected an object with a \"kind\" key");
        }
        Object kind = map.get("kind");
        if (kind == null) {
            return Optional.empty(); // split.py: `kind or "implicit"`
        }
        if (kind instanceof String s && (s.equals("explicit") || s.equals("implicit"))) {
            return Optional.of(Kind.parse(s));
        }
        throw new EvalInputException(meta + ": \"kind\" must be \"explicit\" or \"implicit\", got " + kind);
    }
}
