package reco.model;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One logging setup for every reco process: one line per record on stderr, and the chatty
 * third-party loggers (Chronicle's banner and start-up notes) raised to WARNING.
 */
public final class Logs {
    // strong references: java.util.logging keeps loggers weakly, which would drop these levels
    private static final Logger ROOT = Logger.getLogger("");
    private static final Logger CHRONICLE = Logger.getLogger("net.openhft");
    private static final Logger GRPC = Logger.getLogger("io.grpc");

    private Logs() {}

    public static void configure(boolean verbose) {
        for (var h : ROOT.getHandlers()) {
            ROOT.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new OneLine());
        handler.setLevel(verbose ? Level.FINE : Level.INFO);
        ROOT.addHandler(handler);
        ROOT.setLevel(verbose ? Level.FINE : Level.INFO);
        CHRONICLE.setLevel(Level.WARNING);
        GRPC.setLevel(verbose ? Level.INFO : Level.WARNING);
    }

    static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord r) {
            String logger = r.getLoggerName() == null ? "" : r.getLoggerName();
            int dot = logger.lastIndexOf('.');
            StringBuilder sb = new StringBuilder()
                    .append(java.time.Instant.ofEpochMilli(r.getMillis()))
                    .append(' ').append(r.getLevel().getName())
                    .append(' ').append(dot >= 0 ? logger.substring(dot + 1) : logger)
                    .append(": ").append(formatMessage(r)).append('\n');
            if (r.getThrown() != null && r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                java.io.StringWriter w = new java.io.StringWriter();
                r.getThrown().printStackTrace(new java.io.PrintWriter(w));
                sb.append(w);
            }
            return sb.toString();
        }
    }
}
