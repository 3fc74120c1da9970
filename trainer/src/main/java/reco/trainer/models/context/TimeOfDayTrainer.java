package reco.trainer.models.context;

import reco.model.generation.TimeOfDayProfile;
import reco.trainer.data.Interactions;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns how popularity varies with the hour of day and weekday/weekend from interaction timestamps.
 * With {@code B = TimeOfDayProfile.BINS} bins, {@code N(b)} interactions in bin b out of N:
 *
 * <pre>
 *   g(b)   = (N(b) + 1) / (N + B)                          global share (add-one: no empty bin)
 *   p_c(b) = (n_c(b) + m_c g(b)) / (n_c + m_c)             category c, smoothed toward global
 *   q_i(b) = mean of p_c(b) over the item's categories      (g(b) when it has none)
 *   p_i(b) = (n_i(b) + m_i q_i(b)) / (n_i + m_i)           item i, smoothed toward its categories
 *   relative(b) = p(b) / g(b)
 * </pre>
 *
 * Additive smoothing with the row's own count: an item seen 5 times barely moves from its categories'
 * profile, one seen 500 times speaks for itself. Only positive interactions with a timestamp count.
 */
public final class TimeOfDayTrainer {
    /** Pseudo-interactions pulling an item toward its categories' profile. */
    public static final double DEFAULT_ITEM_PRIOR = 20;
    /** Pseudo-interactions pulling a category toward the global profile. */
    public static final double DEFAULT_CATEGORY_PRIOR = 50;

    private TimeOfDayTrainer() {}

    /**
     * @param itemCount items of the generation (indexes {@code 0..itemCount-1})
     * @param itemCategories categories per item (null: no catalogue); category ids are numbered in
     *     first-seen order over items 0..n-1, exactly as {@code ItemCatalog.write} numbers them
     * @param minWeight interactions below it are not positive and do not count
     * @return the profile, or null when no positive interaction has a timestamp
     */
    public static TimeOfDayModel train(Interactions in, int itemCount, List<List<String>> itemCategories, float minWeight,
                                       ZoneId zone, double itemPrior, double categoryPrior) {
        if (!(itemPrior > 0) || !(categoryPrior > 0)) {
            throw new IllegalArgumentException("time-of-day priors must be > 0, got item " + itemPrior
                    + ", category " + categoryPrior);
        }
        int bins = TimeOfDayProfile.BINS;
        Map<String, Integer> names = new LinkedHashMap<>();
        int[][] categoriesOf = new int[itemCount][];
        for (int i = 0; i < itemCount; i++) {
            List<String> cs = itemCategories == null || i >= itemCategories.size() ? List.of() : itemCategories.get(i);
            categoriesOf[i] = new int[cs.size()];
            for (int k = 0; k < cs.size(); k++) {
                Integer id = names.putIfAbsent(cs.get(k), names.size());
                categoriesOf[i][k] = id == null ? names.size() - 1 : id;
            }
        }
        int categories = itemCategories == null ? 0 : names.size();
        double[] globalCounts = new double[bins];
        double[] itemCounts = new double[itemCount * bins];
        double[] categoryCounts = new double[categories * bins];
        long binned = 0;
        for (int r = 0; r < in.size(); r++) {
            long ts = in.timestamp(r);
            if (ts == 0 || !reco.trainer.data.TrainingData.isPositive(in.weight(r), minWeight)) {
                continue;
            }
            int item = in.item(r);
            if (item >= itemCount) {
                continue;
            }
            int b = TimeOfDayProfile.bin(ts, zone);
            globalCounts[b]++;
            itemCounts[item * bins + b]++;
            for (int c : categoriesOf[item]) {
                categoryCounts[c * bins + b]++;
            }
            binned++;
        }
        if (binned == 0) {
            return null;
        }
        double[] g = new double[bins];
        float[] global = new float[bins];
        for (int b = 0; b < bins; b++) {
            g[b] = (globalCounts[b] + 1) / (binned + bins);
            global[b] = (float) g[b];
        }
        double[] categoryShare = new double[categories * bins];
        float[] categoryRelative = new float[categories * bins];
        for (int c = 0; c < categories; c++) {
            double n = rowSum(categoryCounts, c, bins);
            for (int b = 0; b < bins; b++) {
                double p = (categoryCounts[c * bins + b] + categoryPrior * g[b]) / (n + categoryPrior);
                categoryShare[c * bins + b] = p;
                categoryRelative[c * bins + b] = (float) (p / g[b]);
            }
        }
        float[] itemRelative = new float[itemCount * bins];
        double[] prior = new double[bins];
        for (int i = 0; i < itemCount; i++) {
            int[] cs = categoriesOf[i];
            for (int b = 0; b < bins; b++) {
                if (cs.length == 0 || categories == 0) {
                    prior[b] = g[b];
                } else {
                    double sum = 0;
                    for (int c : cs) {
                        sum += categoryShare[c * bins + b];
                    }
                    prior[b] = sum / cs.length;
                }
            }
            double n = rowSum(itemCounts, i, bins);
            for (int b = 0; b < bins; b++) {
                double p = (itemCounts[i * bins + b] + itemPrior * prior[b]) / (n + itemPrior);
                itemRelative[i * bins + b] = (float) (p / g[b]);
            }
        }
        return new TimeOfDayModel(global, itemRelative, itemCount, categoryRelative, categories, zone, binned);
    }

    private static double rowSum(double[] a, int row, int width) {
        double s = 0;
        for (int b = 0; b < width; b++) {
            s += a[row * width + b];
        }
        return s;
    }
}
