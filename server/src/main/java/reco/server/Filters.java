package reco.server;

import reco.model.generation.Generation;
import reco.model.generation.ItemCatalog;
import reco.model.scoring.ItemFilter;
import reco.v1.Filter;

/**
 * Converts a request {@link Filter} into an {@link ItemFilter} over the generation's dense indexes.
 * Unknown item ids are ignored (an allow-list of only unknown ids allows nothing); an unknown
 * category in include_categories matches no item, one in exclude_categories excludes nothing. Items
 * on the generation's block list are never accepted.
 */
final class Filters {
    private Filters() {}

    static ItemFilter toItemFilter(Generation generation, Filter filter) {
        boolean blocking = generation.blockList().size() > 0;
        if (!blocking && filter.getExcludeItemIdsCount() == 0 && filter.getAllowItemIdsCount() == 0
                && filter.getIncludeCategoriesCount() == 0 && filter.getExcludeCategoriesCount() == 0) {
            return ItemFilter.ALLOW_ALL;
        }
        ItemCatalog catalog = generation.catalog();
        int[] include = null;
        if (filter.getIncludeCategoriesCount() > 0) {
            include = categoryIds(catalog, filter.getIncludeCategoriesList());
            if (include.length == 0) {
                return nothing();
            }
        }
        int[] exclude = filter.getExcludeCategoriesCount() > 0 ? categoryIds(catalog, filter.getExcludeCategoriesList()) : null;

        // the generation's block list (block-list.txt) applies to every request, filter or not
        ItemFilter.Builder b = ItemFilter.builder().block(generation.blockList().items());
        for (String id : filter.getExcludeItemIdsList()) {
            int item = generation.itemIndex().indexOf(id);
            if (item >= 0) {
                b.exclude(item);
            }
        }
        if (filter.getAllowItemIdsCount() > 0) {
            b.allowListGiven();
            for (String id : filter.getAllowItemIdsList()) {
                int item = generation.itemIndex().indexOf(id);
                if (item >= 0) {
                    b.allow(item);
                }
            }
        }
        if (catalog != null && (include != null || exclude != null && exclude.length > 0)) {
            b.categories(catalog, include, exclude);
        }
        return b.build();
    }

    /** An empty allow-list: no item qualifies. */
    private static ItemFilter nothing() {
        return ItemFilter.builder().allowListGiven().build();
    }

    /** Known category ids of {@code names} (none when the generation has no catalogue). */
    private static int[] categoryIds(ItemCatalog catalog, java.util.List<String> names) {
        if (catalog == null) {
            return new int[0];
        }
        int[] ids = new int[names.size()];
        int n = 0;
        for (String name : names) {
            int c = catalog.categoryId(name);
            if (c >= 0) {
                ids[n++] = c;
            }
        }
        return java.util.Arrays.copyOf(ids, n);
    }
}
