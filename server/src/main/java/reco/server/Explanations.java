package reco.server;

import reco.model.ModelKind;
import reco.model.generation.Generation;
import reco.model.generation.ItemCatalog;
import reco.model.scoring.ContextualRanker;
import reco.model.scoring.Explainer;
import reco.model.scoring.Explanation;
import reco.model.scoring.Recommender;
import reco.v1.Contribution;
import reco.v1.ExplainRequest;
import reco.v1.ExplainResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Explain RPC and the per-generation {@link ContextualRanker} / {@link Explainer} (built once per
 * served generation, on first use: a swap brings a new {@link Recommender} and so new ones).
 */
final class Explanations {
    static final int DEFAULT_CONTRIBUTIONS = 10;
    static final int MAX_CONTRIBUTIONS = 100;

    private record Tools(Recommender recommender, ContextualRanker ranker) {}

    private final AtomicReference<Tools> tools = new AtomicReference<>();

    ContextualRanker ranker(ServedGeneration.Lease lease) {
        Tools t = tools.get();
        if (t == null || t.recommender() != lease.recommender()) {
            t = new Tools(lease.recommender(), new ContextualRanker(lease.recommender()));
            tools.set(t); // a racing call may build its own: harmless, both are equivalent
        }
        return t.ranker();
    }

    static void validate(ExplainRequest r) {
        boolean user = !r.getUserId().isEmpty();
        boolean items = r.getItemIdsCount() > 0;
        if (user == items) {
            throw Statuses.invalidArgument("exactly one of user_id and item_ids is required, got "
                    + (user ? "both" : "neither"));
        }
        if (user) {
            RequestValidation.id("user_id", r.getUserId());
            RequestValidation.ids("recent_item_ids", r.getRecentItemIdsList(), 0, RequestValidation.MAX_RECENT_ITEM_IDS);
        } else {
            if (r.getRecentItemIdsCount() > 0) {
                throw Statuses.invalidArgument("recent_item_ids goes with user_id; for a session put every item in item_ids");
            }
            RequestValidation.ids("item_ids", r.getItemIdsList(), 1, RequestValidation.MAX_ITEM_IDS);
        }
        RequestValidation.id("item_id", r.getItemId());
        ModelKinds.fromProto(r.getModel());
        if (r.getMaxContributions() < 0 || r.getMaxContributions() > MAX_CONTRIBUTIONS) {
            throw Statuses.invalidArgument("max_contributions must be 0.." + MAX_CONTRIBUTIONS + " (0 means "
                    + DEFAULT_CONTRIBUTIONS + "), got " + r.getMaxContributions());
        }
    }

    ExplainResponse explain(ServedGeneration.Lease lease, ExplainRequest r) {
        Generation g = lease.generation();
        Recommender recommender = lease.recommender();
        ModelKind model = recommender.resolve(ModelKinds.fromProto(r.getModel()));
        int target = g.itemIndex().indexOf(r.getItemId());
        if (target < 0) {
            throw Statuses.notFound("item_id '" + r.getItemId() + "' is not in generation " + g.id());
        }
        int user = -1;
        int[] recent;
        if (!r.getUserId().isEmpty()) {
            user = g.userIndex().indexOf(r.getUserId());
            recent = known(g, r.getRecentItemIdsList());
            if (user < 0 && recent.length == 0) {
                throw Statuses.notFound("user_id '" + r.getUserId() + "' is not in generation " + g.id()
                        + " and no recent_item_ids are known");
            }
        } else {
            recent = known(g, r.getItemIdsList());
            if (recent.length == 0) {
                throw Statuses.notFound("none of the " + r.getItemIdsCount() + " item_ids is in generation " + g.id());
            }
        }
        Explanation e = ranker(lease).explainer().explain(user, recent, target, model);
        int limit = r.getMaxContributions() == 0 ? DEFAULT_CONTRIBUTIONS : r.getMaxContributions();
        ItemCatalog catalog = g.catalog();
        ExplainResponse.Builder out = ExplainResponse.newBuilder()
                .setScore(e.score())
                .setModel(ModelKinds.toProto(e.model()))
                .setGenerationId(g.id())
                .setScaledComponents(e.scaledComponents());
        List<String> reasons = new ArrayList<>();
        for (Explanation.Contribution c : e.contributions()) {
            if (out.getContributionsCount() >= limit) {
                break;
            }
            String title = catalog == null ? "" : catalog.title(c.item());
            Contribution.Builder cb = Contribution.newBuilder()
                    .setItemId(g.itemIds().id(c.item()))
                    .setTitle(title)
                    .setContribution(c.contribution())
                    .setWeight(c.weight())
                    .setSimilarity(c.similarity());
            for (int category : c.sharedCategories()) {
                cb.addSharedCategories(catalog.categoryName(category));
            }
            out.addContributions(cb);
            if (c.contribution() > 0 && reasons.size() < 2) {
                reasons.add(title.isEmpty() ? g.itemIds().id(c.item()) : title);
            }
        }
        out.setReason(reasons.isEmpty() ? "no item of the profile adds to this item's score"
                : (user >= 0 ? "because you watched " : "because of ") + String.join(" and ", reasons));
        return out.build();
    }

    private static int[] known(Generation g, List<String> ids) {
        int[] out = new int[ids.size()];
        int n = 0;
        for (String id : ids) {
            int i = g.itemIndex().indexOf(id);
            if (i >= 0) {
                out[n++] = i;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
