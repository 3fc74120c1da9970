package reco.synth;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Formats rows as {@code user \t item \t weight \t timestamp\n} straight into a byte buffer: no
 * String or boxing per row, which is what makes 50M-row files cheap. Counts are written as integers
 * ({@code 3}), ratings with one decimal ({@code 4.5}, {@code 4.0}) like MovieLens.
 */
final class TsvRowWriter implements SyntheticInteractions.RowSink, AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 16;
    /** Longest row: two ints (10 digits), a rating or count (<= 11), a long (20), separators. */
    private static final int MAX_ROW_BYTES = 64;

    private final OutputStream out;
    private final boolean ratings;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int position;
    private long rows;

    TsvRowWriter(OutputStream out, SyntheticInteractions.WeightKind kind) {
        this.out = out;
        this.ratings = kind == SyntheticInteractions.WeightKind.RATINGS;
    }

    @Override
    public void accept(int user, int item, float weight, long timestamp) {
        if (position > BUFFER_BYTES - MAX_ROW_BYTES) {
            flushBuffer();
        }
        writeDecimal(user);
        buffer[position++] = '\t';
        writeDecimal(item);
        buffer[position++] = '\t';
        if (ratings) {
            int halfStars = Math.round(weight * 2);
            writeDecimal(halfStars >> 1);
            buffer[position++] = '.';
            buffer[position++] = (halfStars & 1) == 0 ? (byte) '0' : (byte) '5';
        } else {
            writeDecimal((long) weight);
        }
        buffer[position++] = '\t';
        writeDecimal(timestamp);
        buffer[position++] = '\n';
        rows++;
    }

    long rows() {
        return rows;
    }

    /** Non-negative values only (ids, counts, timestamps). */
    private void writeDecimal(long value) {
        if (value < 0) {
            throw new IllegalStateException("negative value in synthetic row: " + value);
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        int end = position + digits;
        for (int i = end - 1; i >= position; i--) {
            buffer[i] = (byte) ('0' + (value % 10));
            value /= 10;
        }
        position = end;
    }

    private void flushBuffer() {
        try {
            out.write(buffer, 0, position);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        position = 0;
    }

    @Override
    public void close() throws IOException {
        try {
            flushBuffer();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
