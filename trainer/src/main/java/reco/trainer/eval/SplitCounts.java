package reco.trainer.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code counts} block of meta.json, in split.py's key order. Users and items are distinct ids.
 *
 * @param testItemsNotInTrain distinct held-out items that occur in no train row
 * @param testRowsItemNotInTrain held-out pairs whose item occurs in no train row
 */
public record SplitCounts(long rows, long users, long items, long positives, long trainRows, long trainUsers,
        long trainItems, long testRows, long testUsers, long testItemsNotInTrain, long testRowsItemNotInTrain) {

    /** meta.json key -> value, in split.py's order. */
    public Map<String, Long> asMap() {
        Map<String, Long> map = new LinkedHashMap<>();
        map.put("rows", rows);
        map.put("users", users);
        map.put("items", items);
        map.put("positives", positives);
        map.put("train_rows", trainRows);
        map.put("train_users", trainUsers);
        map.put("train_items", trainItems);
        map.put("test_rows", testRows);
        map.put("test_users", testUsers);
        map.put("test_items_not_in_train", testItemsNotInTrain);
        map.put("test_rows_item_not_in_train", testRowsItemNotInTrain);
        return map;
    }
}
