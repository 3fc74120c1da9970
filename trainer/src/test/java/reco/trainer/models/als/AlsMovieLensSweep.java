package reco.trainer.models.als;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reco.trainer.math.CsrMatrix;

/**
 * Grid over regularization x alpha on a holdout-v1 split directory (train.tsv, test.tsv), every train row as
 * strength 1, scored by NDCG@20 and Recall@20 with train items filtered. Used to choose the defaults; not a
 * test. Args: SPLIT_DIR; grids from -Dlambdas=, -Dalphas=, -Dnus= (comma-separated).
 */
public final class AlsMovieLensSweep {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Map<String, Integer> users = new HashMap<>();
        Map<String, Integer> items = new HashMap<>();
        List<int[]> train = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("train.tsv"))) {
            String[] f = line.split("\t");
            train.add(new int[] {users.computeIfAbsent(f[0], k -> users.size()), items.computeIfAbsent(f[1], k -> items.size())});
        }
        Map<Integer, Set<Integer>> test = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("test.tsv"))) {
            String[] f = line.split("\t");
            Integer u = users.get(f[0]);
            if (u == null) {
                continue;
            }
            Integer i = items.get(f[1]);
            test.computeIfAbsent(u, k -> new HashSet<>()).add(i == null ? -1 : i);
        }
        int n = train.size();
        int[] r = new int[n];
        int[] c = new int[n];
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
            r[k] = train.get(k)[0];
            c[k] = train.get(k)[1];
            v[k] = 1;
        }
        CsrMatrix m = CsrMatrix.fromCoordinates(users.size(), items.size(), r, c, v, n, false);
        double[] lambdas = grid("lambdas", "0.01,0.1,1,10");
        double[] alphas = grid("alphas", "1,5,10,40");
        for (double nu : grid("nus", "0,0.5")) {
            for (double lambda : lambdas) {
                for (double alpha : alphas) {
                    AlsParameters p = AlsParameters.defaults().withRegularization(lambda).withAlpha(alpha)
                            .withRegularizationExponent(nu);
                    AlsFactors f = new ImplicitAls(p).fit(m);
                    double[] s = score(m, f, test, 20);
                    System.out.printf("nu=%.1f lambda=%-5s alpha=%-4s ndcg@20=%.4f recall@20=%.4f%n",
                            nu, lambda, alpha, s[0], s[1]);
                }
            }
        }
    }

    private static double[] grid(String property, String defaults) {
        return java.util.Arrays.stream(System.getProperty(property, defaults).split(","))
                .mapToDouble(Double::parseDouble).toArray();
    }

    private static double[] score(CsrMatrix m, AlsFactors f, Map<Integer, Set<Integer>> test, int k) {
        int d = f.factors();
        double ndcg = 0;
        double recall = 0;
        for (var e : test.entrySet()) {
            int u = e.getKey();
            Set<Integer> seen = new HashSet<>();
            for (int j = m.rowStart(u); j < m.rowEnd(u); j++) {
                seen.add(m.indices[j]);
            }
            double[] scores = new double[f.items()];
            Integer[] order = new Integer[f.items()];
            for (int i = 0; i < f.items(); i++) {
                order[i] = i;
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += f.userFactors()[u * d + j] * f.itemFactors()[i * d + j];
                }
                scores[i] = seen.contains(i) ? Double.NEGATIVE_INFINITY : s;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
            double dcg = 0;
            int hits = 0;
            for (int rank = 0; rank < k; rank++) {
                if (e.getValue().contains(order[rank])) {
                    dcg += 1 / (Math.log(rank + 2) / Math.log(2));
                    hits++;
                }
            }
            double idcg = 0;
            for (int rank = 0; rank < e.getValue().size(); rank++) {
                idcg += 1 / (Math.log(rank + 2) / Math.log(2));
            }
            ndcg += dcg / idcg;
            recall += (double) hits / e.getValue().size();
        }
        return new double[] {ndcg / test.size(), recall / test.size()};
    }
}
