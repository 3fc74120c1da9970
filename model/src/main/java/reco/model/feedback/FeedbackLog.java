package reco.model.feedback;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The append-only event log of live feedback ({@value #FILE_NAME} in the feedback directory): every
 * recorded interaction, one line each, read back by the trainer ({@code reco train --feedback DIR}) as
 * training input, so nothing recorded is lost between trainings.
 *
 * <p>Line format (UTF-8, tab-separated, {@code \n}-terminated): {@code recordedAtMillis user item weight
 * eventTimeMillis}; weight is empty when the caller gave none. Ids never hold tabs or line breaks (the
 * API refuses them).
 *
 * <p>Several server processes on one host may append to the same log: each batch is stamped and
 * written under an exclusive {@link FileLock} (plus a lock within the JVM, since file locks are
 * per process), so lines never interleave and recorded-at times never decrease along the file as long
 * as the host clock does not step back. {@link #snapshot} takes the same lock: every event stamped
 * before the snapshot's cut-off lies within its size. Writes are not forced to disk per call (that
 * would cost a disk flush per request); {@link #force} does it and the server calls it periodically,
 * so a process crash loses nothing and a power loss at most the last interval.
 */
public final class FeedbackLog implements AutoCloseable {
    public static final String FILE_NAME = "events.log";
    /**
     * Manifest parameter of a generation trained with the log: the snapshot's cut-off (unix milliseconds).
     * Every event recorded before it is in the generation, so servers retire those events from their store.
     */
    public static final String CUTOFF_PARAMETER = "feedbackCutoffMillis";

    private final Path file;
    private final FileChannel channel;
    private final ReentrantLock jvmLock = new ReentrantLock();

    private FeedbackLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens (creating) the log of feedback directory {@code dir}; a line torn by a crash is terminated first. */
    public static FeedbackLog open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        FeedbackLog log = new FeedbackLog(file, channel);
        try (FileLock ignored = channel.lock()) {
            long size = channel.size();
            if (size > 0) {
                ByteBuffer last = ByteBuffer.allocate(1);
                try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
                    reader.read(last, size - 1);
                }
                if (last.get(0) != '\n') {
                    // a writer died mid-line: end that line so the next batch starts on its own (the torn
                    // line is reported as malformed, with its line number, when the trainer reads it)
                    channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
                }
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return log;
    }

    public Path file() {
        return file;
    }

    /**
     * Stamps {@code events} with the clock's time, read under the lock, and appends them in order.
     *
     * @return the events as stamped
     */
    public List<FeedbackEvent> append(List<FeedbackEvent> events, LongSupplier clockMillis) throws IOException {
        List<FeedbackEvent> stamped = new ArrayList<>(events.size());
        jvmLock.lock();
        try (FileLock ignored = channel.lock()) {
            long now = clockMillis.getAsLong();
            StringBuilder text = new StringBuilder(events.size() * 48);
            for (FeedbackEvent e : events) {
                FeedbackEvent s = e.recordedAt(now);
                stamped.add(s);
                format(s, text);
            }
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } finally {
            jvmLock.unlock();
        }
        return stamped;
    }

    /** Flushes appended lines to the storage device. */
    public void force() throws IOException {
        channel.force(false);
    }

    public long sizeBytes() throws IOException {
        return channel.size();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    static void format(FeedbackEvent e, StringBuilder out) {
        out.append(e.recordedAtMillis()).append('\t').append(e.userId()).append('\t').append(e.itemId()).append('\t');
        if (!Float.isNaN(e.weight())) {
            out.append(Float.toString(e.weight()));
        }
        out.append('\t').append(e.eventTimeMillis()).append('\n');
    }

    // ---------------------------------------------------------------- reading (the trainer)

    /**
     * What a reader may consume: the log's first {@code sizeBytes} bytes hold every event stamped before
     * {@code cutoffMillis}.
     */
    public record Snapshot(Path file, long sizeBytes, long cutoffMillis) {}

    /**
     * Takes a snapshot of the log in feedback directory {@code dir} under the writers' lock: its size and
     * the current time. Fails with {@link java.nio.file.NoSuchFileException} when there is no log.
     */
    public static Snapshot snapshot(Path dir, LongSupplier clockMillis) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             FileLock ignored = channel.lock(0, Long.MAX_VALUE, true)) {
            return new Snapshot(file, channel.size(), clockMillis.getAsLong());
        }
    }

    /** Receives the log's lines: an event, or a malformed line with its reason. */
    public interface Visitor {
        void event(long line, FeedbackEvent event) throws IOException;

        void malformed(long line, String text, String reason) throws IOException;
    }

    /** Reads the complete lines of the snapshot's first {@code sizeBytes} bytes, in order. */
    public static void read(Snapshot snapshot, Visitor visitor) throws IOException {
        try (FileChannel channel = FileChannel.open(snapshot.file(), StandardOpenOption.READ);
             BufferedReader reader = new BufferedReader(new InputStreamReader(
                     Channels.newInputStream(new BoundedChannel(channel, snapshot.sizeBytes())),
                     StandardCharsets.UTF_8.newDecoder()), 1 << 16)) {
            String text;
            long line = 0;
            while ((text = reader.readLine()) != null) {
                line++;
                if (text.isEmpty()) {
                    continue; // the terminator written after a torn line's recovery, or a blank line
                }
                FeedbackEvent event;
                try {
                    event = parse(text);
                } catch (IllegalArgumentException e) {
                    visitor.malformed(line, text, e.getMessage());
                    continue;
                }
                visitor.event(line, event);
            }
        }
    }

    /** Parses one log line; IllegalArgumentException says what is wrong. */
    static FeedbackEvent parse(String text) {
        String[] f = text.split("\t", -1);
        if (f.length != 5) {
            throw new IllegalArgumentException("expected 5 tab-separated fields (recordedAt, user, item, weight, "
                    + "eventTime), got " + f.length);
        }
        long recordedAt = parseLong(f[0], "recordedAt");
        if (f[1].isEmpty() || f[2].isEmpty()) {
            throw new IllegalArgumentException("empty " + (f[1].isEmpty() ? "user" : "item") + " id");
        }
        float weight = Float.NaN;
        if (!f[3].isEmpty()) {
            try {
                weight = Float.parseFloat(f[3]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("weight '" + f[3] + "' is not a number");
            }
            if (!Float.isFinite(weight)) {
                throw new IllegalArgumentException("weight " + f[3] + " is not finite");
            }
        }
        return new FeedbackEvent(f[1], f[2], weight, parseLong(f[4], "eventTime"), recordedAt);
    }

    private static long parseLong(String s, String field) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " '" + s + "' is not a whole number of milliseconds");
        }
    }

    /** A read-only view of a channel's first {@code limit} bytes (a log may grow while it is read). */
    private static final class BoundedChannel implements java.nio.channels.ReadableByteChannel {
        private final FileChannel channel;
        private final long limit;
        private long position;

        BoundedChannel(FileChannel channel, long limit) {
            this.channel = channel;
            this.limit = limit;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            long left = limit - position;
            if (left <= 0) {
                return -1;
            }
            ByteBuffer slice = dst.remaining() > left ? dst.slice().limit((int) left) : dst;
            int n = channel.read(slice, position);
            if (n > 0) {
                position += n;
                if (slice != dst) {
                    dst.position(dst.position() + n);
                }
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() {
            // the caller closes the channel
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FeedbackLog[%s]", file);
    }
}
