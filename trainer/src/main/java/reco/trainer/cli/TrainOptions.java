package reco.trainer.cli;

import picocli.CommandLine.Option;
import reco.model.ModelKind;
import reco.trainer.data.TrainingData;
import reco.trainer.models.content.ContentNeighborParams;
import reco.trainer.models.content.TermWeighting;
import reco.trainer.models.popularity.PopularityParams;
import reco.trainer.pipeline.TrainSettings;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Model options shared by train, eval and demo; defaults live in {@link TrainSettings#defaults()}. */
public final class TrainOptions {
    @Option(names = "--min-weight", paramLabel = "W",
            description = "Interactions with weight >= W are positives (e.g. 4 on a 5-star scale); lower ones are only 'seen' "
                    + "(never recommended, no taste signal). Default: every interaction is positive.")
    Float minWeight;

    @Option(names = "--models", paramLabel = "LIST",
            description = "Models to train, comma-separated from: popularity, content, item-knn, ease, als, hybrid. "
                    + "Default: popularity,content,item-knn,hybrid.")
    String models;

    @Option(names = "--default-model", paramLabel = "MODEL",
            description = "Model answering requests that name none. Default: hybrid when trained, else the best trained model.")
    String defaultModel;

    @Option(names = "--duplicates", paramLabel = "RULE",
            description = "How repeated (user, item) rows combine: latest (default), sum (implicit counts), max.")
    String duplicates;

    @Option(names = "--strength", paramLabel = "FN",
            description = "Positive weight -> model strength: linear (weight / max weight, default), binary, log (1 + ln w).")
    String strength;

    @Option(names = "--neighbors", paramLabel = "K",
            description = "Neighbours stored per item for the content and item-kNN models (default 100).")
    Integer neighbors;

    @Option(names = "--content-weighting", paramLabel = "W", description = "Content term weighting: tf-idf (default) or bm25.")
    String contentWeighting;

    @Option(names = "--popularity-half-life-days", paramLabel = "DAYS",
            description = "Half-life of the recency-weighted popularity (default 30).")
    Double popularityHalfLifeDays;

    @Option(names = "--profile-half-life-days", paramLabel = "DAYS",
            description = "Age at which a past interaction counts half in a user's content profile (default 180).")
    Double profileHalfLifeDays;

    @Option(names = "--knn-shrink", paramLabel = "S", description = "Item-kNN cosine shrinkage (default 10).")
    Double knnShrink;

    @Option(names = "--ease-lambda", paramLabel = "L", description = "EASE L2 regularisation (default 200).")
    Double easeLambda;

    @Option(names = "--hybrid-weights", paramLabel = "M=W,...",
            description = "Hybrid blend weights, e.g. item-knn=1,content=0.2 (each model is scaled to [0,1] per request).")
    String hybridWeights;

    @Option(names = "--keep", paramLabel = "N", description = "Generations to keep in the model directory (default 3).")
    Integer keep;

    public TrainSettings toSettings() {
        TrainSettings s = TrainSettings.defaults();
        if (minWeight != null) {
            s = s.withMinWeight(minWeight);
        }
        if (models != null) {
            Set<ModelKind> set = EnumSet.noneOf(ModelKind.class);
            for (String m : models.split(",")) {
                if (!m.isBlank()) {
                    set.add(ModelKind.fromId(m));
                }
            }
            s = s.withModels(set);
        }
        if (defaultModel != null) {
            s = s.withDefaultModel(ModelKind.fromId(defaultModel));
        }
        if (duplicates != null) {
            s = s.withDuplicates(parseEnum(TrainingData.Duplicates.class, "duplicates", duplicates));
        }
        if (strength != null) {
            s = s.withStrength(parseEnum(TrainingData.Strength.class, "strength", strength));
        }
        if (neighbors != null || contentWeighting != null) {
            var features = s.contentFeatures();
            if (contentWeighting != null) {
                String w = contentWeighting.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
                features = features.withWeighting(switch (w) {
                    case "tfidf" -> TermWeighting.TF_IDF;
                    case "bm25" -> TermWeighting.BM25;
                    default -> throw new IllegalArgumentException("--content-weighting: '" + contentWeighting + "' is not tf-idf or bm25");
                });
            }
            ContentNeighborParams cn = s.contentNeighbors();
            if (neighbors != null) {
                cn = new ContentNeighborParams(neighbors, cn.threads());
                s = s.withItemKnn(s.itemKnn().withNeighbours(neighbors));
            }
            s = s.withContent(features, cn);
        }
        if (popularityHalfLifeDays != null) {
            s = s.withPopularity(new PopularityParams(popularityHalfLifeDays));
        }
        if (profileHalfLifeDays != null) {
            s = s.withProfileHalfLifeDays(profileHalfLifeDays);
        }
        if (knnShrink != null) {
            s = s.withItemKnn(s.itemKnn().withShrink(knnShrink));
        }
        if (easeLambda != null) {
            s = s.withEase(s.ease().withLambda(easeLambda));
        }
        if (hybridWeights != null) {
            Map<ModelKind, Double> w = new EnumMap<>(ModelKind.class);
            for (String part : hybridWeights.split(",")) {
                String[] kv = part.split("=");
                if (kv.length != 2) {
                    throw new IllegalArgumentException("--hybrid-weights: expected MODEL=WEIGHT, got '" + part + "'");
                }
                try {
                    w.put(ModelKind.fromId(kv[0]), Double.parseDouble(kv[1].trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--hybrid-weights: '" + kv[1] + "' is not a number");
                }
            }
            s = s.withHybridWeights(w);
        }
        if (keep != null) {
            s = s.withKeepGenerations(keep);
        }
        return s;
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String option, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                allowed.append(allowed.isEmpty() ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException("--" + option + ": '" + value + "' is not one of " + allowed);
        }
    }
}
