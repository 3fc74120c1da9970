/**
 * The trainer's input readers: interaction logs, item metadata and tags in MovieLens (latest and
 * 100K) and generic delimited layouts, read into {@link reco.trainer.data.Interactions} and
 * {@link reco.trainer.data.ItemMetadata}.
 *
 * <p>Entry point: {@link reco.trainer.io.DatasetLoader#load(LoadRequest)}. It accepts a file or a
 * MovieLens directory, detects formats ({@link reco.trainer.io.InputFormat}) unless told, and
 * returns a {@link reco.trainer.io.Dataset} with one {@link reco.trainer.io.ReadReport} and
 * {@link reco.trainer.io.FileFingerprint} per file.
 *
 * <p>Contract for bad input: a malformed row is never dropped silently. It is counted and the
 * first few are kept as {@code path:line: reason} in the report; in strict mode the first one
 * throws {@link reco.trainer.io.InputException}. A missing or empty file, or a layout that cannot
 * fit, always throws it, with a one-line message for the user.
 *
 * <p>Speed: records are split on bytes ({@code RecordReader}, no regex, no
 * per-line strings), numbers parsed in place, and ids interned by their bytes
 * ({@code IdInterner}), so a String is made only for an id seen for the first time.
 */
package reco.trainer.io;
