package reco.trainer.eval;

import reco.model.Neighborhoods;
import reco.trainer.data.IdDictionary;
import reco.trainer.data.TrainingData;
import reco.trainer.io.Dataset;
import reco.trainer.models.ease.DenseEase;
import reco.trainer.models.ease.Ease;
import reco.model.topk.TopK;
import reco.trainer.pipeline.TrainSettings;
import reco.trainer.progress.Progress;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What pruning EASE to a neighbourhood file costs: the same fit scored densely ({@code s_j = sum_i x_ui B_ij}
 * over every modelled item) and from pruned lists (both pruning rules, at the configured K), each list
 * excluding the user's train items, all scored with the protocol's metrics. The pruned lists here are
 * built directly from the neighbourhoods (no popularity back-fill), so they can differ from the served
 * EASE model in the last few ranks of users with tiny histories.
 */
public final class EaseDenseComparison {
    /** One scoring of the same EASE fit. */
    public record Variant(String name, MetricsResult metrics) {}

    public record Report(int modelledItems, int neighbours, List<Variant> variants, int reportK) {
        /** A readable block, one line per variant. */
        public String describe() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "EASE pruning cost (%d modelled items, %d weights kept per item):", modelledItems, neighbours));
            sb.append(String.format(Locale.ROOT, "%n  %-36s%12s%12s", "variant", "ndcg@" + reportK, "recall@" + reportK));
            for (Variant v : variants) {
                sb.append(String.format(Locale.ROOT, "%n  %-36s%12.4f%12.4f", v.name(),
                        v.metrics().value("ndcg", reportK), v.metrics().value("recall", reportK)));
            }
            return sb.toString();
        }

        public String toJson() {
            StringBuilder sb = new StringBuilder("{\"modelled_items\": ").append(modelledItems)
                    .append(", \"neighbours\": ").append(neighbours).append(", \"variants\": {");
            for (int i = 0; i < variants.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(PythonCompat.jsonString(variants.get(i).name())).append(": ")
                        .append(variants.get(i).metrics().toJson());
            }
            return sb.append("}}").toString();
        }
    }

    private EaseDenseComparison() {}

    /**
     * Fits EASE as the training pipeline does and scores the dense and pruned variants for the test users.
     *
     * @return null when EASE would model more than {@code maxDenseItems} items (the dense scoring would be slow)
     */
    public static Report run(TrainSettings settings, Dataset train, Map<String, List<String>> trainRows,
                             Map<String, List<String>> test, int listLength, List<Integer> ks, int maxDenseItems,
                             Progress.Factory progress, PrintStream log) {
        TrainingData.Strength strength = reco.trainer.pipeline.Trainer.resolveStrength(settings.strength(),
                reco.trainer.data.DataProfile.of(train.interactions(), settings.minWeight()));
        TrainingData data = TrainingData.build(train.interactions(), settings.minWeight(), settings.duplicates(),
                strength, settings.belowThresholdWeight(), settings.recencyFloor());
        DenseEase dense = Ease.fitDense(data.input, reco.trainer.pipeline.Trainer.itemsWithPositives(data), settings.ease(),
                progress);
        int modelled = dense.modelItems().length;
        if (modelled > maxDenseItems) {
            log.println("eval: EASE models " + modelled + " items (> " + maxDenseItems + "): pruning cost not measured");
            return null;
        }
        int k = settings.ease().neighbours();
        int reportK = ks.getLast();
        List<Variant> variants = new ArrayList<>();
        Map<String, List<String>> denseRecs = recommend(data, train.interactions().users, train.interactions().items,
                test.keySet(), listLength, (user, scores) -> {
                    int[] items = dense.modelItems();
                    for (int p = data.input.indptr[user]; p < data.input.indptr[user + 1]; p++) {
                        int source = data.input.indices[p];
                        double x = data.input.values[p];
                        if (!dense.isModelled(source)) {
                            continue;
                        }
                        for (int target : items) {
                            scores[target] += x * dense.weight(source, target);
                        }
                    }
                });
        variants.add(new Variant("dense", TopKMetrics.evaluate(trainRows, test, denseRecs, ks)));
        for (DenseEase.Pruning rule : DenseEase.Pruning.values()) {
            Neighborhoods lists = dense.prune(k, rule);
            Map<String, List<String>> recs = recommend(data, train.interactions().users, train.interactions().items,
                    test.keySet(), listLength, (user, scores) -> {
                        for (int p = data.input.indptr[user]; p < data.input.indptr[user + 1]; p++) {
                            int source = data.input.indices[p];
                            double x = data.input.values[p];
                            for (int q = lists.start(source); q < lists.end(source); q++) {
                                scores[lists.items()[q]] += x * lists.scores()[q];
                            }
                        }
                    });
            variants.add(new Variant("pruned, " + rule.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + k,
                    TopKMetrics.evaluate(trainRows, test, recs, ks)));
        }
        return new Report(modelled, k, variants, reportK);
    }

    private interface Scorer {
        void score(int user, double[] scores);
    }

    private static Map<String, List<String>> recommend(TrainingData data, IdDictionary users, IdDictionary items,
                                                       Iterable<String> testUsers, int listLength, Scorer scorer) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        boolean[] seen = new boolean[data.items];
        int[] ids = new int[listLength];
        float[] best = new float[listLength];
        for (String userId : testUsers) {
            int user = users.indexOf(userId);
            List<String> list = new ArrayList<>();
            if (user >= 0) {
                double[] acc = new double[data.items];
                scorer.score(user, acc);
                for (long p = data.historyOffsets[user]; p < data.historyOffsets[user + 1]; p++) {
                    seen[data.historyItems[(int) p]] = true;
                }
                TopK heap = new TopK(listLength);
                for (int i = 0; i < data.items; i++) {
                    if (!seen[i] && acc[i] != 0 && !heap.wouldReject((float) acc[i])) {
                        heap.offer(i, (float) acc[i]);
                    }
                }
                int n = heap.drainInto(ids, best, 0);
                for (int r = 0; r < n; r++) {
                    list.add(items.id(ids[r]));
                }
                for (long p = data.historyOffsets[user]; p < data.historyOffsets[user + 1]; p++) {
                    seen[data.historyItems[(int) p]] = false;
                }
            }
            out.put(userId, list);
        }
        return out;
    }
}
