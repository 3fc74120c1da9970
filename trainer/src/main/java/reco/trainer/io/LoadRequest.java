package reco.trainer.io;

import java.nio.file.Path;

/**
 * What {@link DatasetLoader#load} should read.
 *
 * @param interactions an interactions file, or a MovieLens directory holding {@code ratings.csv}
 *     (latest) or {@code u.data} (100K)
 * @param items an items file, or null; for a MovieLens directory null means "the one beside the
 *     ratings" ({@code movies.csv} or {@code u.item}) when present
 * @param tags a tags file, or null; for a MovieLens latest directory null means its {@code tags.csv}
 *     when present
 * @param format the format of every file, or {@link InputFormat#AUTO} to detect per file
 * @param delimited options for files read as {@link InputFormat#DELIMITED}
 * @param strict stop at the first malformed row instead of counting it
 */
public record LoadRequest(Path interactions, Path items, Path tags, InputFormat format, DelimitedOptions delimited,
        boolean strict) {

    public LoadRequest {
        if (interactions == null) {
            throw new IllegalArgumentException("interactions: a file or directory is required");
        }
        if (format == null || delimited == null) {
            throw new IllegalArgumentException("format and delimited options must not be null");
        }
    }

    /** Reads {@code interactions} (file or directory) with format detection and default options. */
    public static LoadRequest of(Path interactions) {
        return new LoadRequest(interactions, null, null, InputFormat.AUTO, DelimitedOptions.DEFAULT, false);
    }

    public LoadRequest withItems(Path newItems) {
        return new LoadRequest(interactions, newItems, tags, format, delimited, strict);
    }

    public LoadRequest withTags(Path newTags) {
        return new LoadRequest(interactions, items, newTags, format, delimited, strict);
    }

    public LoadRequest withFormat(InputFormat newFormat) {
        return new LoadRequest(interactions, items, tags, newFormat, delimited, strict);
    }

    public LoadRequest withDelimited(DelimitedOptions newDelimited) {
        return new LoadRequest(interactions, items, tags, format, newDelimited, strict);
    }

    public LoadRequest withStrict(boolean newStrict) {
        return new LoadRequest(interactions, items, tags, format, delimited, newStrict);
    }
}
