package reco.model.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes one model file in a single streaming pass: declare every section with its exact element
 * count, then write the sections' contents in declaration order, then {@link #close()} writes the
 * checksummed footer and forces the file to disk.
 *
 * <pre>{@code
 * try (var w = ModelFileWriter.create(path, "reco.neighbors")) {
 *     w.declare("offsets", SectionType.INT64, n + 1).declare("items", SectionType.INT32, nnz);
 *     w.begin();
 *     w.putLongs(offsets); w.putInts(items);
 * }
 * }</pre>
 *
 * <p>The header's generation id is left empty: a file is written before its generation has a name
 * that readers will check, and {@link #stampGenerationId} fills it in at commit.
 */
public final class ModelFileWriter implements AutoCloseable {
    private record Section(String name, SectionType type, long count, long offset) {}

    private final Path path;
    private final String formatName;
    private final FileChannel channel;
    private final List<Section> sections = new ArrayList<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private long position; // bytes handed to the buffer so far
    private int current = -1; // index of the section being written
    private long writtenInCurrent; // elements written into the current section
    private long fileLength;
    private boolean begun;
    private boolean closed;

    private ModelFileWriter(Path path, String formatName) throws IOException {
        if (formatName.getBytes(StandardCharsets.UTF_8).length > ModelFileFormat.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("format name too long: " + formatName);
        }
        this.path = path;
        this.formatName = formatName;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    public static ModelFileWriter create(Path path, String formatName) throws IOException {
        return new ModelFileWriter(path, formatName);
    }

    /** Declares the next section; call before {@link #begin()}. */
    public ModelFileWriter declare(String name, SectionType type, long count) {
        if (begun) {
            throw new IllegalStateException("declare() after begin()");
        }
        if (count < 0) {
            throw new IllegalArgumentException("negative count for section " + name);
        }
        for (Section s : sections) {
            if (s.name.equals(name)) {
                throw new IllegalArgumentException("duplicate section " + name);
            }
        }
        sections.add(new Section(name, type, count, -1));
        return this;
    }

    /** Lays the file out, writes the header and positions at the first section. */
    public ModelFileWriter begin() throws IOException {
        if (begun) {
            throw new IllegalStateException("begin() twice");
        }
        begun = true;
        byte[] nameBytes = formatName.getBytes(StandardCharsets.UTF_8);
        long headerBytes = ModelFileFormat.fixedHeaderBytes(ModelFileFormat.CURRENT_VERSION) + 2 + nameBytes.length;
        for (Section s : sections) {
            headerBytes += 2 + s.name.getBytes(StandardCharsets.UTF_8).length + 1 + 8 + 8;
        }
        long offset = ModelFileFormat.align(headerBytes);
        List<Section> laidOut = new ArrayList<>(sections.size());
        for (Section s : sections) {
            laidOut.add(new Section(s.name, s.type, s.count, offset));
            offset = ModelFileFormat.align(offset + s.count * s.type.elementBytes);
        }
        sections.clear();
        sections.addAll(laidOut);
        fileLength = offset + ModelFileFormat.FOOTER_BYTES;

        putIntRaw(ModelFileFormat.MAGIC);
        putIntRaw(ModelFileFormat.CURRENT_VERSION);
        putLongRaw(fileLength);
        putIntRaw(sections.size());
        // the generation id field stays empty until the generation is committed (stampGenerationId)
        padTo(position + ModelFileFormat.GENERATION_ID_FIELD_BYTES);
        putShortString(nameBytes);
        for (Section s : sections) {
            putShortString(s.name.getBytes(StandardCharsets.UTF_8));
            ensure(1);
            buffer.put((byte) s.type.code);
            position++;
            putLongRaw(s.count);
            putLongRaw(s.offset);
        }
        nextSection();
        return this;
    }

    private void putShortString(byte[] bytes) throws IOException {
        ensure(2);
        buffer.putShort((short) bytes.length);
        position += 2;
        putRawBytes(bytes, 0, bytes.length);
    }

    /** Pads to the next declared section that still expects data; skips empty sections. */
    private void nextSection() throws IOException {
        current++;
        while (current < sections.size() && sections.get(current).count == 0) {
            current++;
        }
        writtenInCurrent = 0;
        long target = current < sections.size() ? sections.get(current).offset : fileLength - ModelFileFormat.FOOTER_BYTES;
        padTo(target);
    }

    private void padTo(long target) throws IOException {
        while (position < target) {
            ensure(1);
            buffer.put((byte) 0);
            position++;
        }
    }

    private void expect(SectionType type, long n) throws IOException {
        if (!begun) {
            throw new IllegalStateException("write before begin()");
        }
        if (n == 0) {
            return; // writing nothing is valid for any section, incl. empty ones nextSection() skipped
        }
        if (current >= sections.size()) {
            throw new IllegalStateException("all declared sections are complete; extra data");
        }
        Section s = sections.get(current);
        if (s.type != type) {
            throw new IllegalStateException("section " + s.name + " is " + s.type + ", not " + type);
        }
        if (writtenInCurrent + n > s.count) {
            throw new IllegalStateException("section " + s.name + " declared " + s.count + " elements, got more");
        }
    }

    private void advance(long n) throws IOException {
        if (n == 0) {
            return;
        }
        writtenInCurrent += n;
        if (writtenInCurrent == sections.get(current).count) {
            nextSection();
        }
    }

    public void putInt(int v) throws IOException {
        expect(SectionType.INT32, 1);
        putIntRaw(v);
        advance(1);
    }

    public void putLong(long v) throws IOException {
        expect(SectionType.INT64, 1);
        putLongRaw(v);
        advance(1);
    }

    public void putFloat(float v) throws IOException {
        expect(SectionType.FLOAT32, 1);
        ensure(4);
        buffer.putFloat(v);
        position += 4;
        advance(1);
    }

    public void putInts(int[] a) throws IOException {
        putInts(a, 0, a.length);
    }

    public void putInts(int[] a, int off, int len) throws IOException {
        expect(SectionType.INT32, len);
        for (int i = off; i < off + len; ) {
            ensure(4);
            int chunk = Math.min(off + len - i, buffer.remaining() / 4);
            buffer.asIntBuffer().put(a, i, chunk);
            buffer.position(buffer.position() + 4 * chunk);
            position += 4L * chunk;
            i += chunk;
        }
        advance(len);
    }

    public void putFloats(float[] a) throws IOException {
        putFloats(a, 0, a.length);
    }

    public void putFloats(float[] a, int off, int len) throws IOException {
        expect(SectionType.FLOAT32, len);
        for (int i = off; i < off + len; ) {
            ensure(4);
            int chunk = Math.min(off + len - i, buffer.remaining() / 4);
            buffer.asFloatBuffer().put(a, i, chunk);
            buffer.position(buffer.position() + 4 * chunk);
            position += 4L * chunk;
            i += chunk;
        }
        advance(len);
    }

    public void putLongs(long[] a) throws IOException {
        expect(SectionType.INT64, a.length);
        for (int i = 0; i < a.length; ) {
            ensure(8);
            int chunk = Math.min(a.length - i, buffer.remaining() / 8);
            buffer.asLongBuffer().put(a, i, chunk);
            buffer.position(buffer.position() + 8 * chunk);
            position += 8L * chunk;
            i += chunk;
        }
        advance(a.length);
    }

    public void putBytes(byte[] a, int off, int len) throws IOException {
        expect(SectionType.BYTES, len);
        putRawBytes(a, off, len);
        advance(len);
    }

    public void putBytes(byte[] a) throws IOException {
        putBytes(a, 0, a.length);
    }

    private void putRawBytes(byte[] a, int off, int len) throws IOException {
        for (int i = off; i < off + len; ) {
            ensure(1);
            int chunk = Math.min(off + len - i, buffer.remaining());
            buffer.put(a, i, chunk);
            position += chunk;
            i += chunk;
        }
    }

    private void putIntRaw(int v) throws IOException {
        ensure(4);
        buffer.putInt(v);
        position += 4;
    }

    private void putLongRaw(long v) throws IOException {
        ensure(8);
        buffer.putLong(v);
        position += 8;
    }

    private void ensure(long bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
    }

    private void flush() throws IOException {
        buffer.flip();
        crc.update(buffer.duplicate());
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            // e.g. "No space left on device", "File too large": say which file
            throw new IOException("cannot write " + path + ": " + e.getMessage(), e);
        }
        buffer.clear();
    }

    /**
     * Writes {@code generationId} into the header of a complete model file written by this class, seals
     * the footer again (CRC32C of every byte before it) and forces the file to disk. Reads the file
     * once, through the channel.
     *
     * @return the CRC32C of the whole stamped file, footer included (what the manifest lists)
     * @throws ModelFormatException when the file is not a complete model file of a version with the field
     */
    public static long stampGenerationId(Path file, String generationId) throws IOException {
        byte[] id = ModelFileFormat.generationIdBytes(generationId);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(ModelFileFormat.V1_FIXED_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
                // a regular file reads short only at its end
            }
            if (head.position() < head.capacity() || head.getInt(0) != ModelFileFormat.MAGIC
                    || head.getInt(4) < ModelFileFormat.GENERATION_ID_VERSION || head.getLong(8) != size
                    || size < ModelFileFormat.fixedHeaderBytes(head.getInt(4)) + ModelFileFormat.FOOTER_BYTES) {
                throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, file,
                        "not a complete model file with a generation id field; cannot stamp it");
            }
            ByteBuffer field = ByteBuffer.allocate(ModelFileFormat.GENERATION_ID_FIELD_BYTES);
            field.put((byte) id.length).put(id).clear();
            writeFully(ch, field, ModelFileFormat.GENERATION_ID_OFFSET);
            long bodyEnd = size - ModelFileFormat.FOOTER_BYTES;
            CRC32C crc = ModelFile.checksumUpTo(ch, bodyEnd, file);
            ByteBuffer footer = ByteBuffer.allocate(ModelFileFormat.FOOTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            footer.putInt(ModelFileFormat.FOOTER_MAGIC).putInt(0).putLong(crc.getValue()).flip();
            writeFully(ch, footer.duplicate(), bodyEnd);
            ch.force(true);
            crc.update(footer);
            return crc.getValue();
        }
    }

    /**
     * Refuses to write a model whose values are not all finite (a diverged training run): NaN or
     * infinity would be served as scores. {@code rowLength} only shapes the message (row, column).
     *
     * @throws ModelFormatException (CORRUPT) naming the first bad value, before anything is written
     */
    public static void requireFinite(Path file, String what, float[] values, int rowLength) throws ModelFormatException {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                String where = rowLength > 1 ? "row " + i / rowLength + ", column " + i % rowLength : "position " + i;
                throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, file, what + " " + values[i] + " at "
                        + where + ": a model holds finite values only; nothing was written (did training diverge?)");
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += ch.write(buffer, at);
        }
    }

    /** Checks every section is complete, writes the footer, forces data to disk and closes. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!begun) {
                throw new IllegalStateException("close() before begin(): " + path);
            }
            if (current < sections.size()) {
                Section s = sections.get(current);
                throw new IllegalStateException("section " + s.name + " of " + path + " incomplete: "
                        + writtenInCurrent + " of " + s.count + " elements");
            }
            flush();
            ByteBuffer footer = ByteBuffer.allocate(ModelFileFormat.FOOTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            footer.putInt(ModelFileFormat.FOOTER_MAGIC).putInt(0).putLong(crc.getValue()).flip();
            try {
                while (footer.hasRemaining()) {
                    channel.write(footer);
                }
                channel.force(true);
            } catch (IOException e) {
                throw new IOException("cannot write " + path + ": " + e.getMessage(), e);
            }
        } finally {
            channel.close();
        }
    }
}
