package reco.model.ann;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Seeded k-means over the item vectors, transformed as {@link Partitioning} says, with a fixed number
 * of Lloyd iterations on a sample and a final assignment of every item.
 *
 * <p>No transformed copy of the data is made: a point {@code x} is represented in the k-means space as
 * {@code [s x, e]} (a per-point scale {@code s} and an extra last component {@code e}), so its squared
 * distance to a centroid {@code [c, c_e]} ranks like {@code -(s x.c + e c_e - |[c, c_e]|^2 / 2)}.
 *
 * <p>Centroids are kept transposed (dimension-major) so that scoring one point against all of them is
 * a sequence of axpy loops over the list axis, which C2 vectorises; a dot product per centroid would
 * be a floating-point reduction, which it does not.
 *
 * <p>Deterministic: each point's assignment does not depend on which thread computes it, and the
 * centroid update is a sequential sum in point order.
 */
final class CoarseQuantizer {
    /** Relative perturbation when an empty cluster takes half of the largest one (as FAISS does). */
    private static final float SPLIT_EPSILON = 1f / 1024;
    /** Points per parallel task: large enough to amortise scheduling, small enough to balance. */
    private static final int CHUNK = 2_048;

    final int lists;
    final int dims;
    /** dims x lists: centroidsT[j * lists + l] is component j of centroid l. */
    final float[] centroidsT;
    /** The augmented component of each centroid (all zero unless AUGMENTED). */
    final float[] extra;
    /** -|[c, c_e]|^2 / 2 per centroid: the bias that turns a dot product into a distance ranking. */
    final float[] distanceBias;
    final int trainingPoints;

    private final float[] data;
    private final float[] pointScale;
    private final float[] pointExtra;

