package reco.trainer.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Splits a delimited text file into records and fields without regular expressions or per-line
 * strings: bytes are read in large blocks and fields are addressed by offsets into the block, so the
 * caller only allocates for the fields it keeps. Records end at LF; a CR before it is dropped; a
 * UTF-8 byte order mark at the start of the file is skipped. Blank lines are skipped and counted.
 *
 * <p>With {@code quoted} set, fields follow RFC 4180: a field that starts with a double quote runs
 * to the matching quote, may contain delimiters and line breaks, and writes a quote as two quotes.
 * A quote inside an unquoted field is an ordinary character.
 *
 * <p>UTF-8 is checked per record (only records with bytes above 0x7f pay for it), so one bad record
 * is reported via {@link #problem()} with its line number and reading goes on. Latin-1 files need no
 * check. A NUL byte makes its record malformed. A file that starts with a UTF-16 or UTF-32 byte order
 * mark, or whose first block is largely NUL bytes (UTF-16 without a mark, or not text at all), is
 * refused as a whole with an {@link InputException} telling how to convert it. The CRC32C of every
 * byte read is kept for {@link #fingerprint()}.
 */
final class RecordReader implements Closeable {
    /** Records longer than this are taken as a sign of a wrong format (e.g. an unclosed quote). */
    static final int MAX_RECORD_BYTES = 64 << 20;
    private static final int BLOCK_BYTES = 1 << 21;

    private static final int FIELD_START = 0;
    private static final int UNQUOTED = 1;
    private static final int IN_QUOTES = 2;
    private static final int AFTER_QUOTE = 3;

    private final Path path;
    private final InputStream in;
    private final byte delimiter;
    private final boolean quoted;
    private final boolean latin1;
    private final CRC32C crc = new CRC32C();
    private long bytesRead;
    private byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    private boolean atFileStart = true;
    private long nextLine = 1;
    private long blankLines;

    private int recordStart;
    private int recordLength;
    private long line;
    private int fieldCount;
    private int[] starts = new int[8];
    private int[] ends = new int[8];
    private boolean[] escaped = new boolean[8];
    private boolean nonAscii;
    private String problem;

    private RecordReader(Path path, InputStream in, char delimiter, boolean quoted, boolean latin1, int blockBytes) {
        this.path = path;
        this.in = in;
        this.delimiter = (byte) delimiter;
        this.quoted = quoted;
        this.latin1 = latin1;
        this.buf = new byte[blockBytes];
    }

    /**
     * Opens {@code path}; a missing file, a directory or an unreadable file is an
     * {@link InputException}.
     *
     * @param latin1 decode as ISO-8859-1 instead of strict UTF-8
     */
    static RecordReader open(Path path, char delimiter, boolean quoted, boolean latin1) throws IOException {
        return open(path, delimiter, quoted, latin1, BLOCK_BYTES);
    }

    static RecordReader open(Path path, char delimiter, boolean quoted, boolean latin1, int blockBytes)
            throws IOException {
        if (Files.isDirectory(path)) {
            throw new InputException(path, "is a directory, expected a file");
        }
        try {
            return new RecordReader(path, Files.newInputStream(path), delimiter, quoted, latin1, blockBytes);
        } catch (NoSuchFileException e) {
            throw new InputException(path, "no such file");
        } catch (AccessDeniedException e) {
            throw new InputException(path, "permission denied");
        }
    }

    Path path() {
        return path;
    }

    /** Advances to the next non-blank record; false at end of file. */
    boolean next() throws IOException {
        for (;;) {
            if (pos >= limit && !fill(pos)) {
                return false;
            }
            if (atFileStart) {
                atFileStart = false;
                checkTextEncoding();
                if (limit - pos >= 3 && buf[pos] == (byte) 0xEF && buf[pos + 1] == (byte) 0xBB
                        && buf[pos + 2] == (byte) 0xBF) {
                    pos += 3;
                    continue;
                }
            }
            boolean hasContent = quoted ? scanQuoted() : scanPlain();
            if (hasContent) {
                return true;
            }
            blankLines++;
        }
    }

    /** Bytes at the start of the file that decide whether it is text at all. */
    private static final int ENCODING_SAMPLE_BYTES = 4096;

    /**
     * Refuses files that are not 8-bit text before any row is read: their rows would all be malformed
     * (or, worse, parse into ids full of NULs), and the fix is a conversion, not a row-by-row repair.
     */
    private void checkTextEncoding() throws InputException {
        int n = Math.min(limit - pos, ENCODING_SAMPLE_BYTES);
        String bom = n >= 4 && buf[pos] == 0 && buf[pos + 1] == 0 && buf[pos + 2] == (byte) 0xFE && buf[pos + 3] == (byte) 0xFF
                ? "UTF-32 (big-endian byte order mark)"
                : n >= 4 && buf[pos] == (byte) 0xFF && buf[pos + 1] == (byte) 0xFE && buf[pos + 2] == 0 && buf[pos + 3] == 0
                ? "UTF-32 (little-endian byte order mark)"
                : n >= 2 && buf[pos] == (byte) 0xFF && buf[pos + 1] == (byte) 0xFE ? "UTF-16 (little-endian byte order mark FF FE)"
                : n >= 2 && buf[pos] == (byte) 0xFE && buf[pos + 1] == (byte) 0xFF ? "UTF-16 (big-endian byte order mark FE FF)"
                : null;
        if (bom == null) {
            int nuls = 0;
            for (int i = pos; i < pos + n; i++) {
                if (buf[i] == 0) {
                    nuls++;
                }
            }
            // ASCII text in UTF-16 is every other byte NUL; one stray NUL is a malformed row, not this
            if (nuls * 8 >= n && nuls > 1) {
                bom = "UTF-16 without a byte order mark, or not text (" + nuls + " of its first " + n + " bytes are NUL)";
            }
        }
        if (bom != null) {
            throw new InputException(path, "looks like " + bom + "; reco reads UTF-8"
                    + (latin1 ? " or Latin-1" : "") + " text: convert it first, e.g. iconv -f UTF-16 -t UTF-8");
        }
    }

    private boolean scanPlain() throws IOException {
        final byte d = delimiter;
        int start = pos;
        int i = pos;
        int fields = 0;
        int fieldStart = 0;
        boolean high = false;
        boolean nul = false;
        boolean newline = false;
        for (;;) {
            if (i >= limit) {
                int shift = start;
                if (!fill(start)) {
                    break;
                }
                i -= shift;
                start = 0;
                continue;
            }
            byte b = buf[i];
            if (b == '\n') {
                newline = true;
                break;
            }
            if (b == d) {
                addField(fields++, fieldStart, i - start, false);
                fieldStart = i - start + 1;
            } else if (b <= 0) {
                high |= b < 0;
                nul |= b == 0;
            }
            i++;
        }
        pos = newline ? i + 1 : limit;
        int end = i - start;
        if (end > 0 && buf[start + end - 1] == '\r') {
            end--;
        }
        line = nextLine++;
        if (end == 0 && fields == 0) {
            return false;
        }
        addField(fields++, fieldStart, end, false);
        finishRecord(start, end, fields, high, nul ? NUL_BYTE : null);
        return true;
    }

    private static final String NUL_BYTE = "NUL byte in the row (a binary or UTF-16 file?)";

    @SuppressWarnings("fallthrough") // FIELD_START hands a non-quote byte on to UNQUOTED
    private boolean scanQuoted() throws IOException {
        final byte d = delimiter;
        int start = pos;
        int i = pos;
        int fields = 0;
        int fieldStart = 0;
        int quoteEnd = 0;
        boolean fieldEscaped = false;
        int state = FIELD_START;
        boolean high = false;
        boolean newline = false;
        int innerNewlines = 0;
        String trouble = null;
        scan:
        for (;;) {
            if (i >= limit) {
                int shift = start;
                if (!fill(start)) {
                    break;
                }
                i -= shift;
                start = 0;
                continue;
            }
            byte b = buf[i];
            if (b <= 0) {
                high |= b < 0;
                if (b == 0 && trouble == null) {
                    trouble = NUL_BYTE;
                }
            }
            int rel = i - start;
            switch (state) {
                case FIELD_START:
                    if (b == '"') {
                        state = IN_QUOTES;
                        fieldStart = rel + 1;
                        fieldEscaped = false;
                        break;
                    }
                    state = UNQUOTED;
                    // an unquoted field: handle this byte like any other in it
                case UNQUOTED:
                    if (b == '\n') {
                        newline = true;
                        break scan;
                    }
                    if (b == d) {
                        addField(fields++, fieldStart, rel, false);
                        fieldStart = rel + 1;
                        state = FIELD_START;
                    }
                    break;
                case IN_QUOTES:
                    if (b == '"') {
                        state = AFTER_QUOTE;
                        quoteEnd = rel;
                    } else if (b == '\n') {
                        innerNewlines++;
                    }
                    break;
                default: // AFTER_QUOTE
                    if (b == '"') {
                        state = IN_QUOTES;
                        fieldEscaped = true;
                    } else if (b == d) {
                        addField(fields++, fieldStart, quoteEnd, fieldEscaped);
                        fieldStart = rel + 1;
                        state = FIELD_START;
                    } else if (b == '\n') {
                        newline = true;
                        break scan;
                    } else if (b != '\r') {
                        if (trouble == null) {
                            trouble = "unexpected '" + (char) (b & 0xff) + "' after a closing quote";
                        }
                        state = UNQUOTED;
                        fieldStart--; // keep the field's bytes in view; the row is malformed anyway
                    }
                    break;
            }
            i++;
        }
        pos = newline ? i + 1 : limit;
        int end = i - start;
        if (end > 0 && buf[start + end - 1] == '\r' && state != IN_QUOTES) {
            end--;
        }
        line = nextLine;
        nextLine += 1 + innerNewlines;
        if (end == 0 && fields == 0) {
            return false;
        }
        switch (state) {
            case AFTER_QUOTE -> addField(fields++, fieldStart, quoteEnd, fieldEscaped);
            case IN_QUOTES -> {
                addField(fields++, fieldStart, end, fieldEscaped);
                trouble = "unterminated quoted field";
            }
            default -> addField(fields++, fieldStart, Math.max(fieldStart, end), false);
        }
        finishRecord(start, end, fields, high, trouble);
        return true;
    }

    private void finishRecord(int start, int length, int fields, boolean high, String trouble) {
        recordStart = start;
        recordLength = length;
        fieldCount = fields;
        nonAscii = high;
        if (trouble == null && high && !latin1 && !Utf8.isValid(buf, start, start + length)) {
            trouble = "invalid UTF-8";
        }
        problem = trouble;
    }

    private void addField(int index, int start, int end, boolean fieldEscaped) {
        if (index == starts.length) {
            int capacity = index * 2;
            starts = Arrays.copyOf(starts, capacity);
            ends = Arrays.copyOf(ends, capacity);
            escaped = Arrays.copyOf(escaped, capacity);
        }
        starts[index] = start;
        ends[index] = end;
        escaped[index] = fieldEscaped;
    }

    /**
     * Moves the bytes from {@code keepFrom} to the front of the buffer (growing it when a record
     * fills it) and reads until the buffer is full or the file ends. False when nothing was added.
     */
    private boolean fill(int keepFrom) throws IOException {
        if (eof) {
            return false;
        }
        int kept = limit - keepFrom;
        if (keepFrom > 0) {
            System.arraycopy(buf, keepFrom, buf, 0, kept);
        } else if (kept == buf.length) {
            if (kept >= MAX_RECORD_BYTES) {
                throw new InputException(path, nextLine, "a line longer than " + (MAX_RECORD_BYTES >> 20)
                        + " MiB; wrong format or an unclosed quote?");
            }
            buf = Arrays.copyOf(buf, Math.min(MAX_RECORD_BYTES + 1, buf.length * 2));
        }
        limit = kept;
        pos = 0;
        boolean added = false;
        while (limit < buf.length) {
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
                break;
            }
            crc.update(buf, limit, n);
            bytesRead += n;
            limit += n;
            added |= n > 0;
        }
        return added;
    }

    /** 1-based line on which the current record starts. */
    long line() {
        return line;
    }

    int fieldCount() {
        return fieldCount;
    }

    /** Why the current record cannot be used as a whole (bad encoding, broken quoting), or null. */
    String problem() {
        return problem;
    }

    long blankLines() {
        return blankLines;
    }

    boolean isEmpty(int field) {
        return starts[field] >= ends[field];
    }

    /** The field's text, unquoted, exactly as written otherwise (no trimming). */
    String text(int field) {
        int start = recordStart + starts[field];
        int length = ends[field] - starts[field];
        if (length <= 0) {
            return "";
        }
        String s = new String(buf, start, length,
                latin1 || !nonAscii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        return escaped[field] ? s.replace("\"\"", "\"") : s;
    }

    /** The whole record as text (for headers and messages). */
    String recordText() {
        return new String(buf, recordStart, recordLength,
                latin1 || !nonAscii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /** True when the field is exactly the single ASCII character {@code c}. */
    boolean isChar(int field, char c) {
        return ends[field] - starts[field] == 1 && buf[recordStart + starts[field]] == (byte) c;
    }

    /**
     * The field as a decimal integer (surrounding spaces allowed), or {@link Long#MIN_VALUE} when it
     * is not one.
     */
    long parseLong(int field) {
        int i = recordStart + starts[field];
        int end = recordStart + ends[field];
        while (i < end && buf[i] == ' ') {
            i++;
        }
        while (end > i && buf[end - 1] == ' ') {
            end--;
        }
        if (i == end) {
            return Long.MIN_VALUE;
        }
        boolean negative = false;
        if (buf[i] == '-' || buf[i] == '+') {
            negative = buf[i] == '-';
            i++;
        }
        int digits = end - i;
        if (digits == 0 || digits > 18) {
            return digits > 18 ? parseLongSlow(i - (negative ? 1 : 0), end) : Long.MIN_VALUE;
        }
        long value = 0;
        for (; i < end; i++) {
            int digit = buf[i] - '0';
            if (digit < 0 || digit > 9) {
                return Long.MIN_VALUE;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    private long parseLongSlow(int from, int to) {
        try {
            return Long.parseLong(new String(buf, from, to - from, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    private static final double[] POWERS_OF_TEN = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

    /**
     * The field as a float (surrounding spaces allowed), or NaN when it is not a number. Plain
     * decimals of up to 9 digits take a fast path; anything else (exponents, long fractions, "NaN")
     * goes through {@link Float#parseFloat}.
     */
    float parseFloat(int field) {
        int i = recordStart + starts[field];
        int end = recordStart + ends[field];
        while (i < end && buf[i] == ' ') {
            i++;
        }
        while (end > i && buf[end - 1] == ' ') {
            end--;
        }
        int from = i;
        if (i == end) {
            return Float.NaN;
        }
        boolean negative = false;
        if (buf[i] == '-' || buf[i] == '+') {
            negative = buf[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int fractionDigits = -1;
        for (; i < end; i++) {
            byte b = buf[i];
            if (b == '.' && fractionDigits < 0) {
                fractionDigits = 0;
                continue;
            }
            int digit = b - '0';
            if (digit < 0 || digit > 9 || digits == 9) {
                return parseFloatSlow(from, end);
            }
            mantissa = mantissa * 10 + digit;
            digits++;
            if (fractionDigits >= 0) {
                fractionDigits++;
            }
        }
        if (digits == 0) {
            return Float.NaN;
        }
        double value = fractionDigits > 0 ? mantissa / POWERS_OF_TEN[fractionDigits] : mantissa;
        return (float) (negative ? -value : value);
    }

    private float parseFloatSlow(int from, int to) {
        try {
            return Float.parseFloat(new String(buf, from, to - from, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
    }

    /** Hash of the field's bytes, for byte-level id interning. */
    int hashField(int field) {
        int h = 1;
        for (int i = recordStart + starts[field], end = recordStart + ends[field]; i < end; i++) {
            h = 31 * h + buf[i];
        }
        return h;
    }

    /** True when the field's raw bytes equal {@code bytes[from, from + length)}. */
    boolean fieldEquals(int field, byte[] bytes, int from, int length) {
        int start = recordStart + starts[field];
        return ends[field] - starts[field] == length
                && Arrays.equals(buf, start, start + length, bytes, from, from + length);
    }

    /** Whether the field must be decoded by {@link #text} (quoted with escapes) rather than taken raw. */
    boolean isRaw(int field) {
        return !escaped[field];
    }

    byte[] buffer() {
        return buf;
    }

    int fieldOffset(int field) {
        return recordStart + starts[field];
    }

    int fieldLength(int field) {
        return ends[field] - starts[field];
    }

    /** Bytes read from the file so far (parsing lags behind by at most one block). */
    long bytesRead() {
        return bytesRead;
    }

    /** The file's size and CRC32C; valid once {@link #next()} has returned false. */
    FileFingerprint fingerprint() {
        return new FileFingerprint(path, bytesRead, FileFingerprint.hex(crc.getValue()));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
