package reco.trainer.models.content;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import reco.model.Neighborhoods;
import reco.trainer.math.CsrMatrix;
import reco.model.topk.TopK;
import reco.trainer.progress.Progress;

/**
 * Exact top-K cosine neighbours of every row of an L2-normalised, non-negative sparse matrix
 * (cosine = dot product). Lists are best first, ties by lower item index, scores &gt; 0 only, never
 * the item itself; rows without features get empty lists.
 *
 * <p>Sparse all-pairs: for item i, walk its features, and for each feature the inverted index
 * (the transpose: feature -&gt; items) accumulating partial dot products into a dense per-thread
 * accumulator; a touched-list remembers which entries were written, so the cost per item is the
 * number of (feature, co-occurring item) pairs, not the catalogue size. Each thread reuses its
 * accumulator, touched-list and bounded heap, so the inner loop allocates nothing.
 *
 * <p>Deterministic: an item's scores are summed in the same order whatever thread computes it.
 */
public final class ContentNeighbors {
    /** Items per work unit: small enough to balance skewed rows, large enough to amortise bookkeeping. */
    private static final int CHUNK_SIZE = 128;

    private ContentNeighbors() {}

    public static Neighborhoods compute(ContentVectors vectors, ContentNeighborParams params, Progress.Factory progress) {
        return compute(vectors.matrix(), params, progress);
    }

    /** {@code rows} must be L2-normalised with non-negative values (as {@link ContentVectorizer} makes them). */
    public static Neighborhoods compute(CsrMatrix rows, ContentNeighborParams params, Progress.Factory progress) {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(progress, "progress");
        for (int p = 0; p < rows.nnz(); p++) {
            float value = rows.values[p];
            if (!(value > 0) || value > 1.0001f) {
                // the accumulator treats 0 as "untouched", and cosine needs L2-normalised rows
                throw new IllegalArgumentException("rows: value " + value + " at entry " + p
                        + " is outside (0, 1]; rows must be L2-normalised with positive values");
            }
        }
        int n = rows.rows;
        CsrMatrix invertedIndex = rows.transpose();
        int chunks = (n + CHUNK_SIZE - 1) / CHUNK_SIZE;
        int[][] chunkItems = new int[chunks][];
        float[][] chunkScores = new float[chunks][];
        int[] listSize = new int[n];
        int threads = Math.max(1, Math.min(params.effectiveThreads(), chunks));

        AtomicInteger nextChunk = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Progress bar = progress.start("content neighbours", n)) {
            Runnable worker = () -> {
                Worker w = new Worker(rows, invertedIndex, params.neighbors());
                int chunk;
                while (failure.get() == null && (chunk = nextChunk.getAndIncrement()) < chunks) {
                    int from = chunk * CHUNK_SIZE, to = Math.min(n, from + CHUNK_SIZE);
                    w.computeChunk(from, to, listSize, chunkItems, chunkScores, chunk);
                    bar.step(to - from);
                }
            };
            if (threads == 1) {
                worker.run();
            } else {
                Thread[] pool = new Thread[threads];
                for (int t = 0; t < threads; t++) {
                    pool[t] = Thread.ofPlatform().name("content-neighbours-" + t).unstarted(() -> {
                        try {
                            worker.run();
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    });
                    pool[t].start();
                }
                for (Thread t : pool) {
                    t.join();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while computing content neighbours", e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("content neighbour worker failed: " + failure.get(), failure.get());
        }

        int[] offsets = new int[n + 1];
        for (int i = 0; i < n; i++) {
            offsets[i + 1] = Math.addExact(offsets[i], listSize[i]);
        }
        int[] items = new int[offsets[n]];
        float[] scores = new float[offsets[n]];
        for (int c = 0; c < chunks; c++) {
            int from = c * CHUNK_SIZE;
            int length = chunkItems[c].length;
            System.arraycopy(chunkItems[c], 0, items, offsets[from], length);
            System.arraycopy(chunkScores[c], 0, scores, offsets[from], length);
        }
        return new Neighborhoods(offsets, items, scores);
    }

    /** Per-thread scratch: dense accumulator, touched-list, bounded heap, chunk output buffers. */
    private static final class Worker {
        private final CsrMatrix rows;
        private final CsrMatrix invertedIndex;
        private final float[] accumulator;
        private final int[] touched;
        private final TopK heap;
        private final int[] outItems;
        private final float[] outScores;

        Worker(CsrMatrix rows, CsrMatrix invertedIndex, int k) {
            this.rows = rows;
            this.invertedIndex = invertedIndex;
            int n = rows.rows;
            accumulator = new float[n];
            touched = new int[n];
            heap = new TopK(k);
            outItems = new int[CHUNK_SIZE * k];
            outScores = new float[CHUNK_SIZE * k];
        }

        void computeChunk(int from, int to, int[] listSize, int[][] chunkItems, float[][] chunkScores, int chunk) {
            int written = 0;
            for (int i = from; i < to; i++) {
                int count = topK(i, written);
                listSize[i] = count;
                written += count;
            }
            chunkItems[chunk] = Arrays.copyOf(outItems, written);
            chunkScores[chunk] = Arrays.copyOf(outScores, written);
        }

        private int topK(int i, int offset) {
            int[] rowIdx = rows.indices;
            float[] rowVal = rows.values;
            int[] invPtr = invertedIndex.indptr;
            int[] invIdx = invertedIndex.indices;
            float[] invVal = invertedIndex.values;
            float[] acc = accumulator;
            int[] touchedItems = touched;
            int touchedCount = 0;
            // Values are positive, so a partial sum is 0 exactly when the item was not touched yet;
            // the scan below resets what it reads, leaving the accumulator all-zero for the next item.
            for (int p = rows.indptr[i], pe = rows.indptr[i + 1]; p < pe; p++) {
                float weight = rowVal[p];
                int feature = rowIdx[p];
                for (int q = invPtr[feature], qe = invPtr[feature + 1]; q < qe; q++) {
                    int j = invIdx[q];
                    float partial = acc[j];
                    if (partial == 0f) {
                        touchedItems[touchedCount++] = j;
                    }
                    acc[j] = partial + weight * invVal[q];
                }
            }
            heap.clear();
            for (int t = 0; t < touchedCount; t++) {
                int j = touchedItems[t];
                float score = acc[j];
                acc[j] = 0f;
                // competitive() rejects most candidates with one compare once the heap is full
                if (score > 0f && j != i && !heap.wouldReject(score)) {
                    heap.offer(j, score);
                }
            }
            return heap.drainInto(outItems, outScores, offset);
        }
    }
}
