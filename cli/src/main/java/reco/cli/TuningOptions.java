package reco.cli;

import picocli.CommandLine.Option;
import reco.trainer.tuning.Tuner;

import java.time.Duration;

/** Built-in tuning at train time: on by default, bounded by a time budget. */
public final class TuningOptions {
    /** Default search budget: leaves room for the retrain within a minute on small data sets and two cores. */
    static final String DEFAULT_BUDGET = "30s";

    @Option(names = "--tune-budget", paramLabel = "DURATION", defaultValue = DEFAULT_BUDGET,
            converter = Durations.Converter.class,
            description = "Time the built-in tuning may spend before the final training (default ${DEFAULT-VALUE}): it "
                    + "carves a validation split from the training data (the latest positives per user, or a seeded random "
                    + "choice without timestamps), searches the input transform, each model's parameters and the hybrid "
                    + "blend by NDCG@20 on it, then trains on all the data with the winner. Values given as flags or in "
                    + "--params are kept as given.")
    Duration budget;

    @Option(names = "--no-tune", description = "Train with the given settings and defaults, without tuning.")
    boolean noTune;

    @Option(names = "--tune-users", paramLabel = "N", defaultValue = "" + Tuner.Options.DEFAULT_MAX_USERS,
            description = "Validation users scored by the tuning, a seeded sample when there are more (default ${DEFAULT-VALUE}).")
    int users;

    /** The tuning to run, or null with --no-tune. */
    Tuner.Options toOptions(long seed) {
        if (noTune) {
            return null;
        }
        if (budget.isZero() || budget.isNegative()) {
            throw new IllegalArgumentException("--tune-budget must be more than 0, got " + budget);
        }
        if (users < 1) {
            throw new IllegalArgumentException("--tune-users must be >= 1, got " + users);
        }
        return new Tuner.Options(budget.toNanos() / 1e9, seed, users);
    }
}
