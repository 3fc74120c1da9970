package reco.trainer.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import reco.model.feedback.FeedbackEvent;
import reco.model.feedback.FeedbackLog;
import reco.trainer.data.Interactions;

/**
 * Reads the live feedback event log (what servers recorded through RecordInteractions) as interactions,
 * so that a generation trained with {@code --feedback DIR} holds everything recorded before its cut-off.
 */
public final class FeedbackLogReader {
    private FeedbackLogReader() {}

    /**
     * Takes the snapshot of feedback directory {@code dir} to read: its log's size and the cut-off time,
     * under the writers' lock. An {@link InputException} when the directory has no event log.
     */
    public static FeedbackLog.Snapshot snapshot(Path dir, LongSupplier clockMillis) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir, "no such feedback directory (the --feedback DIR of `reco serve`)");
        }
        try {
            return FeedbackLog.snapshot(dir, clockMillis);
        } catch (NoSuchFileException e) {
            throw new InputException(dir.resolve(FeedbackLog.FILE_NAME),
                    "no feedback event log: no server has recorded into this directory");
        }
    }

    /**
     * Appends the snapshot's events to {@code target}, in log order.
     *
     * @param unweighted the weight of an event recorded without one (a positive interaction: at least the
     *                   training's positive threshold)
     * @param strict     throw at the first malformed line instead of counting it
     */
    public static ReadReport read(FeedbackLog.Snapshot snapshot, float unweighted, boolean strict, Interactions target)
            throws IOException {
        Path path = snapshot.file();
        ReadReport.Builder report = new ReadReport.Builder(path, InputKind.INTERACTIONS, InputFormat.DELIMITED, strict);
        report.note("live feedback event log, read up to " + snapshot.sizeBytes() + " bytes (events recorded before "
                + java.time.Instant.ofEpochMilli(snapshot.cutoffMillis()) + ")");
        FeedbackLog.read(snapshot, new FeedbackLog.Visitor() {
            @Override
            public void event(long line, FeedbackEvent e) {
                report.read();
                target.add(e.userId(), e.itemId(), Float.isNaN(e.weight()) ? unweighted : e.weight(),
                        Math.floorDiv(e.eventTimeMillis(), 1000));
                report.kept();
            }

            @Override
            public void malformed(long line, String text, String reason) throws InputException {
                report.read();
                report.malformed(line, reason);
            }
        });
        return report.build(fingerprint(snapshot));
    }

    /** Size and CRC32C of the bytes read (servers may have appended more since). */
    private static FileFingerprint fingerprint(FeedbackLog.Snapshot snapshot) throws IOException {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        try (java.io.InputStream in = Files.newInputStream(snapshot.file())) {
            byte[] buffer = new byte[1 << 16];
            long left = snapshot.sizeBytes();
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                crc.update(buffer, 0, n);
                left -= n;
            }
        }
        return new FileFingerprint(snapshot.file(), snapshot.sizeBytes(), FileFingerprint.hex(crc.getValue()));
    }
}
