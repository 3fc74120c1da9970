package reco.model;

import java.util.Locale;

/**
 * The models a generation can hold. {@link #id} is the stable name used in file names, the
 * manifest and on the command line.
 */
public enum ModelKind {
    POPULARITY("popularity"),
    CONTENT("content"),
    ITEM_KNN("item-knn"),
    ALS("als"),
    EASE("ease"),
    HYBRID("hybrid");

    public final String id;

    ModelKind(String id) {
        this.id = id;
    }

    public static ModelKind fromId(String id) {
        String norm = id.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (ModelKind k : values()) {
            if (k.id.equals(norm)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown model '" + id + "'; expected one of popularity, content, item-knn, als, ease, hybrid");
    }

    @Override
    public String toString() {
        return id;
    }
}