    private CoarseQuantizer(float[] data, int rows, int dims, int lists, Partitioning partitioning, int trainingPoints) {
        this.data = data;
        this.dims = dims;
        this.lists = lists;
        this.trainingPoints = trainingPoints;
        this.centroidsT = new float[dims * lists];
        this.extra = new float[lists];
        this.distanceBias = new float[lists];
        this.pointScale = new float[rows];
        this.pointExtra = new float[rows];
        double maxNormSquared = 0;
        double[] normSquared = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0, base = i * dims; j < dims; j++) {
                s += (double) data[base + j] * data[base + j];
            }
            normSquared[i] = s;
            maxNormSquared = Math.max(maxNormSquared, s);
        }
        for (int i = 0; i < rows; i++) {
            switch (partitioning) {
                case AUGMENTED -> {
                    pointScale[i] = 1f;
                    pointExtra[i] = (float) Math.sqrt(Math.max(0, maxNormSquared - normSquared[i]));
                }
                case RAW -> pointScale[i] = 1f;
                case SPHERICAL -> pointScale[i] = normSquared[i] > 0 ? (float) (1 / Math.sqrt(normSquared[i])) : 0f;
            }
        }
    }

    /** Trains on a seeded sample of at most {@code lists * trainingPointsPerList} rows. */
    static CoarseQuantizer train(float[] data, int rows, int dims, IvfParameters p, ExecutorService pool) {
        int lists = p.lists();
        int sampleSize = (int) Math.min(rows, (long) lists * p.trainingPointsPerList());
        CoarseQuantizer q = new CoarseQuantizer(data, rows, dims, lists, p.partitioning(), sampleSize);
        SplittableRandom random = new SplittableRandom(p.seed());
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        // partial Fisher-Yates: order[0..sampleSize) becomes a uniform sample in random order
        for (int i = 0; i < sampleSize; i++) {
            int j = i + random.nextInt(rows - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int l = 0; l < lists; l++) { // random distinct points as initial centroids
            q.setCentroid(l, order[l]);
        }
        int[] sample = java.util.Arrays.copyOf(order, sampleSize);
        java.util.Arrays.sort(sample); // sequential memory access in the assignment passes
        int[] assignment = new int[sampleSize];
        double[] sums = new double[lists * (dims + 1)];
        int[] counts = new int[lists];
        for (int it = 0; it < p.iterations(); it++) {
            q.assign(sample, sampleSize, assignment, pool);
            q.update(sample, assignment, sums, counts);
        }
        return q;
    }

    /** The list of every row (the nearest centroid in the k-means space). */
    int[] assignAll(int rows, ExecutorService pool) {
        int[] assignment = new int[rows];
        assign(null, rows, assignment, pool);
        return assignment;
    }

    private void setCentroid(int l, int row) {
        float s = pointScale[row];
        for (int j = 0, base = row * dims; j < dims; j++) {
            centroidsT[j * lists + l] = s * data[base + j];
        }
        extra[l] = pointExtra[row];
        refreshBias(l);
    }

    private void refreshBias(int l) {
        double n = (double) extra[l] * extra[l];
        for (int j = 0; j < dims; j++) {
            double c = centroidsT[j * lists + l];
            n += c * c;
        }
        distanceBias[l] = (float) (-n / 2);
    }

    /** Assigns points {@code rows[i]} (or i when {@code rows} is null), i < count, in parallel chunks. */
    private void assign(int[] rows, int count, int[] assignment, ExecutorService pool) {
        List<Future<?>> tasks = new ArrayList<>();
        for (int from = 0; from < count; from += CHUNK) {
            int start = from;
            int end = Math.min(count, from + CHUNK);
            tasks.add(pool.submit(() -> {
                float[] scores = new float[lists];
                for (int i = start; i < end; i++) {
                    int row = rows == null ? i : rows[i];
                    scoreLists(data, row * dims, pointScale[row], pointExtra[row], centroidsT, extra,
                            distanceBias, lists, dims, scores);
                    assignment[i] = argMax(scores);
                }
            }));
        }
        for (Future<?> f : tasks) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while building the index", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("index build failed", e.getCause());
            }
        }
    }

    private void update(int[] sample, int[] assignment, double[] sums, int[] counts) {
        java.util.Arrays.fill(sums, 0);
        java.util.Arrays.fill(counts, 0);
        int stride = dims + 1;
        for (int i = 0; i < sample.length; i++) {
            int row = sample[i];
            int l = assignment[i];
            counts[l]++;
            double s = pointScale[row];
            int base = l * stride;
            for (int j = 0, x = row * dims; j < dims; j++) {
                sums[base + j] += s * data[x + j];
            }
            sums[base + dims] += pointExtra[row];
        }
        for (int l = 0; l < lists; l++) {
            if (counts[l] == 0) {
                continue;
            }
            int base = l * stride;
            for (int j = 0; j < dims; j++) {
                centroidsT[j * lists + l] = (float) (sums[base + j] / counts[l]);
            }
            extra[l] = (float) (sums[base + dims] / counts[l]);
        }
        for (int empty = 0; empty < lists; empty++) {
            if (counts[empty] != 0) {
                continue;
            }
            // An empty cluster takes half of the largest one: copy its centroid, push the two apart.
            int largest = 0;
            for (int l = 1; l < lists; l++) {
                if (counts[l] > counts[largest]) {
                    largest = l;
                }
            }
            for (int j = 0; j < dims; j++) {
                float c = centroidsT[j * lists + largest];
                float sign = (j & 1) == 0 ? 1 : -1;
                centroidsT[j * lists + empty] = c * (1 + sign * SPLIT_EPSILON);
                centroidsT[j * lists + largest] = c * (1 - sign * SPLIT_EPSILON);
            }
            extra[empty] = extra[largest];
            counts[empty] = counts[largest] / 2;
            counts[largest] -= counts[empty];
        }
        for (int l = 0; l < lists; l++) {
            refreshBias(l);
        }
    }

    /**
     * {@code out[l] = scale * (x . c_l) + extraComponent * extra[l] + bias[l]} for every list, with the
     * centroids transposed. Each step is an axpy over the list axis (vectorised by C2).
     */
    static void scoreLists(float[] x, int offset, float scale, float extraComponent, float[] centroidsT,
                           float[] extra, float[] bias, int lists, int dims, float[] out) {
        System.arraycopy(bias, 0, out, 0, lists);
        for (int j = 0; j < dims; j++) {
            float a = scale * x[offset + j];
            int base = j * lists;
            for (int l = 0; l < lists; l++) {
                out[l] += a * centroidsT[base + l];
            }
        }
        if (extraComponent != 0) {
            for (int l = 0; l < lists; l++) {
                out[l] += extraComponent * extra[l];
            }
        }
    }

    /** Index of the largest value, the lowest index on ties. */
    static int argMax(float[] values) {
        int best = 0;
        float max = values[0];
        for (int l = 1; l < values.length; l++) {
            if (values[l] > max) {
                max = values[l];
                best = l;
            }
        }
        return best;
    }
}
