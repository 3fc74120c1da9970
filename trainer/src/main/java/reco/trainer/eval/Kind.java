package reco.trainer.eval;

/** Whether a dataset holds ratings (positives are ratings >= 4.0) or implicit feedback (every row is positive). */
public enum Kind {
    EXPLICIT("explicit"),
    IMPLICIT("implicit");

    private final String jsonName;

    Kind(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in meta.json and on the command line. */
    public String jsonName() {
        return jsonName;
    }

    /**
     * Parses {@code "explicit"} or {@code "implicit"} (exact spelling, as split.py's --kind choices).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Kind parse(String name) {
        for (Kind kind : values()) {
            if (kind.jsonName.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("kind must be one of explicit, implicit; got " + name);
    }
}
