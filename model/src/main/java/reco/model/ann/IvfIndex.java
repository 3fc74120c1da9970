package reco.model.ann;

import reco.model.format.ModelFile;
import reco.model.format.ModelFormatException;
import reco.model.format.SectionType;
import reco.model.topk.TopK;
import reco.model.vector.VectorUtil;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.function.IntPredicate;

/**
 * A mapped IVF index for maximum inner product search over item vectors: rank the k-means lists by
 * the query's score against their centroids, scan the best {@code probes} lists exactly (raw dot
 * products, the same scores exact scoring gives) and keep the top K. Thread-safe; per-thread scratch.
 *
 * <p>File {@value #FORMAT} (sections, in order):
 * <pre>
 * header      int64[5]  rows, dims, lists, partitioning code, default probes
 * centroids   f32[lists x dims]  row-major, the first dims components of each centroid
 * probe_bias  f32[lists]         added to query . centroid when ranking lists
 * offsets     int64[lists + 1]   list l holds positions offsets[l] .. offsets[l+1]
 * items       int32[rows]        item index at each position: a permutation of 0..rows-1
 * vectors     f32[rows x dims]   the item vectors in position order, so a list scan is sequential
 * </pre>
 * Centroids are copied to the heap transposed at open (lists x dims floats; 1 MB for 4000 x 64); the
 * items and vectors stay mapped.
 */
public final class IvfIndex {
    public static final String FORMAT = "reco.ivf";
    static final String SECTION_HEADER = "header";
    static final String SECTION_CENTROIDS = "centroids";
    static final String SECTION_PROBE_BIAS = "probe_bias";
    static final String SECTION_OFFSETS = "offsets";
    static final String SECTION_ITEMS = "items";
    static final String SECTION_VECTORS = "vectors";
    static final int HEADER_LONGS = 5;
    /** The k that {@link #defaultProbes()} is tuned for. */
    static final int REFERENCE_K = 10;

    private final int rows;
    private final int dims;
    private final int lists;
    private final Partitioning partitioning;
    private final int defaultProbes;
    private final float[] centroidsT;
    private final float[] probeBias;
    private final long[] offsets;
    private final MemorySegment items;
    private final MemorySegment vectors;
    private final ThreadLocal<Scratch> scratch;

