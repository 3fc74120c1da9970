package reco.trainer.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Growable two-way mapping between external string ids and dense indexes 0..size-1, in first-seen
 * order. The trainer's in-memory counterpart of the generation's id files.
 */
public final class IdDictionary {
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> ids = new ArrayList<>();

    /** Returns the index of {@code id}, adding it when new. */
    public int add(String id) {
        Integer existing = index.get(id);
        if (existing != null) {
            return existing;
        }
        int next = ids.size();
        index.put(id, next);
        ids.add(id);
        return next;
    }

    /** Index of {@code id}, or -1 when unknown. */
    public int indexOf(String id) {
        Integer i = index.get(id);
        return i == null ? -1 : i;
    }

    public String id(int index) {
        return ids.get(index);
    }

    public int size() {
        return ids.size();
    }

    /** The ids in index order (a read-only view). */
    public List<String> ids() {
        return java.util.Collections.unmodifiableList(ids);
    }
}
