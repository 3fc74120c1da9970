package reco.trainer.pipeline;

import reco.model.ModelKind;
import reco.trainer.data.TrainingData;
import reco.trainer.models.content.ContentFeatureParams;
import reco.trainer.models.content.ContentNeighborParams;
import reco.trainer.models.als.AlsParameters;
import reco.trainer.models.ease.Ease;
import reco.trainer.models.knn.ItemKnn;
import reco.trainer.models.popularity.PopularityParams;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Everything a training run needs besides the data. {@link #defaults()} is what `reco train` uses
 * when no flag says otherwise.
 *
 * @param minWeight interactions with weight >= minWeight are positives; lower ones are only "seen"
 *                  ({@code Float.NEGATIVE_INFINITY}: every interaction is positive)
 * @param belowThresholdWeight factor on the strength of interactions below minWeight in the collaborative
 *                  models' input (0: seen only, no signal); they are never recommended either way
 * @param recencyFloor weight of a user's oldest interaction relative to their newest, linear in between
 *                  (1: no recency weighting); applies to model input and served profiles alike
 * @param models models to train; popularity is always trained (it serves unknown users)
 * @param defaultModel model used when a request names none; null picks the best trained one
 * @param hybridWeights hybrid blend weights per component (only trained components are used)
 * @param profileHalfLifeDays age at which a past interaction counts half in a content profile
 * @param keepGenerations how many generations to keep in the model directory
 */
public record TrainSettings(
        float minWeight,
        TrainingData.Duplicates duplicates,
        TrainingData.Strength strength,
        float belowThresholdWeight,
        float recencyFloor,
        Set<ModelKind> models,
        ModelKind defaultModel,
        PopularityParams popularity,
        ContentFeatureParams contentFeatures,
        ContentNeighborParams contentNeighbors,
        ItemKnn.Parameters itemKnn,
        Ease.Parameters ease,
        AlsParameters als,
        Map<ModelKind, Double> hybridWeights,
        double profileHalfLifeDays,
        int keepGenerations,
        long seed) {

    public static final int DEFAULT_KEEP_GENERATIONS = 3;
    public static final double DEFAULT_PROFILE_HALF_LIFE_DAYS = 180;

    public TrainSettings {
        if (Float.isNaN(minWeight)) {
            throw new IllegalArgumentException("min-weight must be a number");
        }
        if (!(belowThresholdWeight >= 0f && belowThresholdWeight <= 1f)) {
            throw new IllegalArgumentException("below-threshold-weight must be in [0, 1], got " + belowThresholdWeight);
        }
        if (!(recencyFloor > 0f && recencyFloor <= 1f)) {
            throw new IllegalArgumentException("recency-floor must be in (0, 1], got " + recencyFloor);
        }
        if (keepGenerations < 1 || keepGenerations > 1000) {
            throw new IllegalArgumentException("keep must be in [1, 1000], got " + keepGenerations);
        }
        if (!(profileHalfLifeDays > 0) || profileHalfLifeDays > 36_500) {
            throw new IllegalArgumentException("profile-half-life-days must be in (0, 36500], got " + profileHalfLifeDays);
        }
        models = models.isEmpty() ? EnumSet.noneOf(ModelKind.class) : EnumSet.copyOf(models);
        models.add(ModelKind.POPULARITY);
        hybridWeights = Map.copyOf(hybridWeights);
        for (Map.Entry<ModelKind, Double> e : hybridWeights.entrySet()) {
            if (e.getKey() == ModelKind.HYBRID || e.getKey() == ModelKind.POPULARITY || !(e.getValue() >= 0)) {
                throw new IllegalArgumentException("hybrid weight for " + e.getKey() + " must be >= 0 and name a base model");
            }
        }
    }

    /**
     * Models trained by default. EASE and ALS are the strongest single models on top-N ranking (Steck 2019;
     * Rendle et al. 2021); on MovieLens latest-small (holdout-v1, --min-weight 4, `reco eval`, see
     * docs/quality.md, default input weighting) EASE scored NDCG@20 0.155, ALS 0.124, item-kNN 0.123, popularity
     * 0.053, content 0.005;
     * hybrid serves the blend below. Content stays for items without interactions and similar-items.
     */
    public static final Set<ModelKind> DEFAULT_MODELS = Set.copyOf(EnumSet.of(ModelKind.POPULARITY, ModelKind.CONTENT,
            ModelKind.ITEM_KNN, ModelKind.EASE, ModelKind.ALS, ModelKind.HYBRID));

    /**
     * Hybrid blend, each component scaled to [0, 1] per request. EASE leads; ALS and item-kNN add
     * neighbourhoods EASE misses, content a small pull towards similar metadata. On the validation split
     * of MovieLens latest-small (below-threshold weight 0.5): EASE 0.1601 NDCG@20 -> this blend 0.1644;
     * variations of the ALS / item-kNN / content weights moved it by at most 0.002, so the round numbers
     * stay. On a synthetic implicit-count set the blend (0.250) also beats its best component (item-kNN
     * 0.242). On the ml-small test split it is below EASE alone (0.1518 vs 0.1548): docs/quality.md.
     * Use `reco tune` to fit the weights on a validation split of your data.
     */
    public static final Map<ModelKind, Double> DEFAULT_HYBRID_WEIGHTS = Map.of(ModelKind.EASE, 1.0, ModelKind.ALS, 0.5,
            ModelKind.ITEM_KNN, 0.25, ModelKind.CONTENT, 0.05);

    /**
     * Interactions below --min-weight enter the collaborative input at half their strength (a 2-star
     * rating of a 5-star scale: 0.5 x 2/5 = 0.2; a 5-star one: 1.0) and stay excluded from recommendations.
     * Choosing to watch or buy an item says something about taste even when the rating is low. Chosen on
     * the validation split carved from train (PROTOCOL section 4) of MovieLens latest-small, --min-weight 4,
     * hybrid NDCG@20: 0 -> 0.1575, 0.25 -> 0.1625, 0.5 -> 0.1644, 1 -> 0.1641 (a plateau from 0.25 to 1;
     * EASE, ALS and item-kNN each gain). 0 gives the strict behaviour (below-threshold rows carry no signal).
     * Without --min-weight every interaction is a positive and this has no effect. docs/quality.md.
     */
    public static final float DEFAULT_BELOW_THRESHOLD_WEIGHT = 0.5f;

    /**
     * No recency weighting by default: on the same validation split, EASE NDCG@20 moved from 0.1606 (off)
     * to 0.1605 / 0.1600 / 0.1618 with floors 0.5 / 0.25 / 0.75, i.e. within noise; it stays an option for
     * data where tastes drift (--recency-floor).
     */
    public static final float DEFAULT_RECENCY_FLOOR = 1f;

    public static TrainSettings defaults() {
        return new TrainSettings(Float.NEGATIVE_INFINITY, TrainingData.Duplicates.LATEST, TrainingData.Strength.AUTO,
                DEFAULT_BELOW_THRESHOLD_WEIGHT, DEFAULT_RECENCY_FLOOR, DEFAULT_MODELS, null, PopularityParams.defaults(), ContentFeatureParams.defaults(),
                ContentNeighborParams.defaults(), ItemKnn.Parameters.defaults(), Ease.Parameters.defaults(),
                AlsParameters.defaults(), DEFAULT_HYBRID_WEIGHTS, DEFAULT_PROFILE_HALF_LIFE_DAYS,
                DEFAULT_KEEP_GENERATIONS, 42L);
    }

    public TrainSettings withMinWeight(float v) {
        return new TrainSettings(v, duplicates, strength, belowThresholdWeight, recencyFloor, models, defaultModel, popularity, contentFeatures,
                contentNeighbors, itemKnn, ease, als, hybridWeights, profileHalfLifeDays, keepGenerations, seed);
    }

    public TrainSettings withModels(Set<ModelKind> v) {
        return new TrainSettings(minWeight, duplicates, strength, belowThresholdWeight, recencyFloor, v, defaultModel, popularity, contentFeatures,
                contentNeighbors, itemKnn, ease, als, hybridWeights, profileHalfLifeDays, keepGenerations, seed);
    }

    public TrainSettings withDefaultModel(ModelKind v) {
        return new TrainSettings(minWeight, duplicates, strength, belowThresholdWeight, recencyFloor, models, v, popularity, contentFeatures,
                contentNeighbors, itemKnn, ease, als, hybridWeights, profileHalfLifeDays, keepGenerations, seed);
    }

    public TrainSettings withStrength(TrainingData.Strength v) {
        return new TrainSettings(minWeight, duplicates, v, belowThresholdWeight, recencyFloor, models, defaultModel, popularity, contentFeatures,
                contentNeighbors, itemKnn, ease, als, hybridWeights, profileHalfLifeDays, keepGenerations, seed);
    }

    public TrainSettings withBelowThresholdWeight(float v) {
        return new TrainSettings(minWeight, duplicates, strength, v, recencyFloor, models, defaultModel, popularity, contentFeatures,
                contentNeighbors, itemKnn, ease, als, hybridWeights, profileHalfLifeDays, keepGenerations, seed);
    }

    public TrainSettings withRecencyFloor(float v) {
        return new TrainSettings(minWeight, duplicates, strength, belowThresholdWeight, v, models, defaultModel, popularity,
                contentFeatures, contentNeighbors, itemKnn, ease, als, hybridWeights, profileHalfLifeDays, keepGenerations, seed);
    }

    public TrainSettings withDuplicates(TrainingData.Duplicates v) {
        return new TrainSettings(minWeight, v, strength, belowThresholdWeight, recencyFloor, models, defaultModel, popularity, contentFeatures,
                contentNeighbors, itemKnn, ease, als, hybridWeights, profileHalfLifeDays, keepGenerations, seed);
    }

    public TrainSettings withKeepGenerations(int v) {
        return new TrainSettings(minWeight, duplicates, strength, belowThresholdWeight, recencyFloor, models, defaultModel, popularity, contentFeatures,
                contentNeighbors, itemKnn, ease, als, hybridWeights, profileHalfLifeDays, v, seed);
    }

    public TrainSettings withHybridWeights(Map<ModelKind, Double> v) {
        return new TrainSettings(minWeight, duplicates, strength, belowThresholdWeight, recencyFloor, models, defaultModel, popularity, contentFeatures,
                contentNeighbors, itemKnn, ease, als, v, profileHalfLifeDays, keepGenerations, seed);
    }

    public TrainSettings withContent(ContentFeatureParams features, ContentNeighborParams neighbors) {
        return new TrainSettings(minWeight, duplicates, strength, belowThresholdWeight, recencyFloor, models, defaultModel, popularity, features,
                neighbors, itemKnn, ease, als, hybridWeights, profileHalfLifeDays, keepGenerations, seed);
    }

    public TrainSettings withItemKnn(ItemKnn.Parameters v) {
        return new TrainSettings(minWeight, duplicates, strength, belowThresholdWeight, recencyFloor, models, defaultModel, popularity, contentFeatures,
                contentNeighbors, v, ease, als, hybridWeights, profileHalfLifeDays, keepGenerations, seed);
    }

    public TrainSettings withEase(Ease.Parameters v) {
        return new TrainSettings(minWeight, duplicates, strength, belowThresholdWeight, recencyFloor, models, defaultModel, popularity, contentFeatures,
                contentNeighbors, itemKnn, v, als, hybridWeights, profileHalfLifeDays, keepGenerations, seed);
    }

    public TrainSettings withAls(AlsParameters v) {
        return new TrainSettings(minWeight, duplicates, strength, belowThresholdWeight, recencyFloor, models, defaultModel, popularity, contentFeatures,
                contentNeighbors, itemKnn, ease, v, hybridWeights, profileHalfLifeDays, keepGenerations, seed);
    }

    public TrainSettings withPopularity(PopularityParams v) {
        return new TrainSettings(minWeight, duplicates, strength, belowThresholdWeight, recencyFloor, models, defaultModel, v, contentFeatures,
                contentNeighbors, itemKnn, ease, als, hybridWeights, profileHalfLifeDays, keepGenerations, seed);
    }

    public TrainSettings withProfileHalfLifeDays(double v) {
        return new TrainSettings(minWeight, duplicates, strength, belowThresholdWeight, recencyFloor, models, defaultModel, popularity, contentFeatures,
                contentNeighbors, itemKnn, ease, als, hybridWeights, v, keepGenerations, seed);
    }
}
