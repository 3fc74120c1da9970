package reco.model.als;

/**
 * How a raw interaction strength r > 0 becomes the confidence weight of implicit ALS
 * (Hu, Koren &amp; Volinsky 2008, section 4): {@code c = 1 + alpha * f(r)}.
 */
public enum ConfidenceFunction {
    /** {@code f(r) = r}: confidence grows linearly with the strength (e.g. a play count). */
    LINEAR,
    /**
     * {@code f(r) = log(1 + r / epsilon)}: dampens heavy users/items whose counts would otherwise dominate
     * (the paper's alternative, eq. 6).
     */
    LOG;

    /** {@code f(r)}; {@code logEpsilon} is only used by {@link #LOG}. */
    public double apply(double strength, double logEpsilon) {
        return switch (this) {
            case LINEAR -> strength;
            case LOG -> Math.log1p(strength / logEpsilon);
        };
    }
}
