package reco.model.format;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

import static reco.model.format.ModelFormatException.Kind.CORRUPT;
import static reco.model.format.ModelFormatException.Kind.MISSING;
import static reco.model.format.ModelFormatException.Kind.TOO_NEW;
import static reco.model.format.ModelFormatException.Kind.TOO_OLD;
import static reco.model.format.ModelFormatException.Kind.TRUNCATED;

/**
 * A validated, memory-mapped model file (see {@link ModelFileFormat}). The mapping lives as long as
 * the {@link Arena} it was opened in; files over 2 GiB are fine ({@code java.lang.foreign}).
 */
public final class ModelFile {
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    // header fields sit at arbitrary offsets
    private static final ValueLayout.OfShort HEADER_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong HEADER_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** One named section: its type, element count and the mapped bytes. */
    public record Section(String name, SectionType type, long count, MemorySegment segment) {}

    private final Path path;
    private final String formatName;
    private final int version;
    private final String generationId;
    private final long checksum;
    private final long fileChecksum;
    private final Map<String, Section> sections;

    private ModelFile(Path path, String formatName, int version, String generationId, long checksum, long fileChecksum,
                      Map<String, Section> sections) {
        this.path = path;
        this.formatName = formatName;
        this.version = version;
        this.generationId = generationId;
        this.checksum = checksum;
        this.fileChecksum = fileChecksum;
        this.sections = sections;
    }

