package reco.trainer.data;

import java.util.Arrays;

/**
 * Interaction rows in input order, dictionary-encoded: row r says user {@code user[r]} interacted
 * with item {@code item[r]} with {@code weight[r]} (1 when the source has no weight) at
 * {@code timestamp[r]} (unix seconds, 0 when the source has none).
 *
 * <p>The item dictionary is shared with {@link ItemMetadata}, so items that only appear in metadata
 * (cold items) have indexes too.
 */
public final class Interactions {
    public final IdDictionary users;
    public final IdDictionary items;
    private int[] user;
    private int[] item;
    private float[] weight;
    private long[] timestamp;
    private int size;
    private boolean hasWeights;
    private boolean hasTimestamps;

    public Interactions(IdDictionary users, IdDictionary items) {
        this.users = users;
        this.items = items;
        int capacity = 1024;
        user = new int[capacity];
        item = new int[capacity];
        weight = new float[capacity];
        timestamp = new long[capacity];
    }

    public Interactions() {
        this(new IdDictionary(), new IdDictionary());
    }

    /** Appends one row; {@code weight} NaN means "no weight" (stored as 1). */
    public void add(String userId, String itemId, float weight, long timestamp) {
        add(users.add(userId), items.add(itemId), weight, timestamp);
    }

    public void add(int u, int i, float w, long ts) {
        if (size == user.length) {
            int capacity = Math.max(1024, size + (size >> 1));
            user = Arrays.copyOf(user, capacity);
            item = Arrays.copyOf(item, capacity);
            weight = Arrays.copyOf(weight, capacity);
            timestamp = Arrays.copyOf(timestamp, capacity);
        }
        user[size] = u;
        item[size] = i;
        if (Float.isNaN(w)) {
            weight[size] = 1f;
        } else {
            weight[size] = w;
            hasWeights = true;
        }
        timestamp[size] = ts;
        if (ts != 0) {
            hasTimestamps = true;
        }
        size++;
    }

    public int size() { return size; }
    public int user(int row) { return user[row]; }
    public int item(int row) { return item[row]; }
    public float weight(int row) { return weight[row]; }
    public long timestamp(int row) { return timestamp[row]; }
    /** True when at least one row carried an explicit weight. */
    public boolean hasWeights() { return hasWeights; }
    /** True when at least one row carried a non-zero timestamp. */
    public boolean hasTimestamps() { return hasTimestamps; }
    public int userCount() { return users.size(); }
    public int itemCount() { return items.size(); }
}
