package reco.model.generation;

import reco.model.format.ModelFile;
import reco.model.format.ModelFileWriter;
import reco.model.format.ModelFormatException;
import reco.model.format.SectionType;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * How popularity varies with the time of day: for every item and category, its relative popularity
 * in each of {@value #BINS} bins (hour of day 0..23 x weekday/weekend, in the trainer's time zone).
 * A value of 1 means "as popular at that hour as on average", 2 "twice as likely to be chosen at that
 * hour as an average interaction is". Stored already smoothed (see the trainer's TimeOfDayTrainer):
 * items with few interactions sit close to their categories' profile, categories close to 1.
 *
 * <p>Sections: {@code global} (share of all interactions per bin, sums to 1), {@code items}
 * (items x bins, relative), {@code categories} (catalogue categories x bins, relative, in the
 * catalogue's category numbering), {@code zone} (the time zone id, UTF-8).
 */
public final class TimeOfDayProfile {
    public static final int HOURS = 24;
    /** Hour of day x {weekday, weekend}. */
    public static final int BINS = 2 * HOURS;

    private final MemorySegment global;
    private final MemorySegment items;
    private final MemorySegment categories;
    private final int itemCount;
    private final int categoryCount;
    private final ZoneId zone;

    private TimeOfDayProfile(MemorySegment global, MemorySegment items, MemorySegment categories, int itemCount,
                             int categoryCount, ZoneId zone) {
        this.global = global;
        this.items = items;
        this.categories = categories;
        this.itemCount = itemCount;
        this.categoryCount = categoryCount;
        this.zone = zone;
    }

    /**
     * The bin of a moment: {@code hour + 24} on Saturdays and Sundays, {@code hour} otherwise, with the
     * hour taken in {@code zone}.
     */
    public static int bin(long epochSeconds, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochSecond(epochSeconds).atZone(zone);
        DayOfWeek d = t.getDayOfWeek();
        boolean weekend = d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY;
        return (weekend ? HOURS : 0) + t.getHour();
    }

    /** A few words for a bin, e.g. "this evening" or "on weekend mornings" (for explanations). */
    public static String describe(int bin) {
        int hour = bin % HOURS;
        String part = hour >= 5 && hour < 12 ? "morning" : hour >= 12 && hour < 17 ? "afternoon"
                : hour >= 17 && hour < 22 ? "evening" : "night";
        if (bin >= HOURS) {
            return "on weekend " + (part.equals("night") ? "nights" : part + "s");
        }
        return part.equals("night") ? "tonight" : "this " + part;
    }

    /**
     * Writes a profile.
     *
     * @param global share of interactions per bin ({@value #BINS} values)
     * @param itemRelative items x {@value #BINS}, row-major
     * @param categoryRelative categories x {@value #BINS}, row-major (categories numbered as in the catalogue)
     */
    public static void write(Path file, float[] global, float[] itemRelative, int itemCount, float[] categoryRelative,
                             int categoryCount, ZoneId zone) throws IOException {
        if (global.length != BINS || itemRelative.length != (long) itemCount * BINS
                || categoryRelative.length != (long) categoryCount * BINS) {
            throw new IllegalArgumentException("time-of-day arrays must hold " + BINS + " values per row: global "
                    + global.length + ", items " + itemRelative.length + " for " + itemCount + ", categories "
                    + categoryRelative.length + " for " + categoryCount);
        }
        ModelFileWriter.requireFinite(file, "share of interactions", global, BINS);
        ModelFileWriter.requireFinite(file, "relative popularity (item x bin)", itemRelative, BINS);
        ModelFileWriter.requireFinite(file, "relative popularity (category x bin)", categoryRelative, BINS);
        byte[] zoneBytes = zone.getId().getBytes(StandardCharsets.UTF_8);
        try (ModelFileWriter w = ModelFileWriter.create(file, GenerationFiles.FORMAT_TIME_OF_DAY)) {
            w.declare("global", SectionType.FLOAT32, BINS)
                    .declare("items", SectionType.FLOAT32, itemRelative.length)
                    .declare("categories", SectionType.FLOAT32, categoryRelative.length)
                    .declare("zone", SectionType.BYTES, zoneBytes.length)
                    .begin();
            w.putFloats(global);
            w.putFloats(itemRelative);
            w.putFloats(categoryRelative);
            w.putBytes(zoneBytes);
        }
    }

    /**
     * Opens a profile for {@code itemCount} items and {@code categoryCount} catalogue categories
     * (0 without a catalogue).
     */
    public static TimeOfDayProfile open(ModelFile file, int itemCount, int categoryCount) throws ModelFormatException {
        MemorySegment global = file.section("global", SectionType.FLOAT32, BINS).segment();
        MemorySegment items = file.section("items", SectionType.FLOAT32, (long) itemCount * BINS).segment();
        MemorySegment categories = file.section("categories", SectionType.FLOAT32, (long) categoryCount * BINS).segment();
        ModelFile.Section zoneSection = file.section("zone", SectionType.BYTES);
        String zoneId = new String(zoneSection.segment().toArray(ModelFile.BYTE), StandardCharsets.UTF_8);
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneId);
        } catch (DateTimeException e) {
            throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, file.path(), "unknown time zone '" + zoneId + "'");
        }
        file.checkFloats(items.asSlice(0, (long) itemCount * BINS * Float.BYTES), 0f, "relative popularity (item x bin)");
        file.checkFloats(global, 0f, "share of interactions (bin)");
        file.checkFloats(categories, 0f, "relative popularity (category x bin)");
        return new TimeOfDayProfile(global, items, categories, itemCount, categoryCount, zone);
    }

    /** The time zone the trainer binned interactions in (requests are binned in it too). */
    public ZoneId zone() { return zone; }
    public int itemCount() { return itemCount; }
    public int categoryCount() { return categoryCount; }

    /** The bin of a moment in this profile's time zone. */
    public int bin(long epochSeconds) {
        return bin(epochSeconds, zone);
    }

    /** Share of all training interactions that fell in {@code bin}. */
    public float globalShare(int bin) {
        return global.getAtIndex(ModelFile.FLOAT, bin);
    }

    /** The item's smoothed popularity in {@code bin} relative to its average (1 = no time-of-day effect). */
    public float itemRelative(int item, int bin) {
        return items.getAtIndex(ModelFile.FLOAT, (long) item * BINS + bin);
    }

    /** The category's smoothed popularity in {@code bin} relative to its average. */
    public float categoryRelative(int category, int bin) {
        return categories.getAtIndex(ModelFile.FLOAT, (long) category * BINS + bin);
    }
}
