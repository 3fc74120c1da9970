package reco.trainer.models.context;

import org.junit.jupiter.api.Test;
import reco.model.generation.TimeOfDayProfile;
import reco.trainer.data.Interactions;

import java.time.ZoneId;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TimeOfDayTrainerTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    /** Monday 2024-01-08 10:00 UTC (weekday bin 10). */
    private static final long MONDAY_10AM = 1704708000L;
    /** Saturday 2024-01-06 15:30 UTC (weekend bin 24 + 15). */
    private static final long SATURDAY_3PM = 1704555000L;

    @Test
    void binsByHourAndWeekendInTheZone() {
        assertEquals(10, TimeOfDayProfile.bin(MONDAY_10AM, UTC));
        assertEquals(24 + 15, TimeOfDayProfile.bin(SATURDAY_3PM, UTC));
        assertEquals(24 + 16, TimeOfDayProfile.bin(SATURDAY_3PM, ZoneId.of("Europe/Paris")));
        // Monday 00:30 UTC is still Sunday evening in New York
        assertEquals(24 + 19, TimeOfDayProfile.bin(MONDAY_10AM - 9 * 3600 - 1800, ZoneId.of("America/New_York")));
        assertEquals("this evening", TimeOfDayProfile.describe(20));
        assertEquals("on weekend mornings", TimeOfDayProfile.describe(24 + 9));
    }

    @Test
    void knownAnswerWithSmoothingTowardTheCategory() {
        Interactions in = new Interactions();
        // item a (Drama): 3 x Monday 10h, 1 x Saturday 15h; item b (Drama): 1 x Monday 10h; row without time ignored
        in.add("u1", "a", 1f, MONDAY_10AM);
        in.add("u2", "a", 1f, MONDAY_10AM + 60);
        in.add("u3", "a", 1f, MONDAY_10AM + 120);
        in.add("u4", "a", 1f, SATURDAY_3PM);
        in.add("u5", "b", 1f, MONDAY_10AM);
        in.add("u6", "b", 1f, 0);
        double itemPrior = 2, categoryPrior = 4;
        TimeOfDayModel m = TimeOfDayTrainer.train(in, 2, List.of(List.of("Drama"), List.of("Drama")),
                Float.NEGATIVE_INFINITY, UTC, itemPrior, categoryPrior);
        int bins = TimeOfDayProfile.BINS;
        assertEquals(5, m.interactionsBinned());
        // global: N = 5, bin 10 holds 4, bin 39 holds 1; g = (N(b) + 1) / (N + 48)
        double g10 = 5.0 / 53, g39 = 2.0 / 53, g0 = 1.0 / 53;
        assertEquals(g10, m.global()[10], 1e-7);
        // Drama = every interaction: p = (n(b) + 4 g(b)) / (5 + 4)
        double c10 = (4 + 4 * g10) / 9, c39 = (1 + 4 * g39) / 9, c0 = (4 * g0) / 9;
        assertEquals(c10 / g10, m.categoryRelative()[10], 1e-5);
        // item a: n = 4, prior = Drama's profile; p = (n(b) + 2 q(b)) / (4 + 2)
        assertEquals(((3 + 2 * c10) / 6) / g10, m.itemRelative()[10], 1e-5);
        assertEquals(((1 + 2 * c39) / 6) / g39, m.itemRelative()[39], 1e-5);
        assertEquals(((2 * c0) / 6) / g0, m.itemRelative()[0], 1e-5);
        // item b: n = 1
        assertEquals(((1 + 2 * c10) / 3) / g10, m.itemRelative()[bins + 10], 1e-5);
    }

    @Test
    void noTimestampsNoProfile() {
        Interactions in = new Interactions();
        in.add("u", "a", 1f, 0);
        assertNull(TimeOfDayTrainer.train(in, 1, null, Float.NEGATIVE_INFINITY, UTC, 20, 50));
    }
}
