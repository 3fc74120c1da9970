package reco.trainer.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import reco.trainer.data.Interactions;
import reco.trainer.data.ItemMetadata;
import reco.trainer.progress.Progress;

/**
 * The trainer's single entry point for input: resolves a MovieLens directory into its files, reads
 * interactions first (so interacted items get the lowest item indexes), then items, then tags, and
 * returns the data with one {@link ReadReport} and {@link FileFingerprint} per file.
 */
public final class DatasetLoader {
    static final String ML_RATINGS = "ratings.csv";
    static final String ML_MOVIES = "movies.csv";
    static final String ML_TAGS = "tags.csv";
    static final String ML100K_DATA = "u.data";
    static final String ML100K_ITEMS = "u.item";

    private DatasetLoader() {}

    /**
     * Reads the dataset described by {@code request}.
     *
     * @throws InputException a missing or empty file, a directory that is no MovieLens dataset, an
     *     unusable layout, or (strict mode) a malformed row; the message is one line for the user
     * @throws IOException an I/O failure while reading
     */
    public static Dataset load(LoadRequest request) throws IOException {
        return load(request, Progress.Factory.NONE);
    }

    /**
     * As {@link #load(LoadRequest)}, reporting the interactions file's progress in bytes to
     * {@code progress} (one phase named {@code read FILENAME}).
     */
    public static Dataset load(LoadRequest request, Progress.Factory progress) throws IOException {
        return load(request, null, Float.NaN, progress);
    }

    /**
     * As {@link #load(LoadRequest, Progress.Factory)}, with the live feedback event log's snapshot read as
     * interactions right after the interactions file (so its items are interacted items too); events
     * recorded without a weight get {@code unweighted}. {@code feedback} null: no feedback.
     */
    public static Dataset load(LoadRequest request, reco.model.feedback.FeedbackLog.Snapshot feedback, float unweighted,
            Progress.Factory progress) throws IOException {
        Resolved files = resolve(request);
        Interactions interactions = new Interactions();
        ItemMetadata metadata = new ItemMetadata(interactions.items);
        DelimitedOptions options = request.delimited();
        List<ReadReport> reports = new ArrayList<>();

        reports.add(InteractionsReader.read(files.interactions, files.format, options, request.strict(), interactions,
                progress));
        if (feedback != null) {
            reports.add(FeedbackLogReader.read(feedback, unweighted, request.strict(), interactions));
        }
        int interactedItems = interactions.itemCount();
        if (files.items != null) {
            ItemsReader.read(files.items, files.format, options, request.strict(), metadata, reports);
        }
        if (files.tags != null) {
            InputFormat tagFormat = files.format == InputFormat.ML100K ? InputFormat.AUTO : files.format;
            reports.add(TagsReader.read(files.tags, tagFormat, options, request.strict(), metadata));
        }
        List<FileFingerprint> inputs = reports.stream().map(ReadReport::fingerprint).toList();
        return new Dataset(interactions, metadata, interactedItems, reports, inputs);
    }

    private record Resolved(Path interactions, Path items, Path tags, InputFormat format) {}

    private static Resolved resolve(LoadRequest request) throws InputException {
        Path path = request.interactions();
        if (!Files.isDirectory(path)) {
            if (!Files.exists(path)) {
                throw new InputException(path, "no such file or directory");
            }
            return new Resolved(path, request.items(), request.tags(), request.format());
        }
        Path ratings = path.resolve(ML_RATINGS);
        Path data = path.resolve(ML100K_DATA);
        if (Files.isRegularFile(ratings)) {
            return new Resolved(ratings, orBeside(request.items(), path.resolve(ML_MOVIES)),
                    orBeside(request.tags(), path.resolve(ML_TAGS)), request.format());
        }
        if (Files.isRegularFile(data)) {
            return new Resolved(data, orBeside(request.items(), path.resolve(ML100K_ITEMS)), request.tags(),
                    request.format());
        }
        throw new InputException(path, "directory holds neither " + ML_RATINGS + " (MovieLens latest) nor "
                + ML100K_DATA + " (MovieLens 100K); pass the interactions file itself");
    }

    private static Path orBeside(Path given, Path beside) {
        if (given != null) {
            return given;
        }
        return Files.isRegularFile(beside) ? beside : null;
    }
}
