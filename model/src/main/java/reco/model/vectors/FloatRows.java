package reco.model.vectors;

/**
 * Read access to a dense row-major matrix of floats (e.g. item factors), whether it lives in a heap
 * array or in a memory-mapped generation file. Implementations must be safe for concurrent readers.
 */
public interface FloatRows {
    /** Number of rows. */
    int rows();

    /** Number of floats per row. */
    int dimensions();

    /**
     * Copies row {@code row} into {@code dst[0 .. dimensions())}.
     *
     * @throws IndexOutOfBoundsException if {@code row} is not in {@code [0, rows())} or {@code dst} is shorter
     *     than {@link #dimensions()}
     */
    void copyRow(int row, float[] dst);
}
