package reco.server;

import com.google.protobuf.Timestamp;
import reco.model.generation.Generation;
import reco.model.generation.ItemCatalog;
import reco.model.scoring.RerankOptions;
import reco.v1.RecommendForItemsRequest;
import reco.v1.RecommendForUserRequest;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The re-ranking, context and business-rule fields of recommend requests (diversity,
 * exploration_share, seed, context_time, context_weight, category_boosts, explain): validated before
 * any model work, then converted to {@link RerankOptions} against the served generation.
 */
final class RerankRequests {
    static final int MAX_CATEGORY_BOOSTS = 1000;
    /** context_time bounds: protobuf Timestamp's valid range (years 1..9999). */
    private static final long MIN_SECONDS = -62_135_596_800L;
    private static final long MAX_SECONDS = 253_402_300_799L;

    private RerankRequests() {}

    /** The knob fields of one request, whichever message carries them. */
    record Knobs(float diversity, float explorationShare, long seed, Timestamp contextTime, boolean hasContextTime,
                 float contextWeight, Map<String, Float> categoryBoosts, boolean explain) {
        boolean any() {
            return diversity != 0 || explorationShare != 0 || contextWeight != 0 || !categoryBoosts.isEmpty() || explain;
        }
    }

    static Knobs of(RecommendForUserRequest r) {
        return new Knobs(r.getDiversity(), r.getExplorationShare(), r.getSeed(), r.getContextTime(), r.hasContextTime(),
                r.getContextWeight(), r.getCategoryBoostsMap(), r.getExplain());
    }

    static Knobs of(RecommendForItemsRequest r) {
        return new Knobs(r.getDiversity(), r.getExplorationShare(), r.getSeed(), r.getContextTime(), r.hasContextTime(),
                r.getContextWeight(), r.getCategoryBoostsMap(), r.getExplain());
    }

    /** INVALID_ARGUMENT naming the field, value and range for every out-of-contract knob. */
    static void validate(Knobs k) {
        unit("diversity", k.diversity());
        unit("exploration_share", k.explorationShare());
        unit("context_weight", k.contextWeight());
        if (k.hasContextTime()) {
            Timestamp t = k.contextTime();
            if (t.getSeconds() < MIN_SECONDS || t.getSeconds() > MAX_SECONDS || t.getNanos() < 0 || t.getNanos() > 999_999_999) {
                throw Statuses.invalidArgument("context_time must be a valid timestamp (years 1..9999), got "
                        + t.getSeconds() + "s " + t.getNanos() + "ns");
            }
        }
        RequestValidation.size("category_boosts", k.categoryBoosts().size(), 0, MAX_CATEGORY_BOOSTS);
        for (Map.Entry<String, Float> e : k.categoryBoosts().entrySet()) {
            RequestValidation.id("category_boosts key", e.getKey());
            float v = e.getValue();
            if (!(v >= 0 && v <= RerankOptions.MAX_BOOST)) {
                throw Statuses.invalidArgument("category_boosts['" + e.getKey() + "'] must be in [0, "
                        + RerankOptions.MAX_BOOST + "], got " + v);
            }
        }
    }

    private static void unit(String field, float v) {
        if (!(v >= 0 && v <= 1)) {
            throw Statuses.invalidArgument(field + " must be in [0, 1], got " + v);
        }
    }

    /** Options for a validated request; category names the generation does not know are ignored. */
    static RerankOptions options(Generation g, Knobs k) {
        Map<Integer, Float> boosts = new HashMap<>();
        ItemCatalog catalog = g.catalog();
        if (catalog != null) {
            for (Map.Entry<String, Float> e : k.categoryBoosts().entrySet()) {
                int c = catalog.categoryId(e.getKey());
                if (c >= 0) {
                    boosts.put(c, e.getValue());
                }
            }
        }
        long when = k.hasContextTime() ? k.contextTime().getSeconds() : Instant.now().getEpochSecond();
        return new RerankOptions(k.diversity(), k.explorationShare(), k.seed(), k.contextWeight(), when, boosts, k.explain());
    }
}
