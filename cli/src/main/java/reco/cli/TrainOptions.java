package reco.cli;

import picocli.CommandLine.Option;
import reco.model.ModelKind;
import reco.model.als.ConfidenceFunction;
import reco.trainer.data.TrainingData;
import reco.trainer.models.content.ContentNeighborParams;
import reco.trainer.models.content.TermWeighting;
import reco.trainer.models.knn.ItemKnn;
import reco.trainer.models.popularity.PopularityParams;
import reco.trainer.pipeline.TrainSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Model options shared by train, eval and tune; defaults live in {@link TrainSettings#defaults()}.
 * Every option can also come from a {@code --params} file (keys = option names without the dashes, as
 * {@code reco tune --write-params} writes them): file values first, flags given on the command line win.
 */
public final class TrainOptions {
    /** Every parameter key (option name without dashes), in the order they are applied. */
    public static final java.util.List<String> KEYS = java.util.List.of("min-weight", "models",
            "default-model", "duplicates", "strength", "below-threshold-weight", "recency-floor", "neighbors", "content-weighting", "popularity-half-life-days",
            "profile-half-life-days", "knn-similarity", "knn-shrink", "knn-alpha", "knn-beta", "ease-lambda", "ease-neighbors", "ease-max-items", "als-factors",
            "als-iterations", "als-regularization", "als-regularization-exponent", "als-alpha", "als-confidence", "hybrid-weights", "keep");

    @Option(names = "--params", paramLabel = "FILE",
            description = "Read parameters from a properties file (key = option name without dashes, e.g. ease-lambda=100), "
                    + "as written by `reco tune --write-params`; options given on the command line override it.")
    Path params;

    @Option(names = "--min-weight", paramLabel = "W",
            description = "Interactions with weight >= W are positives (e.g. 4 on a 5-star scale); lower ones are only 'seen' "
                    + "(never recommended, no taste signal). Default: every interaction is positive.")
    String minWeight;

    @Option(names = "--models", paramLabel = "LIST",
            description = "Models to train, comma-separated from: popularity, content, item-knn, ease, als, hybrid. "
                    + "Default: all of them (hybrid serves).")
    String models;

    @Option(names = "--default-model", paramLabel = "MODEL",
            description = "Model answering requests that name none. Default: hybrid when trained, else the best trained model.")
    String defaultModel;

    @Option(names = "--duplicates", paramLabel = "RULE",
            description = "How repeated (user, item) rows combine: latest (default), sum (implicit counts), max.")
    String duplicates;

    @Option(names = "--strength", paramLabel = "FN",
            description = "Positive weight -> model strength: auto (default: linear for a rating scale, log for counts, "
                    + "binary for binary data; tuned when tuning runs), linear (weight / max weight), binary, log (1 + ln w), "
                    + "user (weight / the user's largest weight).")
    String strength;

    @Option(names = "--below-threshold-weight", paramLabel = "F",
            description = "Interactions below --min-weight stay 'seen' (never recommended) and enter the collaborative "
                    + "models as weak evidence with F x their strength, F in [0, 1]; 0 = no signal at all. Default: see TrainSettings.")
    String belowThresholdWeight;

    @Option(names = "--recency-floor", paramLabel = "F",
            description = "Weight of each user's oldest interaction relative to their newest, F in (0, 1], linear in the "
                    + "user's own timeline in between; used for model input and served profiles. 1 = no recency weighting.")
    String recencyFloor;

    @Option(names = "--neighbors", paramLabel = "K",
            description = "Neighbours stored per item for the content and item-kNN models (default 100).")
    String neighbors;

    @Option(names = "--content-weighting", paramLabel = "W", description = "Content term weighting: tf-idf (default) or bm25.")
    String contentWeighting;

    @Option(names = "--popularity-half-life-days", paramLabel = "DAYS",
            description = "Half-life of the recency-weighted popularity (default 30).")
    String popularityHalfLifeDays;

    @Option(names = "--profile-half-life-days", paramLabel = "DAYS",
            description = "Age at which a past interaction counts half in a user's content profile (default 180).")
    String profileHalfLifeDays;

    @Option(names = "--knn-similarity", paramLabel = "SIM",
            description = "Item-kNN similarity: cosine (shrunk) or rp3beta (random walk with a popularity penalty).")
    String knnSimilarity;

    @Option(names = "--knn-shrink", paramLabel = "S", description = "Item-kNN cosine shrinkage.")
    String knnShrink;

    @Option(names = "--knn-alpha", paramLabel = "A", description = "RP3beta: exponent of the walk's transition probabilities.")
    String knnAlpha;

    @Option(names = "--knn-beta", paramLabel = "B", description = "RP3beta: exponent of the popularity penalty (0 = none).")
    String knnBeta;

    @Option(names = "--ease-lambda", paramLabel = "L", description = "EASE L2 regularisation.")
    String easeLambda;

    @Option(names = "--ease-neighbors", paramLabel = "K", description = "EASE weights kept per item after pruning.")
    String easeNeighbors;

    @Option(names = "--ease-max-items", paramLabel = "N", description = "Largest catalogue EASE models (the most popular items).")
    String easeMaxItems;

    @Option(names = "--als-factors", paramLabel = "D", description = "ALS latent dimensions.")
    String alsFactors;

    @Option(names = "--als-iterations", paramLabel = "N", description = "ALS sweeps.")
    String alsIterations;

    @Option(names = "--als-regularization", paramLabel = "L", description = "ALS L2 regularisation.")
    String alsRegularization;

    @Option(names = "--als-regularization-exponent", paramLabel = "NU",
            description = "ALS frequency-scaled regularisation: lambda x (interactions of the row)^NU, NU in [0, 1] (0 = plain lambda).")
    String alsRegularizationExponent;

    @Option(names = "--als-alpha", paramLabel = "A", description = "ALS confidence scale: c = 1 + alpha * f(strength).")
    String alsAlpha;

    @Option(names = "--als-confidence", paramLabel = "FN", description = "ALS confidence function f: linear or log.")
    String alsConfidence;

    @Option(names = "--hybrid-weights", paramLabel = "M=W,...",
            description = "Hybrid blend weights, e.g. ease=1,als=0.5,content=0.1 (each model is scaled to [0,1] per request).")
    String hybridWeights;

    @Option(names = "--keep", paramLabel = "N", description = "Generations to keep in the model directory (default 3).")
    String keep;

    /** The options given on the command line, keyed by option name without dashes, in declaration order. */
    Map<String, String> commandLineValues() {
        Map<String, String> v = new LinkedHashMap<>();
        put(v, "min-weight", minWeight);
        put(v, "models", models);
        put(v, "default-model", defaultModel);
        put(v, "duplicates", duplicates);
        put(v, "strength", strength);
        put(v, "below-threshold-weight", belowThresholdWeight);
        put(v, "recency-floor", recencyFloor);
        put(v, "neighbors", neighbors);
        put(v, "content-weighting", contentWeighting);
        put(v, "popularity-half-life-days", popularityHalfLifeDays);
        put(v, "profile-half-life-days", profileHalfLifeDays);
        put(v, "knn-similarity", knnSimilarity);
        put(v, "knn-shrink", knnShrink);
        put(v, "knn-alpha", knnAlpha);
        put(v, "knn-beta", knnBeta);
        put(v, "ease-lambda", easeLambda);
        put(v, "ease-neighbors", easeNeighbors);
        put(v, "ease-max-items", easeMaxItems);
        put(v, "als-factors", alsFactors);
        put(v, "als-iterations", alsIterations);
        put(v, "als-regularization", alsRegularization);
        put(v, "als-regularization-exponent", alsRegularizationExponent);
        put(v, "als-alpha", alsAlpha);
        put(v, "als-confidence", alsConfidence);
        put(v, "hybrid-weights", hybridWeights);
        put(v, "keep", keep);
        return v;
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** Defaults, then the --params file, then the flags. */
    public TrainSettings toSettings() {
        return apply(TrainSettings.defaults(), givenValues());
    }

    /** The values given in the --params file and on the command line (the flags win), keyed as in {@link #KEYS}. */
    public Map<String, String> givenValues() {
        Map<String, String> values = new LinkedHashMap<>();
        if (params != null) {
            try {
                values.putAll(ParamsFile.read(params));
            } catch (IOException e) {
                throw new UncheckedIOException("--params " + params + ": " + e.getMessage(), e);
            }
        }
        values.putAll(commandLineValues());
        return values;
    }

    /** Applies option values (key = option name without dashes) to {@code s}. */
    static TrainSettings apply(TrainSettings s, Map<String, String> values) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            s = apply(s, e.getKey(), e.getValue().trim());
        }
        return s;
    }

    private static TrainSettings apply(TrainSettings s, String key, String value) {
        return switch (key) {
            case "min-weight" -> s.withMinWeight((float) number(key, value));
            case "models" -> s.withModels(parseModels(value));
            case "default-model" -> s.withDefaultModel(ModelKind.fromId(value));
            case "duplicates" -> s.withDuplicates(parseEnum(TrainingData.Duplicates.class, key, value));
            case "strength" -> s.withStrength(parseEnum(TrainingData.Strength.class, key, value));
            case "below-threshold-weight" -> s.withBelowThresholdWeight((float) number(key, value));
            case "recency-floor" -> s.withRecencyFloor((float) number(key, value));
            case "neighbors" -> {
                int k = integer(key, value);
                s = s.withItemKnn(s.itemKnn().withNeighbours(k));
                yield s.withContent(s.contentFeatures(), new ContentNeighborParams(k, s.contentNeighbors().threads()));
            }
            case "content-weighting" -> {
                String w = value.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
                yield s.withContent(s.contentFeatures().withWeighting(switch (w) {
                    case "tfidf" -> TermWeighting.TF_IDF;
                    case "bm25" -> TermWeighting.BM25;
                    default -> throw new IllegalArgumentException("--content-weighting: '" + value + "' is not tf-idf or bm25");
                }), s.contentNeighbors());
            }
            case "popularity-half-life-days" -> s.withPopularity(new PopularityParams(number(key, value)));
            case "profile-half-life-days" -> s.withProfileHalfLifeDays(number(key, value));
            case "knn-similarity" -> s.withItemKnn(s.itemKnn().withSimilarity(parseEnum(ItemKnn.Similarity.class, key, value)));
            case "knn-shrink" -> s.withItemKnn(s.itemKnn().withShrink(number(key, value)));
            case "knn-alpha" -> s.withItemKnn(s.itemKnn().withAlpha(number(key, value)));
            case "knn-beta" -> s.withItemKnn(s.itemKnn().withBeta(number(key, value)));
            case "ease-lambda" -> s.withEase(s.ease().withLambda(number(key, value)));
            case "ease-neighbors" -> s.withEase(s.ease().withNeighbours(integer(key, value)));
            case "ease-max-items" -> s.withEase(s.ease().withMaxItems(integer(key, value)));
            case "als-factors" -> s.withAls(s.als().withFactors(integer(key, value)));
            case "als-iterations" -> s.withAls(s.als().withIterations(integer(key, value)));
            case "als-regularization" -> s.withAls(s.als().withRegularization(number(key, value)));
            case "als-regularization-exponent" -> s.withAls(s.als().withRegularizationExponent(number(key, value)));
            case "als-alpha" -> s.withAls(s.als().withAlpha(number(key, value)));
            case "als-confidence" -> s.withAls(s.als().withConfidence(parseEnum(ConfidenceFunction.class, key, value)));
            case "hybrid-weights" -> s.withHybridWeights(parseWeights(value));
            case "keep" -> s.withKeepGenerations(integer(key, value));
            default -> throw new IllegalArgumentException("unknown parameter '" + key + "'; known: " + String.join(", ", KEYS));
        };
    }

    static Set<ModelKind> parseModels(String list) {
        Set<ModelKind> set = EnumSet.noneOf(ModelKind.class);
        for (String m : list.split(",")) {
            if (!m.isBlank()) {
                set.add(ModelKind.fromId(m));
            }
        }
        return set;
    }

    static Map<ModelKind, Double> parseWeights(String value) {
        Map<ModelKind, Double> w = new EnumMap<>(ModelKind.class);
        for (String part : value.split(",")) {
            String[] kv = part.split("=");
            if (kv.length != 2) {
                throw new IllegalArgumentException("--hybrid-weights: expected MODEL=WEIGHT, got '" + part + "'");
            }
            w.put(ModelKind.fromId(kv[0]), number("hybrid-weights", kv[1]));
        }
        return w;
    }

    /** hybrid weights as --hybrid-weights spells them (model order). */
    static String formatWeights(Map<ModelKind, Double> weights) {
        StringBuilder sb = new StringBuilder();
        new EnumMap<>(weights).forEach((m, w) -> sb.append(sb.isEmpty() ? "" : ",").append(m.id).append('=').append(w));
        return sb.toString();
    }

    private static double number(String option, String value) {
        try {
            double d = Double.parseDouble(value.trim());
            if (Double.isNaN(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + ": '" + value + "' is not a number");
        }
    }

    private static int integer(String option, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + ": '" + value + "' is not an integer");
        }
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
