package reco.trainer.models.content;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import reco.trainer.data.IdDictionary;
import reco.trainer.data.ItemMetadata;

/**
 * A seeded synthetic catalogue shaped like a movie catalogue: genres with Zipf frequencies (1-3 per
 * item), tags from a few hundred with Zipf frequencies (0-5 applications per item), and 1-4 title
 * words from a vocabulary with Zipf frequencies.
 */
final class SyntheticCatalog {
    private SyntheticCatalog() {}

    static ItemMetadata generate(int items, int genres, int tags, int titleWords, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] genreCdf = zipfCdf(genres, 1.0);
        double[] tagCdf = zipfCdf(tags, 1.0);
        double[] wordCdf = zipfCdf(titleWords, 1.0);
        ItemMetadata m = new ItemMetadata(new IdDictionary());
        for (int i = 0; i < items; i++) {
            List<String> g = new ArrayList<>();
            int genreCount = 1 + random.nextInt(3);
            for (int k = 0; k < genreCount; k++) g.add("genre" + sample(genreCdf, random));
            StringBuilder title = new StringBuilder();
            int words = 1 + random.nextInt(4);
            for (int k = 0; k < words; k++) title.append("w").append(sample(wordCdf, random)).append(' ');
            title.append("(").append(1950 + random.nextInt(70)).append(")");
            String id = "item" + i;
            m.describe(id, title.toString(), g, null);
            int tagCount = random.nextInt(6);
            for (int k = 0; k < tagCount; k++) m.addTag(id, "tag " + sample(tagCdf, random));
        }
        return m;
    }

    private static double[] zipfCdf(int n, double exponent) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1.0 / Math.pow(k + 1, exponent);
            cdf[k] = sum;
        }
        for (int k = 0; k < n; k++) cdf[k] /= sum;
        return cdf;
    }

    private static int sample(double[] cdf, SplittableRandom random) {
        double u = random.nextDouble();
        int lo = 0, hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < u) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
