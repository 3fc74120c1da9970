package reco.model.format;

/**
 * Layout constants of a reco model file (version 1). All integers little-endian.
 *
 * <pre>
 * header   u32 magic 'RECO' | u32 version | u64 file length | u32 section count
 *          u16 length + UTF-8 format name (e.g. "reco.neighbors")
 *          per section: u16 length + UTF-8 name | u8 type | u64 element count | u64 byte offset
 *          zero padding to a multiple of 64
 * sections each starts at a multiple of 64 (so floats can be read aligned from the mapping)
 * footer   u32 footer magic | u32 zero | u64 CRC32C of every byte before the footer
 * </pre>
 *
 * The reader accepts versions in [{@link #MIN_SUPPORTED_VERSION}, {@link #CURRENT_VERSION}] and
 * fails with distinct errors for corrupt, truncated, too old and too new files.
 */
public final class ModelFileFormat {
    /** 'R','E','C','O' read as a little-endian int. */
    public static final int MAGIC = 0x4F434552;
    /** Marks the start of the 16-byte footer; the bitwise complement of {@link #MAGIC}. */
    public static final int FOOTER_MAGIC = ~MAGIC;
    public static final int CURRENT_VERSION = 1;
    public static final int MIN_SUPPORTED_VERSION = 1;
    public static final int ALIGNMENT = 64;
    public static final int FOOTER_BYTES = 16;
    /** magic + version + file length + section count. */
    static final int FIXED_HEADER_BYTES = 4 + 4 + 8 + 4;
    static final int MAX_NAME_BYTES = 255;

    private ModelFileFormat() {}

    static long align(long offset) {
        return (offset + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