    /**
     * Maps and validates a model file: magic, format name, version range, declared length, section
     * table bounds, footer and (when {@code verifyChecksum}) the CRC32C of the whole file.
     *
     * <p>Checksums are computed from reads through the file channel, never from the mapping: a file
     * truncated while it is being checked then reads short (TRUNCATED) instead of faulting inside the
     * JVM's CRC32C intrinsic, a fault the JVM cannot turn into an exception (it aborts).
     *
     * @throws ModelFormatException with a {@link ModelFormatException.Kind} telling what is wrong
     */
    public static ModelFile open(Path path, String expectedFormat, Arena arena, boolean verifyChecksum)
            throws IOException {
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            // never open a FIFO or a device: the open itself may block for ever
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new ModelFormatException(CORRUPT, path, "not a regular file");
            }
            throw new ModelFormatException(MISSING, path, "no such file");
        }
        MemorySegment file;
        long[] checksums = null;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < ModelFileFormat.V1_FIXED_HEADER_BYTES + ModelFileFormat.FOOTER_BYTES) {
                throw new ModelFormatException(TRUNCATED, path, "only " + size + " bytes");
            }
            if (verifyChecksum) {
                checksums = checksums(ch, size, path);
            }
            file = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(MISSING, path, "no such file");
        }
        long size = file.byteSize();
        int magic = file.get(INT, 0);
        if (magic != ModelFileFormat.MAGIC) {
            throw new ModelFormatException(CORRUPT, path, String.format(
                    "bad magic 0x%08x, expected 0x%08x (not a reco model file)", magic, ModelFileFormat.MAGIC));
        }
        int version = file.get(INT, 4);
        if (version < ModelFileFormat.MIN_SUPPORTED_VERSION) {
            throw new ModelFormatException(TOO_OLD, path, "format version " + version + ", this reader supports "
                    + ModelFileFormat.MIN_SUPPORTED_VERSION + ".." + ModelFileFormat.CURRENT_VERSION
                    + "; retrain with this trainer");
        }
        if (version > ModelFileFormat.CURRENT_VERSION) {
            throw new ModelFormatException(TOO_NEW, path, "format version " + version + ", this reader supports "
                    + ModelFileFormat.MIN_SUPPORTED_VERSION + ".." + ModelFileFormat.CURRENT_VERSION
                    + "; upgrade the server");
        }
        long declared = file.get(LONG, 8);
        if (size < declared) {
            throw new ModelFormatException(TRUNCATED, path, size + " bytes, header declares " + declared);
        }
        if (size > declared) {
            throw new ModelFormatException(CORRUPT, path, size + " bytes, header declares " + declared);
        }
        int fixedHeader = ModelFileFormat.fixedHeaderBytes(version);
        if (size < fixedHeader + ModelFileFormat.FOOTER_BYTES) {
            throw new ModelFormatException(CORRUPT, path, "only " + size + " bytes, less than a version "
                    + version + " header and footer");
        }
        long footerAt = size - ModelFileFormat.FOOTER_BYTES;
        int footerMagic = file.get(INT, footerAt);
        if (footerMagic != ModelFileFormat.FOOTER_MAGIC || file.get(INT, footerAt + 4) != 0) {
            throw new ModelFormatException(CORRUPT, path, "footer missing or damaged");
        }
        long storedCrc = file.get(LONG, footerAt + 8);
        if (checksums != null && checksums[0] != storedCrc) {
            throw new ModelFormatException(CORRUPT, path, String.format(
                    "checksum mismatch: stored CRC32C %08x, computed %08x", storedCrc, checksums[0]));
        }
        String generationId = version >= ModelFileFormat.GENERATION_ID_VERSION ? readGenerationId(file, path) : null;
        int sectionCount = file.get(INT, 16);
        long pos = fixedHeader;
        String[] name = new String[1];
        pos = readName(file, pos, footerAt, path, name);
        String formatName = name[0];
        if (!formatName.equals(expectedFormat)) {
            throw new ModelFormatException(CORRUPT, path, "holds '" + formatName + "', expected '" + expectedFormat + "'");
        }
        if (sectionCount < 0 || sectionCount > 10_000) {
            throw new ModelFormatException(CORRUPT, path, "implausible section count " + sectionCount);
        }
        Map<String, Section> sections = new LinkedHashMap<>();
        for (int s = 0; s < sectionCount; s++) {
            pos = readName(file, pos, footerAt, path, name);
            if (pos + 17 > footerAt) {
                throw new ModelFormatException(CORRUPT, path, "section table runs past the footer");
            }
            SectionType type = SectionType.of(file.get(BYTE, pos));
            long count = file.get(HEADER_LONG, pos + 1);
            long offset = file.get(HEADER_LONG, pos + 9);
            pos += 17;
            if (type == null) {
                throw new ModelFormatException(CORRUPT, path, "section " + name[0] + " has an unknown type");
            }
            if (count < 0 || offset < 0 || offset > footerAt || offset % ModelFileFormat.ALIGNMENT != 0
                    || count > (footerAt - offset) / type.elementBytes) {
                throw new ModelFormatException(CORRUPT, path, "section " + name[0] + " lies outside the file");
            }
            sections.put(name[0], new Section(name[0], type, count, file.asSlice(offset, count * type.elementBytes)));
        }
        return new ModelFile(path, formatName, version, generationId, storedCrc, checksums == null ? -1 : checksums[1],
                sections);
    }

    /** The generation id field of a version-2 header: "" when the file was never stamped. */
    private static String readGenerationId(MemorySegment file, Path path) throws ModelFormatException {
        int length = Byte.toUnsignedInt(file.get(BYTE, ModelFileFormat.GENERATION_ID_OFFSET));
        if (length > ModelFileFormat.MAX_GENERATION_ID_BYTES) {
            throw new ModelFormatException(CORRUPT, path, "bad generation id length " + length + " in header");
        }
        byte[] bytes = file.asSlice(ModelFileFormat.GENERATION_ID_OFFSET + 1, length).toArray(BYTE);
        for (byte b : bytes) {
            if (b <= 0x20 || b >= 0x7f) {
                throw new ModelFormatException(CORRUPT, path, "generation id in header is not printable ASCII");
            }
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static long readName(MemorySegment file, long pos, long limit, Path path, String[] out)
            throws ModelFormatException {
        if (pos + 2 > limit) {
            throw new ModelFormatException(CORRUPT, path, "header runs past the footer");
        }
        int len = Short.toUnsignedInt(file.get(HEADER_SHORT, pos));
        if (len > ModelFileFormat.MAX_NAME_BYTES || pos + 2 + len > limit) {
            throw new ModelFormatException(CORRUPT, path, "bad name length " + len + " in header");
        }
        byte[] bytes = file.asSlice(pos + 2, len).toArray(BYTE);
        try {
            out[0] = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(CORRUPT, path, "header name is not UTF-8");
        }
        return pos + 2 + len;
    }

    /**
     * Reads the whole file through {@code channel}: {CRC32C of every byte before the footer, CRC32C of
     * the whole file} (the first is what the footer stores, the second what the manifest lists).
     */
    static long[] checksums(FileChannel channel, long size, Path path) throws IOException {
        CRC32C crc = checksumUpTo(channel, size - ModelFileFormat.FOOTER_BYTES, path);
        long body = crc.getValue();
        CRC32C whole = checksumRange(channel, crc, size - ModelFileFormat.FOOTER_BYTES, size, path);
        return new long[] {body, whole.getValue()};
    }

    /** The CRC32C of the file's first {@code length} bytes, read through {@code channel}. */
    static CRC32C checksumUpTo(FileChannel channel, long length, Path path) throws IOException {
        return checksumRange(channel, new CRC32C(), 0, length, path);
    }

    private static CRC32C checksumRange(FileChannel channel, CRC32C crc, long from, long to, Path path)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(1 << 20, Math.max(1, to - from)));
        long pos = from;
        while (pos < to) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), to - pos));
            int n = channel.read(buffer, pos);
            if (n < 0) {
                throw new ModelFormatException(TRUNCATED, path, "ended at byte " + pos + " while being read, "
                        + to + " expected (changed by another process?)");
            }
            buffer.flip();
            crc.update(buffer);
            pos += n;
        }
        return crc;
    }

    /** True when {@code path} is a regular file that starts with the magic number and a version with a generation id. */
    public static boolean carriesGenerationId(Path path) throws IOException {
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining() && ch.read(head) > 0) {
                // a regular file reads short only at its end
            }
            return head.position() == 8 && head.getInt(0) == ModelFileFormat.MAGIC
                    && head.getInt(4) >= ModelFileFormat.GENERATION_ID_VERSION;
        }
    }

    public Path path() { return path; }
    public String formatName() { return formatName; }
    public int version() { return version; }
    /** The CRC32C stored in the footer. */
    public long checksum() { return checksum; }
    /**
     * The id of the generation the file was stamped for; "" when it never was (a file written outside
     * a generation), null for a version-1 file (whose header has no such field).
     */
    public String generationId() { return generationId; }
    /** CRC32C of all the file's bytes, footer included (what a manifest lists); -1 when not verified. */
    public long fileChecksum() { return fileChecksum; }

    public boolean has(String section) {
        return sections.containsKey(section);
    }

    /** The named section, which must have the given type. */
    public Section section(String name, SectionType type) throws ModelFormatException {
        Section s = sections.get(name);
        if (s == null) {
            throw new ModelFormatException(CORRUPT, path, "missing section '" + name + "'");
        }
        if (s.type() != type) {
            throw new ModelFormatException(CORRUPT, path, "section '" + name + "' is " + s.type() + ", expected " + type);
        }
        return s;
    }

    /** The named section, checked to hold exactly {@code count} elements. */
    public Section section(String name, SectionType type, long count) throws ModelFormatException {
        Section s = section(name, type);
        if (s.count() != count) {
            throw new ModelFormatException(CORRUPT, path, "section '" + name + "' holds " + s.count()
                    + " elements, expected " + count);
        }
        return s;
    }

    private static final int CHECK_CHUNK = 1 << 14;

    /**
     * Checks that every int of {@code segment} lies in [min, maxExclusive). Copies chunks to the heap so
     * the loop is cheap even before the JIT has compiled anything (a server validates at start-up).
     */
    public void checkIntRange(MemorySegment segment, int min, int maxExclusive, String what) throws ModelFormatException {
        long count = segment.byteSize() / Integer.BYTES;
        int[] chunk = new int[(int) Math.min(CHECK_CHUNK, count)];
        for (long start = 0; start < count; start += chunk.length) {
            int n = (int) Math.min(chunk.length, count - start);
            MemorySegment.copy(segment, INT, start * Integer.BYTES, chunk, 0, n);
            for (int k = 0; k < n; k++) {
                if (chunk[k] < min || chunk[k] >= maxExclusive) {
                    throw new ModelFormatException(CORRUPT, path, what + " " + chunk[k] + " at " + (start + k)
                            + " out of range [" + min + ", " + maxExclusive + ")");
                }
            }
        }
    }

    /** Checks that every float of {@code segment} is finite (NaN or infinity would be served as scores). */
    public void checkFinite(MemorySegment segment, String what) throws ModelFormatException {
        checkFloats(segment, Float.NEGATIVE_INFINITY, what);
    }

    /** Checks that every float of {@code segment} is finite and >= {@code min}. */
    public void checkFloats(MemorySegment segment, float min, String what) throws ModelFormatException {
        long count = segment.byteSize() / Float.BYTES;
        float[] chunk = new float[(int) Math.min(CHECK_CHUNK, count)];
        for (long start = 0; start < count; start += chunk.length) {
            int n = (int) Math.min(chunk.length, count - start);
            MemorySegment.copy(segment, FLOAT, start * Float.BYTES, chunk, 0, n);
            for (int k = 0; k < n; k++) {
                if (!(chunk[k] >= min) || !Float.isFinite(chunk[k])) {
                    throw new ModelFormatException(CORRUPT, path, what + " " + chunk[k] + " at " + (start + k)
                            + (min == Float.NEGATIVE_INFINITY ? " is not finite" : " is not finite and >= " + min));
                }
            }
        }
    }

    /**
     * Checks an offsets array of n + 1 longs: starts at 0, never decreases, ends at {@code total};
     * returns the longest run between consecutive offsets.
     */
    public long checkOffsets(MemorySegment offsets, long n, long total, String what) throws ModelFormatException {
        long[] chunk = new long[(int) Math.min(CHECK_CHUNK, n + 1)];
        long prev = 0;
        long longest = 0;
        check(offsets.getAtIndex(LONG, 0) == 0, what + " offsets do not start at 0");
        for (long start = 0; start <= n; start += chunk.length) {
            int len = (int) Math.min(chunk.length, n + 1 - start);
            MemorySegment.copy(offsets, LONG, start * Long.BYTES, chunk, 0, len);
            for (int k = 0; k < len; k++) {
                long next = chunk[k];
                if (next < prev) {
                    throw new ModelFormatException(CORRUPT, path, what + " offsets decrease at " + (start + k));
                }
                longest = Math.max(longest, next - prev);
                prev = next;
            }
        }
        check(prev == total, what + " offsets end at " + prev + ", data holds " + total);
        return longest;
    }

    /** Throws CORRUPT with {@code detail} unless {@code condition}. */
    public void check(boolean condition, String detail) throws ModelFormatException {
        if (!condition) {
            throw new ModelFormatException(CORRUPT, path, detail);
        }
    }
}
