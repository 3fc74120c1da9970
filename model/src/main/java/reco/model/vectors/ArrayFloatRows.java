package reco.model.vectors;

import java.util.Objects;

/** {@link FloatRows} over a heap array, row-major: row r is {@code data[r * dimensions .. (r + 1) * dimensions)}. */
public final class ArrayFloatRows implements FloatRows {
    private final float[] data;
    private final int rows;
    private final int dimensions;

    /** Wraps (does not copy) {@code data}, whose length must be a multiple of {@code dimensions}. */
    public ArrayFloatRows(float[] data, int dimensions) {
        Objects.requireNonNull(data, "data");
        if (dimensions < 1) {
            throw new IllegalArgumentException("dimensions must be >= 1, got " + dimensions);
        }
        if (data.length % dimensions != 0) {
            throw new IllegalArgumentException(
                    "data length " + data.length + " is not a multiple of dimensions " + dimensions);
        }
        this.data = data;
        this.dimensions = dimensions;
        this.rows = data.length / dimensions;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public void copyRow(int row, float[] dst) {
        Objects.checkIndex(row, rows);
        System.arraycopy(data, row * dimensions, dst, 0, dimensions);
    }

    /** The backing array (not a copy). */
    public float[] data() {
        return data;
    }
}
