package reco.model.format;

/** Element type of a section; all values little-endian. */
public enum SectionType {
    BYTES(1, 1),
    INT32(2, 4),
    INT64(3, 8),
    FLOAT32(4, 4);

    final int code;
    public final int elementBytes;

    SectionType(int code, int elementBytes) {
        this.code = code;
        this.elementBytes = elementBytes;
    }

    static SectionType of(int code) {
        for (SectionType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
