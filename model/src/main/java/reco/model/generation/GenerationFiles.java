package reco.model.generation;

/**
 * Names of the files in a generation directory and the format name stored in each file's header.
 * A model root holds one directory per generation plus {@value #CURRENT}, a one-line file naming the
 * generation to serve.
 */
public final class GenerationFiles {
    public static final String CURRENT = "CURRENT";
    /** Written last: a generation without it is incomplete and never served. */
    public static final String MANIFEST = "manifest.json";
    public static final String ITEM_IDS = "item-ids.bin";
    public static final String USER_IDS = "user-ids.bin";
    /** Chronicle Map, external item id -> dense index. */
    public static final String ITEM_INDEX = "item-index.chm";
    /** Chronicle Map, external user id -> dense index. */
    public static final String USER_INDEX = "user-index.chm";
    public static final String ITEM_CATALOG = "item-catalog.bin";
    public static final String USER_HISTORIES = "user-histories.bin";
    public static final String POPULARITY = "popularity.bin";
    /** Optional: item and category popularity by hour of day and weekday/weekend ({@link TimeOfDayProfile}). */
    public static final String TIME_OF_DAY = "time-of-day.bin";
    /**
     * Optional: item ids never to recommend, one per line (UTF-8, '#' starts a comment), copied in by
     * the trainer from {@code --block-list}; read when the generation is opened ({@link BlockList}).
     */
    public static final String BLOCK_LIST = "block-list.txt";
    /** Prefix of in-progress generation directories; never served, removed by the next trainer run. */
    public static final String TEMP_PREFIX = ".tmp-";

    public static final String FORMAT_IDS = "reco.ids";
    public static final String FORMAT_ITEM_CATALOG = "reco.item-catalog";
    public static final String FORMAT_USER_HISTORIES = "reco.user-histories";
    public static final String FORMAT_POPULARITY = "reco.popularity";
    public static final String FORMAT_NEIGHBORS = "reco.neighbors";
    public static final String FORMAT_EMBEDDINGS = "reco.embeddings";
    public static final String FORMAT_TIME_OF_DAY = "reco.time-of-day";

    private GenerationFiles() {}

    /** Neighbour lists of a model, e.g. {@code neighbors-content.bin}. */
    public static String neighbors(String model) {
        return "neighbors-" + model + ".bin";
    }

    /** An embedding matrix, e.g. {@code embeddings-als-items.bin}. */
    public static String embeddings(String name) {
        return "embeddings-" + name + ".bin";
    }
}
