package reco.trainer.pipeline;

import reco.trainer.models.context.TimeOfDayTrainer;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Training inputs of the context and business-rule features, kept apart from {@link TrainSettings}.
 *
 * @param timeZone zone in which interaction timestamps are binned by hour of day and weekday/weekend
 * @param itemPrior pseudo-interactions pulling an item's time-of-day profile toward its categories'
 * @param categoryPrior pseudo-interactions pulling a category's profile toward the global one
 * @param blockList item ids never to recommend, copied into the generation (null: none)
 */
public record ContextSettings(ZoneId timeZone, double itemPrior, double categoryPrior, Path blockList) {
    public static final ZoneId DEFAULT_TIME_ZONE = ZoneId.of("UTC");

    public ContextSettings {
        Objects.requireNonNull(timeZone, "timeZone");
        if (!(itemPrior > 0 && itemPrior <= 1e6) || !(categoryPrior > 0 && categoryPrior <= 1e6)) {
            throw new IllegalArgumentException("time-of-day priors must be in (0, 1e6], got item " + itemPrior
                    + ", category " + categoryPrior);
        }
    }

    public static ContextSettings defaults() {
        return new ContextSettings(DEFAULT_TIME_ZONE, TimeOfDayTrainer.DEFAULT_ITEM_PRIOR,
                TimeOfDayTrainer.DEFAULT_CATEGORY_PRIOR, null);
    }

    public ContextSettings withTimeZone(ZoneId zone) {
        return new ContextSettings(zone, itemPrior, categoryPrior, blockList);
    }

    public ContextSettings withBlockList(Path file) {
        return new ContextSettings(timeZone, itemPrior, categoryPrior, file);
    }
}
