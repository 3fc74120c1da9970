package reco.trainer.io;

/** What an input file holds. */
public enum InputKind {
    /** (user, item[, weight][, timestamp]) rows. */
    INTERACTIONS,
    /** Item descriptions: id, title, categories, text. */
    ITEMS,
    /** Tag applications: item and tag, optionally the tagging user and time. */
    TAGS,
    /** A side file a reader needs, e.g. the MovieLens 100K {@code u.genre} list. */
    AUXILIARY
}
