package reco.model.format;

import java.nio.charset.StandardCharsets;

/**
 * Layout of a reco model file. All integers little-endian.
 *
 * <pre>
 * header   u32 magic 'RECO' | u32 version | u64 file length | u32 section count
 *          (version 2) u8 generation id length | 63 bytes generation id, ASCII, zero padded
 *          u16 length + UTF-8 format name (e.g. "reco.neighbors")
 *          per section: u16 length + UTF-8 name | u8 type | u64 element count | u64 byte offset
 *          zero padding to a multiple of 64
 * sections each starts at a multiple of 64 (so floats can be read aligned from the mapping)
 * footer   u32 footer magic | u32 zero | u64 CRC32C of every byte before the footer
 * </pre>
 *
 * <p>Version 2 binds every file to its generation: the header carries the id of the generation it
 * belongs to, so a valid file copied in from another generation is refused even where its size and
 * checksum were made to match. A writer leaves the id empty; {@link ModelFileWriter#stampGenerationId}
 * fills it in (and re-seals the footer) when the generation is committed. Version 1 (no id field)
 * is still read.
 *
 * <p>The reader accepts versions in [{@link #MIN_SUPPORTED_VERSION}, {@link #CURRENT_VERSION}] and
 * fails with distinct errors for corrupt, truncated, too old and too new files.
 */
public final class ModelFileFormat {
    /** 'R','E','C','O' read as a little-endian int. */
    public static final int MAGIC = 0x4F434552;
    /** Marks the start of the 16-byte footer; the bitwise complement of {@link #MAGIC}. */
    public static final int FOOTER_MAGIC = ~MAGIC;
    public static final int CURRENT_VERSION = 2;
    public static final int MIN_SUPPORTED_VERSION = 1;
    /** The first version whose header carries the generation id. */
    public static final int GENERATION_ID_VERSION = 2;
    public static final int ALIGNMENT = 64;
    public static final int FOOTER_BYTES = 16;
    /** magic + version + file length + section count: the fixed header of version 1. */
    static final int V1_FIXED_HEADER_BYTES = 4 + 4 + 8 + 4;
    /** Where the generation id field starts (version 2 on). */
    static final int GENERATION_ID_OFFSET = V1_FIXED_HEADER_BYTES;
    /** The generation id field: one length byte and up to {@link #MAX_GENERATION_ID_BYTES} bytes. */
    static final int GENERATION_ID_FIELD_BYTES = 64;
    public static final int MAX_GENERATION_ID_BYTES = GENERATION_ID_FIELD_BYTES - 1;
    static final int MAX_NAME_BYTES = 255;

    private ModelFileFormat() {}

    static long align(long offset) {
        return (offset + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** Bytes before the format name in a file of {@code version}. */
    static int fixedHeaderBytes(int version) {
        return version >= GENERATION_ID_VERSION ? V1_FIXED_HEADER_BYTES + GENERATION_ID_FIELD_BYTES : V1_FIXED_HEADER_BYTES;
    }

    /**
     * Checks that {@code id} fits the header's generation id field: 1..63 printable ASCII characters
     * (what generation directory names are made of).
     */
    public static byte[] generationIdBytes(String id) {
        byte[] bytes = id.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length > MAX_GENERATION_ID_BYTES || !isPrintableAscii(id)) {
            throw new IllegalArgumentException("a generation id is 1.." + MAX_GENERATION_ID_BYTES
                    + " printable ASCII characters, got '" + id + "'");
        }
        return bytes;
    }

    private static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
