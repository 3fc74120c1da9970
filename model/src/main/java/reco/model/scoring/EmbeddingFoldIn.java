package reco.model.scoring;

import reco.model.ModelKind;
import reco.model.als.AlsExplanation;
import reco.model.als.AlsFoldIn;
import reco.model.als.AlsObjective;
import reco.model.als.ConfidenceFunction;
import reco.model.generation.EmbeddingMatrix;
import reco.model.generation.Generation;
import reco.model.generation.Manifest;

import java.util.EnumMap;
import java.util.Map;

/**
 * Fold-in for embedding models: solves a user vector from weighted items with exactly the equation
 * the trainer's user step solves (objective and item Gram matrix stored in the generation), so a
 * user folded in from their history matches the trained vector up to solver tolerance.
 */
public final class EmbeddingFoldIn implements Recommender.FoldIn {
    private final Map<ModelKind, AlsFoldIn> solvers = new EnumMap<>(ModelKind.class);
    private final Map<ModelKind, AlsObjective> objectives = new EnumMap<>(ModelKind.class);
    private final Map<ModelKind, double[]> grams = new EnumMap<>(ModelKind.class);
    private final Map<ModelKind, EmbeddingMatrix> itemFactors = new EnumMap<>(ModelKind.class);

    public EmbeddingFoldIn(Generation generation) {
        for (Manifest.ModelEntry m : generation.manifest().models()) {
            ModelKind kind = ModelKind.fromId(m.name());
            EmbeddingMatrix items = generation.itemEmbeddings(kind);
            if (items == null || m.parameters() == null || !(m.parameters().get("objective") instanceof Map<?, ?> o)) {
                continue;
            }
            float[] gramF = items.gram();
            if (gramF == null) {
                continue;
            }
            double[] gram = new double[gramF.length];
            for (int i = 0; i < gram.length; i++) {
                gram[i] = gramF[i];
            }
            AlsObjective objective = new AlsObjective(number(o, "regularization"), number(o, "alpha"),
                    ConfidenceFunction.valueOf(String.valueOf(o.get("confidence"))), number(o, "logEpsilon"),
                    number(o, "regularizationExponent"));
            solvers.put(kind, new AlsFoldIn(items, gram, objective));
            objectives.put(kind, objective);
            grams.put(kind, gram);
            itemFactors.put(kind, items);
        }
    }

    private static double number(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalStateException("manifest objective lacks '" + key + "'");
        }
        return n.doubleValue();
    }

    public boolean supports(ModelKind model) {
        return solvers.containsKey(model);
    }

    /**
     * The Hu-Koren-Volinsky decomposition of the folded-in user's scores (see {@link AlsExplanation}),
     * or null when {@code model} has no stored objective or {@code count} is 0.
     */
    public AlsExplanation explanation(ModelKind model, int[] items, float[] weights, int count) {
        AlsObjective objective = objectives.get(model);
        if (objective == null || count == 0) {
            return null;
        }
        return AlsExplanation.prepare(itemFactors.get(model), grams.get(model), objective,
                java.util.Arrays.copyOf(items, count), java.util.Arrays.copyOf(weights, count));
    }

    @Override
    public float[] userVector(Generation generation, ModelKind model, int[] items, float[] weights, int count) {
        AlsFoldIn solver = solvers.get(model);
        if (solver == null || count == 0) {
            return null;
        }
        return solver.foldIn(java.util.Arrays.copyOf(items, count), java.util.Arrays.copyOf(weights, count));
    }
}
