package reco.trainer.models.context;

import java.time.ZoneId;

/**
 * A trained time-of-day profile, ready for {@code TimeOfDayProfile.write}: the global share per bin,
 * and relative popularity per item and per category (row-major, {@code TimeOfDayProfile.BINS} per row).
 */
public record TimeOfDayModel(float[] global, float[] itemRelative, int items, float[] categoryRelative, int categories,
                             ZoneId zone, long interactionsBinned) {}
