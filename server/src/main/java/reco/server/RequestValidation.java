package reco.server;

import reco.v1.Filter;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The request limits of recommender.proto, checked before any model work. Every violation is an
 * INVALID_ARGUMENT naming the field, the value and the allowed range.
 */
final class RequestValidation {
    static final int MAX_K = 1000;
    static final int MAX_ID_BYTES = 512;
    static final int MAX_ITEM_IDS = 1000;
    static final int MAX_RECENT_ITEM_IDS = 1000;
    static final int MAX_FILTER_LIST = 10_000;
    static final int MAX_BATCH = 1000;

    private RequestValidation() {}

    static int k(int k) {
        if (k < 1 || k > MAX_K) {
            throw Statuses.invalidArgument("k must be 1.." + MAX_K + ", got " + k);
        }
        return k;
    }

    /** A required id: 1..512 bytes of UTF-8. */
    static String id(String field, String value) {
        if (value.isEmpty()) {
            throw Statuses.invalidArgument(field + " is required (an id of 1.." + MAX_ID_BYTES + " bytes of UTF-8)");
        }
        int bytes = utf8Length(value);
        if (bytes > MAX_ID_BYTES) {
            throw Statuses.invalidArgument(field + " is " + bytes + " bytes of UTF-8; at most " + MAX_ID_BYTES + " allowed");
        }
        return value;
    }

    /** A list of ids with {@code min..max} entries, each a valid id. */
    static void ids(String field, List<String> values, int min, int max) {
        size(field, values.size(), min, max);
        for (int i = 0; i < values.size(); i++) {
            id(field + "[" + i + "]", values.get(i));
        }
    }

    static void size(String field, int size, int min, int max) {
        if (size < min || size > max) {
            throw Statuses.invalidArgument(field + " must have " + min + ".." + max + " entries, got " + size);
        }
    }

    static void batch(int size) {
        size("requests", size, 1, MAX_BATCH);
    }

    /** List lengths and ids of a filter; a category both included and excluded is a conflict. */
    static void filter(Filter filter) {
        ids("filter.exclude_item_ids", filter.getExcludeItemIdsList(), 0, MAX_FILTER_LIST);
        ids("filter.allow_item_ids", filter.getAllowItemIdsList(), 0, MAX_FILTER_LIST);
        size("filter.include_categories", filter.getIncludeCategoriesCount(), 0, MAX_FILTER_LIST);
        size("filter.exclude_categories", filter.getExcludeCategoriesCount(), 0, MAX_FILTER_LIST);
        if (filter.getIncludeCategoriesCount() > 0 && filter.getExcludeCategoriesCount() > 0) {
            Set<String> included = new HashSet<>(filter.getIncludeCategoriesList());
            for (String c : filter.getExcludeCategoriesList()) {
                if (included.contains(c)) {
                    throw Statuses.invalidArgument("conflicting filter: category '" + c
                            + "' is in both include_categories and exclude_categories");
                }
            }
        }
    }

    /** UTF-8 length without encoding (ids are checked on every request). */
    static int utf8Length(CharSequence s) {
        int n = s.length();
        int bytes = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3; // a BMP char, or a lone surrogate (encoded as '?' = 1 byte; 3 is the safe bound)
            }
        }
        return bytes;
    }
}
