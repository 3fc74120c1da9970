package reco.model.scoring;

import reco.model.generation.ItemCatalog;

/**
 * Which items a request may return: not excluded, in the allow-list when there is one, with at least
 * one of the included categories when any are given, and with none of the excluded categories.
 * Built per request from dense indexes; never materialises the catalogue.
 */
public final class ItemFilter {
    public static final ItemFilter ALLOW_ALL = new ItemFilter(null, null, null, null, null);

    private IntSet blocked; // shared, read-only: a generation's block list (not copied per request)
    private final IntSet excluded;
    private final IntSet allowed;
    private final int[] includeCategories;
    private final int[] excludeCategories;
    private final ItemCatalog catalog;

    private ItemFilter(IntSet excluded, IntSet allowed, int[] includeCategories, int[] excludeCategories,
                       ItemCatalog catalog) {
        this.excluded = excluded;
        this.allowed = allowed;
        this.includeCategories = includeCategories;
        this.excludeCategories = excludeCategories;
        this.catalog = catalog;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean accepts(int item) {
        if (blocked != null && blocked.contains(item)) {
            return false;
        }
        if (excluded != null && excluded.contains(item)) {
            return false;
        }
        if (allowed != null && !allowed.contains(item)) {
            return false;
        }
        if (includeCategories != null) {
            boolean any = false;
            for (int c : includeCategories) {
                if (catalog.hasCategory(item, c)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        if (excludeCategories != null) {
            for (int c : excludeCategories) {
                if (catalog.hasCategory(item, c)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True when an allow-list restricts candidates (scorers may then iterate it instead of all items). */
    public boolean hasAllowList() {
        return allowed != null;
    }

    /** Collects request restrictions; unknown ids must be dropped by the caller beforehand. */
    public static final class Builder {
        private IntSet excluded;
        private IntSet allowed;
        private int[] includeCategories;
        private int[] excludeCategories;
        private ItemCatalog catalog;
        private IntSet blocked;

        /** Items never to return, shared and not copied (e.g. a generation's block list); null or empty: none. */
        public Builder block(IntSet items) {
            this.blocked = items == null || items.size() == 0 ? null : items;
            return this;
        }

        public Builder exclude(int item) {
            if (excluded == null) {
                excluded = new IntSet(16);
            }
            excluded.add(item);
            return this;
        }

        /** Restricts to an allow-list (an empty one allows nothing). */
        public Builder allow(int item) {
            if (allowed == null) {
                allowed = new IntSet(16);
            }
            allowed.add(item);
            return this;
        }

        /** Marks that an allow-list was given even if none of its ids is known (so nothing qualifies). */
        public Builder allowListGiven() {
            if (allowed == null) {
                allowed = new IntSet(4);
            }
            return this;
        }

        public Builder categories(ItemCatalog catalog, int[] include, int[] exclude) {
            this.catalog = catalog;
            this.includeCategories = include == null || include.length == 0 ? null : include;
            this.excludeCategories = exclude == null || exclude.length == 0 ? null : exclude;
            return this;
        }

        public ItemFilter build() {
            if (excluded == null && allowed == null && includeCategories == null && excludeCategories == null
                    && blocked == null) {
                return ALLOW_ALL;
            }
            ItemFilter f = new ItemFilter(excluded, allowed, includeCategories, excludeCategories, catalog);
            f.blocked = blocked;
            return f;
        }
    }
}
