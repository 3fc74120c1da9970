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
    /**
     * Chronicle Map, external item id -> dense index: written by trainers before format 2, still
     * verified (its checksum) when listed, never read ({@link IdIndex} answers from the id list).
     */
    public static final String ITEM_INDEX = "item-index.chm";
    /** As {@link #ITEM_INDEX}, for user ids. */
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
    /** Prefix of a CURRENT being replaced ({@code CURRENT.tmp-PID}); removed by the next trainer run. */
    public static final String CURRENT_TEMP_PREFIX = CURRENT + ".tmp-";
    /**
     * The model root's lock file: a trainer holds an OS lock on it from the moment it starts writing a
     * generation until it has published (or abandoned) it, so two trainers never touch one root at once.
     */
    public static final String LOCK = "LOCK";
    /** Prefix of the directories {@link GenerationWriter} creates (the rest is the creation time, UTC). */
    public static final String GENERATION_PREFIX = "gen-";
    /** Longest generation name (it is stored in every file header). */
    public static final int MAX_GENERATION_NAME = reco.model.format.ModelFileFormat.MAX_GENERATION_ID_BYTES;
    /** Longest manifest, in bytes: a manifest is a few KB; anything near this is not one. */
    static final long MAX_MANIFEST_BYTES = 16 << 20;

    public static final String FORMAT_IDS = "reco.ids";
    public static final String FORMAT_ITEM_CATALOG = "reco.item-catalog";
    public static final String FORMAT_USER_HISTORIES = "reco.user-histories";
    public static final String FORMAT_POPULARITY = "reco.popularity";
    public static final String FORMAT_NEIGHBORS = "reco.neighbors";
    public static final String FORMAT_EMBEDDINGS = "reco.embeddings";
    public static final String FORMAT_TIME_OF_DAY = "reco.time-of-day";

    private GenerationFiles() {}

    /**
     * True for a name that can only denote an entry of its own directory: 1..255 characters, none of
     * them a path separator, NUL or control character, and not {@code .} or {@code ..}.
     */
    public static boolean isPlainFileName(String name) {
        if (name == null || name.isEmpty() || name.length() > 255 || name.equals(".") || name.equals("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * True for a name CURRENT may hold: 1..{@value #MAX_GENERATION_NAME} characters of
     * {@code [A-Za-z0-9._-]}, not starting with '.' (so never a temporary directory, {@code ..} or a
     * hidden entry).
     */
    public static boolean isGenerationName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_GENERATION_NAME || name.charAt(0) == '.') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Neighbour lists of a model, e.g. {@code neighbors-content.bin}. */
    public static String neighbors(String model) {
        return "neighbors-" + model + ".bin";
    }

    /** An embedding matrix, e.g. {@code embeddings-als-items.bin}. */
    public static String embeddings(String name) {
        return "embeddings-" + name + ".bin";
    }
}
