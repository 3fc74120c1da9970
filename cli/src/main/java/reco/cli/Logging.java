package reco.cli;

import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * The one logging setup of every reco command: java.util.logging to stderr, one line per record
 * ({@link OneLineLogFormatter}), flushed per record (a server's log must not sit in a buffer), with the
 * chatty third-party loggers (Chronicle's banner and start-up notes, gRPC internals) raised to WARNING.
 */
public final class Logging {
    // strong references: java.util.logging keeps loggers weakly, which would drop these levels
    private static final Logger ROOT = Logger.getLogger("");
    private static final Logger RECO = Logger.getLogger("reco");
    private static final Logger CHRONICLE = Logger.getLogger("net.openhft");
    private static final Logger GRPC = Logger.getLogger("io.grpc");

    private Logging() {}

    /** Routes every log record to {@code err}; {@code verbose} adds reco's debug records. */
    public static void configure(PrintStream err, boolean verbose) {
        for (Handler h : ROOT.getHandlers()) {
            ROOT.removeHandler(h);
        }
        Handler handler = new StreamHandler(err, new OneLineLogFormatter()) {
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
    }
}
