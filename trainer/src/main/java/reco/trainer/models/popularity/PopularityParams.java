package reco.trainer.models.popularity;

/**
 * Parameters of the popularity model.
 *
 * @param recencyHalfLifeDays age (relative to the newest timestamp in the data) at which an
 *     interaction counts half in the recency-weighted score; a month by default, so the "trending"
 *     ranking follows what is popular now rather than all-time hits
 */
public record PopularityParams(double recencyHalfLifeDays) {
    public static final double DEFAULT_RECENCY_HALF_LIFE_DAYS = 30.0;
    /** Upper bound keeps 2^(-age/halfLife) meaningful; a century is "no decay" in practice. */
    public static final double MAX_RECENCY_HALF_LIFE_DAYS = 36_500.0;

    public PopularityParams {
        if (!(recencyHalfLifeDays > 0) || recencyHalfLifeDays > MAX_RECENCY_HALF_LIFE_DAYS) {
            throw new IllegalArgumentException("recencyHalfLifeDays = " + recencyHalfLifeDays
                    + ": must be in (0, " + MAX_RECENCY_HALF_LIFE_DAYS + "] days");
        }
    }

    public static PopularityParams defaults() {
        return new PopularityParams(DEFAULT_RECENCY_HALF_LIFE_DAYS);
    }

    public double recencyHalfLifeSeconds() {
        return recencyHalfLifeDays * 86_400.0;
    }
}