    private IvfIndex(int rows, int dims, int lists, Partitioning partitioning, int defaultProbes, float[] centroidsT,
                     float[] probeBias, long[] offsets, MemorySegment items, MemorySegment vectors) {
        this.rows = rows;
        this.dims = dims;
        this.lists = lists;
        this.partitioning = partitioning;
        this.defaultProbes = defaultProbes;
        this.centroidsT = centroidsT;
        this.probeBias = probeBias;
        this.offsets = offsets;
        this.items = items;
        this.vectors = vectors;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(lists));
    }

    /** The file name of the index over an embedding matrix, e.g. {@code ivf-als-items.bin}. */
    public static String fileName(String embeddingName) {
        return "ivf-" + embeddingName + ".bin";
    }

    /** Maps, validates (checksum included when asked) and opens an index file. */
    public static IvfIndex open(Path path, Arena arena, boolean verifyChecksum, int expectedRows, int expectedDims)
            throws IOException {
        return open(ModelFile.open(path, FORMAT, arena, verifyChecksum), expectedRows, expectedDims);
    }

    /**
     * Opens an index from a validated model file; checks it covers exactly {@code expectedRows} items of
     * {@code expectedDims} dimensions (those of the embedding matrix it was built from).
     *
     * @throws ModelFormatException (CORRUPT) when the file is inconsistent or does not match
     */
    public static IvfIndex open(ModelFile file, int expectedRows, int expectedDims) throws ModelFormatException {
        MemorySegment header = file.section(SECTION_HEADER, SectionType.INT64, HEADER_LONGS).segment();
        long rows = header.getAtIndex(ModelFile.LONG, 0);
        long dims = header.getAtIndex(ModelFile.LONG, 1);
        long lists = header.getAtIndex(ModelFile.LONG, 2);
        long partitioningCode = header.getAtIndex(ModelFile.LONG, 3);
        long defaultProbes = header.getAtIndex(ModelFile.LONG, 4);
        file.check(rows == expectedRows, "index covers " + rows + " items, expected " + expectedRows);
        file.check(dims == expectedDims, "index has " + dims + " dimensions, expected " + expectedDims);
        file.check(dims >= 1 && dims <= IvfIndexWriter.MAX_DIMENSIONS, "implausible dimensions " + dims);
        file.check(lists >= 1 && lists <= rows, "list count " + lists + " outside [1, " + rows + "]");
        Partitioning partitioning = Partitioning.of(partitioningCode);
        file.check(partitioning != null, "unknown partitioning code " + partitioningCode);
        file.check(defaultProbes >= 1 && defaultProbes <= lists,
                "default probes " + defaultProbes + " outside [1, " + lists + "]");
        int n = (int) rows;
        int d = (int) dims;
        int l = (int) lists;
        float[] centroids = file.section(SECTION_CENTROIDS, SectionType.FLOAT32, lists * dims).segment()
                .toArray(ModelFile.FLOAT);
        float[] centroidsT = new float[centroids.length];
        for (int c = 0; c < l; c++) {
            for (int j = 0; j < d; j++) {
                centroidsT[j * l + c] = centroids[c * d + j];
            }
        }
        float[] probeBias = file.section(SECTION_PROBE_BIAS, SectionType.FLOAT32, lists).segment().toArray(ModelFile.FLOAT);
        long[] offsets = file.section(SECTION_OFFSETS, SectionType.INT64, lists + 1).segment().toArray(ModelFile.LONG);
        file.check(offsets[0] == 0, "first list offset " + offsets[0] + ", expected 0");
        for (int c = 0; c < l; c++) {
            file.check(offsets[c + 1] >= offsets[c], "list " + c + " ends at " + offsets[c + 1]
                    + " before it starts at " + offsets[c]);
        }
        file.check(offsets[l] == rows, "lists hold " + offsets[l] + " items, expected " + rows);
        MemorySegment items = file.section(SECTION_ITEMS, SectionType.INT32, rows).segment();
        long[] seen = new long[(n + 63) >>> 6];
        for (long p = 0; p < n; p++) {
            int item = items.getAtIndex(ModelFile.INT, p);
            // messages only on failure: this runs once per item at every server start
            if (item < 0 || item >= n) {
                file.check(false, "item " + item + " at position " + p + " outside [0, " + n + ")");
            }
            if ((seen[item >>> 6] & (1L << item)) != 0) {
                file.check(false, "item " + item + " appears in two lists");
            }
            seen[item >>> 6] |= 1L << item;
        }
        MemorySegment vectors = file.section(SECTION_VECTORS, SectionType.FLOAT32, rows * dims).segment();
        file.checkFinite(vectors, "item vector value");
        for (float c : centroids) {
            if (!Float.isFinite(c)) {
                file.check(false, "centroid value " + c + " is not finite");
            }
        }
        for (float b : probeBias) {
            if (!Float.isFinite(b)) {
                file.check(false, "probe bias " + b + " is not finite");
            }
        }
        return new IvfIndex(n, d, l, partitioning, (int) defaultProbes, centroidsT, probeBias, offsets, items, vectors);
    }

    public int rows() { return rows; }
    public int dimensions() { return dims; }
    public int lists() { return lists; }
    public Partitioning partitioning() { return partitioning; }
    /** The probe count the trainer chose (recall@10 >= 0.95 on realistic data at the default settings). */
    public int defaultProbes() { return defaultProbes; }
    /** Number of items in list {@code list}. */
    public int listSize(int list) { return (int) (offsets[list + 1] - offsets[list]); }

    /**
     * The probes to use for a top-{@code k} query: {@link #defaultProbes()} (tuned for k = 10), scaled
     * by sqrt(k / 10) for larger k, because a longer result spreads over more lists (measured: at 2%
     * of the lists recall@100 is ~0.90 where recall@10 is ~0.98).
     */
    public int probesFor(int k) {
        IvfParameters.check("k", k, 1, Integer.MAX_VALUE);
        double scale = Math.max(1, Math.sqrt(k / (double) REFERENCE_K));
        return (int) Math.min(lists, Math.ceil(defaultProbes * scale));
    }

    /** {@link #search(float[], int, int, TopK, IntPredicate)} with {@link #probesFor(int) probesFor(k)}. */
    public int search(float[] query, int k, TopK top, IntPredicate accept) {
        return search(query, k, probesFor(k), top, accept);
    }

    /**
     * Resets {@code top} to {@code k} and offers it the accepted items of the {@code probes} lists that
     * score best for {@code query}, each with its exact score {@code query . item}. When fewer than
     * {@code k} accepted items turn up (strict filters), further lists are scanned, best first, until
     * {@code k} are found or every list has been scanned. Read the result with {@link TopK#drainInto}.
     *
     * @param accept items to consider (filters, exclusions); null accepts every item. Called only for
     *               items that would enter {@code top}.
     * @return the number of items scored (for monitoring the cost of a query)
     * @throws IllegalArgumentException when the query length is not {@link #dimensions()} or it holds a
     *                                  non-finite value, {@code k < 1} or {@code probes} outside [1, lists]
     */
    public int search(float[] query, int k, int probes, TopK top, IntPredicate accept) {
        if (query.length != dims) {
            throw new IllegalArgumentException("query has " + query.length + " dimensions, index " + dims);
        }
        for (int j = 0; j < dims; j++) {
            if (!Float.isFinite(query[j])) {
                throw new IllegalArgumentException("query[" + j + "] is " + query[j] + "; queries must be finite");
            }
        }
        IvfParameters.check("k", k, 1, Integer.MAX_VALUE);
        IvfParameters.check("probes", probes, 1, lists);
        Scratch s = scratch.get();
        CoarseQuantizer.scoreLists(query, 0, 1f, 0f, centroidsT, null, probeBias, lists, dims, s.listScores);
        s.listTop.reset(probes);
        for (int l = 0; l < lists; l++) {
            s.listTop.offer(l, s.listScores[l]);
        }
        int ranked = s.listTop.drainInto(s.order, s.orderScores);
        top.reset(k);
        int scored = 0;
        for (int r = 0; r < ranked; r++) {
            scored += scan(s.order[r], query, top, accept);
        }
        if (!top.isFull() && probes < lists) {
            // Too few accepted items: rank every list (same order as above for the first ones) and go on.
            s.listTop.reset(lists);
            for (int l = 0; l < lists; l++) {
                s.listTop.offer(l, s.listScores[l]);
            }
            int all = s.listTop.drainInto(s.order, s.orderScores);
            for (int r = ranked; r < all && !top.isFull(); r++) {
                scored += scan(s.order[r], query, top, accept);
            }
        }
        return scored;
    }

    private int scan(int list, float[] query, TopK top, IntPredicate accept) {
        long end = offsets[list + 1];
        for (long p = offsets[list]; p < end; p++) {
            float score = VectorUtil.dot(query, vectors, p);
            if (!top.wouldReject(score)) {
                int item = items.getAtIndex(ModelFile.INT, p);
                if (accept == null || accept.test(item)) {
                    top.offer(item, score);
                }
            }
        }
        return (int) (end - offsets[list]);
    }

    /** Per-thread buffers so a query allocates nothing. */
    private static final class Scratch {
        final float[] listScores;
        final TopK listTop;
        final int[] order;
        final float[] orderScores;

        Scratch(int lists) {
            listScores = new float[lists];
            listTop = new TopK(lists);
            order = new int[lists];
            orderScores = new float[lists];
        }
    }
}
