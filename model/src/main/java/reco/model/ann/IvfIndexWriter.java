package reco.model.ann;

import reco.model.format.ModelFileWriter;
import reco.model.format.SectionType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Builds an IVF index (inverted file: a k-means coarse quantiser plus one list of items per centroid)
 * over an item matrix and writes it as a {@value IvfIndex#FORMAT} model file. See {@link IvfIndex}
 * for the layout and the search.
 *
 * <pre>{@code
 * IvfBuildSummary s = IvfIndexWriter.write(dir.resolve(IvfIndex.fileName("als-items")),
 *         itemFactors, items, dims, IvfParameters.defaults(items));
 * }</pre>
 */
public final class IvfIndexWriter {
    /** Same bound the embedding reader applies. */
    static final int MAX_DIMENSIONS = 4096;

    /** What the build produced, for the trainer's log. */
    public record IvfBuildSummary(int lists, int emptyLists, int largestList, int trainingPoints, int defaultProbes) {}

    private IvfIndexWriter() {}

    /**
     * Clusters {@code vectors} (row-major, {@code rows x dims}) and writes the index to {@code file}.
     * The input is not modified. Deterministic for the same input and parameters (threads included or not).
     *
     * @throws IllegalArgumentException for inconsistent shapes, non-finite values or {@code lists > rows}
     */
    public static IvfBuildSummary write(Path file, float[] vectors, int rows, int dims, IvfParameters parameters)
            throws IOException {
        IvfParameters.check("rows", rows, 1, Integer.MAX_VALUE);
        IvfParameters.check("dims", dims, 1, MAX_DIMENSIONS);
        if ((long) rows * dims != vectors.length) {
            throw new IllegalArgumentException("vectors length " + vectors.length + " != rows x dims = "
                    + rows + " x " + dims);
        }
        IvfParameters.check("lists", parameters.lists(), 1, rows);
        for (int i = 0; i < vectors.length; i++) {
            if (!Float.isFinite(vectors[i])) {
                throw new IllegalArgumentException("vectors[" + i + "] (row " + i / dims + ", column " + i % dims
                        + ") is " + vectors[i] + "; item vectors must be finite");
            }
        }
        int lists = parameters.lists();
        CoarseQuantizer quantizer;
        int[] assignment;
        try (ExecutorService pool = Executors.newFixedThreadPool(parameters.threads(), r -> {
            Thread t = new Thread(r, "ivf-build");
            t.setDaemon(true);
            return t;
        })) {
            quantizer = CoarseQuantizer.train(vectors, rows, dims, parameters, pool);
            assignment = quantizer.assignAll(rows, pool);
        }
        // counting sort: items grouped by list, ascending item index inside a list
        long[] offsets = new long[lists + 1];
        for (int l : assignment) {
            offsets[l + 1]++;
        }
        int emptyLists = 0;
        int largest = 0;
        for (int l = 0; l < lists; l++) {
            emptyLists += offsets[l + 1] == 0 ? 1 : 0;
            largest = (int) Math.max(largest, offsets[l + 1]);
            offsets[l + 1] += offsets[l];
        }
        int[] items = new int[rows];
        long[] next = offsets.clone();
        for (int i = 0; i < rows; i++) {
            items[(int) next[assignment[i]]++] = i;
        }
        float[] probeBias = parameters.partitioning() == Partitioning.AUGMENTED
                ? quantizer.distanceBias : new float[lists];
        try (ModelFileWriter w = ModelFileWriter.create(file, IvfIndex.FORMAT)) {
            w.declare(IvfIndex.SECTION_HEADER, SectionType.INT64, IvfIndex.HEADER_LONGS)
                    .declare(IvfIndex.SECTION_CENTROIDS, SectionType.FLOAT32, (long) lists * dims)
                    .declare(IvfIndex.SECTION_PROBE_BIAS, SectionType.FLOAT32, lists)
                    .declare(IvfIndex.SECTION_OFFSETS, SectionType.INT64, lists + 1L)
                    .declare(IvfIndex.SECTION_ITEMS, SectionType.INT32, rows)
                    .declare(IvfIndex.SECTION_VECTORS, SectionType.FLOAT32, (long) rows * dims)
                    .begin();
            w.putLongs(new long[] {rows, dims, lists, parameters.partitioning().code, parameters.defaultProbes()});
            float[] centroid = new float[dims];
            for (int l = 0; l < lists; l++) { // stored row-major; the reader transposes
                for (int j = 0; j < dims; j++) {
                    centroid[j] = quantizer.centroidsT[j * lists + l];
                }
                w.putFloats(centroid);
            }
            w.putFloats(probeBias);
            w.putLongs(offsets);
            w.putInts(items);
            for (int item : items) {
                w.putFloats(vectors, item * dims, dims);
            }
        }
        return new IvfBuildSummary(lists, emptyLists, largest, quantizer.trainingPoints, parameters.defaultProbes());
    }
}
