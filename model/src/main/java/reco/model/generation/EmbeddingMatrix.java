package reco.model.generation;

import reco.model.format.ModelFile;
import reco.model.format.ModelFileWriter;
import reco.model.format.ModelFormatException;
import reco.model.format.SectionType;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A mapped float32 matrix, rows x dimensions, row-major (item or user embeddings). Optionally
 * carries the Gram matrix of its rows (d x d), which fold-in needs and which is costly to recompute
 * on a large catalogue at server start.
 */
public final class EmbeddingMatrix implements reco.model.vectors.FloatRows {
    private final MemorySegment vectors;
    private final MemorySegment gram;
    private final int rows;
    private final int dimensions;

    private EmbeddingMatrix(MemorySegment vectors, MemorySegment gram, int rows, int dimensions) {
        this.vectors = vectors;
        this.gram = gram;
        this.rows = rows;
        this.dimensions = dimensions;
    }

    /** {@code gram} may be null. */
    public static void write(Path file, float[] data, int rows, int dimensions, float[] gram) throws IOException {
        if ((long) rows * dimensions != data.length) {
            throw new IllegalArgumentException("embedding data length " + data.length + " != " + rows + " x " + dimensions);
        }
        if (gram != null && gram.length != dimensions * dimensions) {
            throw new IllegalArgumentException("gram must be " + dimensions + " x " + dimensions);
        }
        ModelFileWriter.requireFinite(file, "embedding value", data, dimensions);
        if (gram != null) {
            ModelFileWriter.requireFinite(file, "Gram matrix value", gram, dimensions);
        }
        try (ModelFileWriter w = ModelFileWriter.create(file, GenerationFiles.FORMAT_EMBEDDINGS)) {
            w.declare("shape", SectionType.INT64, 2)
                    .declare("vectors", SectionType.FLOAT32, data.length)
                    .declare("gram", SectionType.FLOAT32, gram == null ? 0 : gram.length)
                    .begin();
            w.putLong(rows);
            w.putLong(dimensions);
            w.putFloats(data);
            if (gram != null) {
                w.putFloats(gram);
            }
        }
    }

    /**
     * Writes {@code rows} rows taken one at a time from {@code source} (row 0 first), so a matrix larger
     * than the heap can be streamed from where it was computed; with {@code withGram} the Gram matrix of
     * the rows is accumulated (in double) on the way and stored after them.
     *
     * @throws IllegalArgumentException when the source yields a row of the wrong length or too few rows
     */
    public static void write(Path file, int rows, int dimensions, java.util.Iterator<float[]> source, boolean withGram)
            throws IOException {
        double[] gram = withGram ? new double[dimensions * dimensions] : null;
        try (ModelFileWriter w = ModelFileWriter.create(file, GenerationFiles.FORMAT_EMBEDDINGS)) {
            w.declare("shape", SectionType.INT64, 2)
                    .declare("vectors", SectionType.FLOAT32, (long) rows * dimensions)
                    .declare("gram", SectionType.FLOAT32, withGram ? dimensions * dimensions : 0)
                    .begin();
            w.putLong(rows);
            w.putLong(dimensions);
            for (int r = 0; r < rows; r++) {
                if (!source.hasNext()) {
                    throw new IllegalArgumentException(file.getFileName() + ": the source ended after " + r + " of " + rows + " rows");
                }
                float[] row = source.next();
                if (row.length != dimensions) {
                    throw new IllegalArgumentException(file.getFileName() + ": row " + r + " has " + row.length
                            + " values, expected " + dimensions);
                }
                ModelFileWriter.requireFinite(file, "embedding value", row, dimensions);
                w.putFloats(row);
                if (gram != null) {
                    for (int a = 0; a < dimensions; a++) {
                        double x = row[a];
                        for (int b = 0; b < dimensions; b++) {
                            gram[a * dimensions + b] += x * row[b];
                        }
                    }
                }
            }
            if (gram != null) {
                float[] g = new float[gram.length];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) gram[i];
                }
                ModelFileWriter.requireFinite(file, "Gram matrix value", g, dimensions);
                w.putFloats(g);
            }
        }
    }

    public static EmbeddingMatrix open(ModelFile file, int expectedRows) throws ModelFormatException {
        MemorySegment shape = file.section("shape", SectionType.INT64, 2).segment();
        long rows = shape.getAtIndex(ModelFile.LONG, 0);
        long dims = shape.getAtIndex(ModelFile.LONG, 1);
        file.check(rows == expectedRows, "embedding rows " + rows + ", expected " + expectedRows);
        file.check(dims > 0 && dims <= 4096, "implausible embedding dimensions " + dims);
        MemorySegment vectors = file.section("vectors", SectionType.FLOAT32, rows * dims).segment();
        ModelFile.Section gram = file.section("gram", SectionType.FLOAT32);
        file.check(gram.count() == 0 || gram.count() == dims * dims, "gram matrix has " + gram.count() + " entries");
        file.checkFinite(vectors, "embedding value");
        file.checkFinite(gram.segment(), "Gram matrix value");
        return new EmbeddingMatrix(vectors, gram.count() == 0 ? null : gram.segment(), (int) rows, (int) dims);
    }

    @Override public int rows() { return rows; }
    @Override public int dimensions() { return dimensions; }
    /** The whole matrix (rows x dimensions floats, little-endian, 64-byte aligned start). */
    public MemorySegment vectors() { return vectors; }
    public float get(int row, int col) { return vectors.getAtIndex(ModelFile.FLOAT, (long) row * dimensions + col); }
    @Override public void copyRow(int row, float[] dst) {
        MemorySegment.copy(vectors, ModelFile.FLOAT, (long) row * dimensions * Float.BYTES, dst, 0, dimensions);
    }
    /** The stored Gram matrix (row-major d x d) or null. */
    public float[] gram() {
        return gram == null ? null : gram.toArray(ModelFile.FLOAT);
    }
}
