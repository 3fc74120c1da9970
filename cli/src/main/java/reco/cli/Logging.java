package reco.cli;

import java.io.PrintStream;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * The one logging setup of every reco command: java.util.logging to stderr, one line per record
 * ({@link OneLineLogFormatter}, or {@link JsonLogFormatter} with {@code --log-format json}), flushed per record (a server's log must not sit in a buffer), with the
 * chatty third-party loggers (Chronicle's banner and start-up notes, gRPC internals, Jetty's banner) raised to WARNING.
 */
public final class Logging {
    // strong references: java.util.logging keeps loggers weakly, which would drop these levels
    private static final Logger ROOT = Logger.getLogger("");
    private static final Logger RECO = Logger.getLogger("reco");
    private static final Logger CHRONICLE = Logger.getLogger("net.openhft");
    private static final Logger GRPC = Logger.getLogger("io.grpc");
    private static final Logger JETTY = Logger.getLogger("org.eclipse.jetty");

    private Logging() {}

    /** How records are written: one readable line each, or one JSON object per line. */
    public enum Format { text, json }

    /** Routes every log record to {@code err} as text lines; {@code verbose} adds reco's debug records. */
    public static void configure(PrintStream err, boolean verbose) {
        configure(err, verbose, Format.text);
    }

    /** Routes every log record to {@code err} in {@code format}; {@code verbose} adds reco's debug records. */
    public static void configure(PrintStream err, boolean verbose, Format format) {
        for (Handler h : ROOT.getHandlers()) {
            ROOT.removeHandler(h);
        }
        Formatter formatter = format == Format.json ? new JsonLogFormatter() : new OneLineLogFormatter();
        Handler handler = new StreamHandler(err, formatter) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        Level level = verbose ? Level.FINE : Level.INFO;
        handler.setLevel(level);
        ROOT.addHandler(handler);
        ROOT.setLevel(Level.INFO);
        RECO.setLevel(level);
        CHRONICLE.setLevel(Level.WARNING);
        GRPC.setLevel(verbose ? Level.INFO : Level.WARNING);
        JETTY.setLevel(Level.WARNING); // its start-up banner and per-connection notes
    }
}
