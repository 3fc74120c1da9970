package reco.cli;

import picocli.CommandLine.Option;
import reco.trainer.pipeline.ContextSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;

/** Time-of-day and business-rule options of `reco train`; defaults in {@link ContextSettings#defaults()}. */
public final class ContextOptions {
    @Option(names = "--time-zone", paramLabel = "ZONE",
            description = "Time zone for the hour-of-day / weekday-weekend popularity profile, e.g. Europe/Paris "
                    + "(default UTC). Requests' context_time is binned in the same zone.")
    String timeZone;

    @Option(names = "--block-list", paramLabel = "FILE",
            description = "Item ids never to recommend, one per line ('#' comments); copied into the generation as "
                    + "block-list.txt, applied by the server to every response.")
    Path blockList;

    public ContextSettings toSettings() {
        ContextSettings s = ContextSettings.defaults();
        if (timeZone != null) {
            try {
                s = s.withTimeZone(ZoneId.of(timeZone.trim()));
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("--time-zone: '" + timeZone + "' is not a time zone id (e.g. UTC, Europe/Paris)");
            }
        }
        if (blockList != null) {
            if (!Files.isRegularFile(blockList)) {
                throw new IllegalArgumentException("--block-list: no such file " + blockList);
            }
            s = s.withBlockList(blockList);
        }
        return s;
    }
}
