package reco.trainer.tuning;

import reco.model.Neighborhoods;
import reco.trainer.data.TrainingData;
import reco.trainer.models.als.AlsFactors;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Scores fitted models on the users of a {@link ValidationSplit} by NDCG@{@value #K}, the way the server
 * ranks ({@code reco.model.scoring.Recommender}): a neighbour model sums, over the user's history items
 * with a strength above 0, strength x neighbour score; ALS takes the dot product of the user's and item's
 * factors; a blend adds each component scaled by its largest score for that user; items in the user's
 * history (any strength) are never ranked.
 */
final class ValidationScorer {
    static final int K = 20;
    /** Candidates kept per component and user for blend searches; a blended top 20 from outside every component's top 100 is not seen. */
    static final int CANDIDATES = 100;

    /** One fitted model as a dense scorer. */
    interface Component {
        /** Writes the score of every item for {@code user} into {@code out} (length = items). */
        void score(int user, float[] out);
    }

    private final ValidationSplit split;
    private final TrainingData data;
    private final double[] idcg = new double[K + 1];

    ValidationScorer(ValidationSplit split, TrainingData data) {
        this.split = split;
        this.data = data;
        for (int m = 1; m <= K; m++) {
            idcg[m] = idcg[m - 1] + 1 / log2(m + 1);
        }
    }

    int users() {
        return split.users().length;
    }

    static Component neighbours(Neighborhoods nb, TrainingData data) {
        return (user, out) -> {
            Arrays.fill(out, 0f);
            for (long p = data.historyOffsets[user]; p < data.historyOffsets[user + 1]; p++) {
                float s = data.historyStrengths[(int) p];
                int item = data.historyItems[(int) p];
                if (s <= 0 || item >= nb.itemCount()) {
                    continue;
                }
                for (int q = nb.start(item); q < nb.end(item); q++) {
                    out[nb.items()[q]] += s * nb.scores()[q];
                }
            }
        };
    }

    static Component als(AlsFactors f) {
        int d = f.factors();
        float[] uf = f.userFactors();
        float[] itf = f.itemFactors();
        return (user, out) -> {
            int uo = user * d;
            for (int i = 0; i < f.items(); i++) {
                int io = i * d;
                float s = 0;
                for (int j = 0; j < d; j++) {
                    s += uf[uo + j] * itf[io + j];
                }
                out[i] = s;
            }
        };
    }

    /** Mean NDCG@20 of one component over the validation users. */
    double ndcg(Component c) {
        int n = users();
        double[] per = new double[n];
        IntStream.range(0, n).parallel().forEach(k -> {
            float[] scores = new float[data.items];
            int user = split.users()[k];
            c.score(user, scores);
            excludeSeen(user, scores);
            per[k] = ndcgOf(top(scores, K), split.heldOut()[k]);
        });
        return mean(per);
    }

    /** Per user: the union of the components' top {@value #CANDIDATES} and every component's scaled score on it. */
    record Cache(int[][] candidates, float[][][] scaled) {}

    Cache cache(Component[] components) {
        int n = users();
        int[][] cands = new int[n][];
        float[][][] scaled = new float[n][][];
        IntStream.range(0, n).parallel().forEach(k -> {
            int user = split.users()[k];
            float[][] full = new float[components.length][data.items];
            java.util.BitSet union = new java.util.BitSet(data.items);
            for (int c = 0; c < components.length; c++) {
                components[c].score(user, full[c]);
                float max = 0;
                for (float v : full[c]) {
                    max = Math.max(max, v);
                }
                float scale = max > 0 ? 1 / max : 1;
                for (int i = 0; i < data.items; i++) {
                    full[c][i] *= scale;
                }
                float[] copy = full[c].clone();
                excludeSeen(user, copy);
                for (int i : top(copy, CANDIDATES)) {
                    union.set(i);
                }
            }
            int[] items = union.stream().toArray();
            float[][] s = new float[components.length][items.length];
            for (int c = 0; c < components.length; c++) {
                for (int j = 0; j < items.length; j++) {
                    s[c][j] = full[c][items[j]];
                }
            }
            cands[k] = items;
            scaled[k] = s;
        });
        return new Cache(cands, scaled);
    }

    /** Mean NDCG@20 of the blend {@code weights} (one per cached component; 0 drops it). */
    double ndcg(Cache cache, double[] weights) {
        int n = users();
        double[] per = new double[n];
        IntStream.range(0, n).parallel().forEach(k -> {
            int[] items = cache.candidates()[k];
            float[] blended = new float[items.length];
            for (int c = 0; c < weights.length; c++) {
                if (weights[c] == 0) {
                    continue;
                }
                float w = (float) weights[c];
                float[] s = cache.scaled()[k][c];
                for (int j = 0; j < items.length; j++) {
                    blended[j] += w * s[j];
                }
            }
            int[] best = top(blended, K);
            for (int r = 0; r < best.length; r++) {
                best[r] = items[best[r]];
            }
            per[k] = ndcgOf(best, split.heldOut()[k]);
        });
        return mean(per);
    }

    private void excludeSeen(int user, float[] scores) {
        for (long p = data.historyOffsets[user]; p < data.historyOffsets[user + 1]; p++) {
            scores[data.historyItems[(int) p]] = Float.NEGATIVE_INFINITY;
        }
    }

    private double ndcgOf(int[] ranked, int[] heldOut) {
        double dcg = 0;
        for (int r = 0; r < ranked.length; r++) {
            for (int h : heldOut) {
                if (h == ranked[r]) {
                    dcg += 1 / log2(r + 2);
                    break;
                }
            }
        }
        return dcg / idcg[Math.min(K, heldOut.length)];
    }

    /** Indexes of the {@code k} largest finite scores, best first (ties: lower index). */
    static int[] top(float[] scores, int k) {
        int[] idx = new int[k];
        float[] val = new float[k];
        int size = 0;
        for (int i = 0; i < scores.length; i++) {
            float v = scores[i];
            if (v == Float.NEGATIVE_INFINITY || size == k && v <= val[size - 1]) {
                continue;
            }
            int pos = size < k ? size++ : k - 1;
            while (pos > 0 && val[pos - 1] < v) {
                idx[pos] = idx[pos - 1];
                val[pos] = val[pos - 1];
                pos--;
            }
            idx[pos] = i;
            val[pos] = v;
        }
        return Arrays.copyOf(idx, size);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? 0 : s / v.length;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
