package reco.model.generation;

import java.nio.file.Path;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * The steps of publishing a generation ({@link GenerationWriter#commit}), after each of which the
 * model root must be consistent. Fault-injection tests stop a real trainer process right there:
 * {@code -Dreco.publish.haltAt=STEP} halts the JVM at once (no finally blocks, no shutdown hooks:
 * what {@code kill -9} leaves behind), {@code -Dreco.publish.pauseAt=STEP} sleeps there, holding the
 * model root's lock, for {@code -Dreco.publish.pauseMillis=N} (default 10000) or until the file
 * {@code -Dreco.publish.resumeFile=PATH} exists, whichever comes first.
 * STEP is the lower-case name with dashes, e.g. {@code files-written}. Without these properties a
 * step costs one property lookup.
 */
enum PublishStep {
    /** Every file of the new generation is stamped, checksummed and forced; no manifest yet. */
    FILES_WRITTEN,
    /** The manifest is written and forced; the directory still has its temporary name. */
    MANIFEST_WRITTEN,
    /** The directory has its final name; CURRENT still names the previous generation. */
    RENAMED,
    /** CURRENT.tmp-PID names the new generation; CURRENT is not replaced yet. */
    CURRENT_TEMP_WRITTEN;

    static final String HALT_PROPERTY = "reco.publish.haltAt";
    static final String PAUSE_PROPERTY = "reco.publish.pauseAt";
    static final String PAUSE_MILLIS_PROPERTY = "reco.publish.pauseMillis";
    static final String RESUME_FILE_PROPERTY = "reco.publish.resumeFile";
    /** Exit status of a halt: what a shell reports for a process killed by SIGKILL. */
    static final int HALT_STATUS = 137;

    private static final Logger LOG = Logger.getLogger(PublishStep.class.getName());

    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Called when publishing reaches this step; {@code at} is what the step just produced. */
    void reached(Path at) {
        if (id().equals(System.getProperty(HALT_PROPERTY))) {
            System.err.println("reco: halting at publish step " + id() + " (" + at + "), as " + HALT_PROPERTY + " asks");
            System.err.flush();
            Runtime.getRuntime().halt(HALT_STATUS);
        }
        if (id().equals(System.getProperty(PAUSE_PROPERTY))) {
            long millis = Long.getLong(PAUSE_MILLIS_PROPERTY, 10_000L);
            String resume = System.getProperty(RESUME_FILE_PROPERTY);
            LOG.warning("pausing " + millis + " ms at publish step " + id() + " (" + at + "), as " + PAUSE_PROPERTY + " asks"
                    + (resume == null ? "" : ", or until " + resume + " exists"));
            long deadline = System.nanoTime() + millis * 1_000_000L;
            try {
                while (System.nanoTime() < deadline && (resume == null || !java.nio.file.Files.exists(Path.of(resume)))) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
