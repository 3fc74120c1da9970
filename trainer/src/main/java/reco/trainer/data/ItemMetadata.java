package reco.trainer.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Item content, indexed by the shared item {@link IdDictionary}: a display title, categories (e.g.
 * genres), free-form tags with counts (e.g. MovieLens user tags) and free text (e.g. a description).
 * Any of them may be missing for an item.
 */
public final class ItemMetadata {
    public final IdDictionary items;
    private final List<String> titles = new ArrayList<>();
    private final List<List<String>> categories = new ArrayList<>();
    private final List<List<String>> tags = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();
    private final List<Boolean> described = new ArrayList<>();

    public ItemMetadata(IdDictionary items) {
        this.items = items;
    }

    private void ensure(int index) {
        while (titles.size() <= index) {
            titles.add(null);
            categories.add(List.of());
            tags.add(new ArrayList<>());
            texts.add(null);
            described.add(false);
        }
    }

    /** Sets title, categories and text of an item (from an items file). */
    public int describe(String itemId, String title, List<String> itemCategories, String text) {
        int i = items.add(itemId);
        ensure(i);
        titles.set(i, title);
        categories.set(i, List.copyOf(itemCategories));
        texts.set(i, text);
        described.set(i, true);
        return i;
    }

    /** Adds one tag application (from a tags file); repeated tags count several times. */
    public void addTag(String itemId, String tag) {
        int i = items.add(itemId);
        ensure(i);
        tags.get(i).add(tag);
    }

    /** True when the items file described this item. */
    public boolean isDescribed(int item) { return item < described.size() && described.get(item); }
    public String title(int item) { return item < titles.size() ? titles.get(item) : null; }
    public List<String> categories(int item) { return item < categories.size() ? categories.get(item) : List.of(); }
    public List<String> tags(int item) { return item < tags.size() ? tags.get(item) : List.of(); }
    public String text(int item) { return item < texts.size() ? texts.get(item) : null; }
    /** Number of item indexes that have any metadata slot (may be less than the dictionary size). */
    public int size() { return titles.size(); }
}
