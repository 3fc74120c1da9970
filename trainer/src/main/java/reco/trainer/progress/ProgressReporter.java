package reco.trainer.progress;

import java.io.Console;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Reports training progress on stderr: an in-place progress bar (me.tongfei:progressbar) when a
 * terminal is attached, otherwise plain log lines such as {@code "als 40% (4000/10000) 3.1 s"},
 * printed at most once per {@value #PLAIN_PERCENT_STEP}% of progress or every
 * {@link #PLAIN_INTERVAL}, whichever comes first, plus a final line on close.
 *
 * <p>Plain lines are what CI logs and redirected output want: a bar redraws with carriage returns,
 * which turns a log file into one very long line.
 */
public final class ProgressReporter implements Progress.Factory {
    /** Plain mode prints a line each time progress crosses a multiple of this percentage. */
    public static final int PLAIN_PERCENT_STEP = 10;
    /** Plain mode prints a line at least this often while progress moves (also for unknown totals). */
    public static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);

    private final PrintStream out;
    private final boolean interactive;
    private final LongSupplier nanoClock;

    /** Reports to {@code out}; {@code interactive} selects the bar, otherwise plain lines. */
    public ProgressReporter(PrintStream out, boolean interactive) {
        this(out, interactive, System::nanoTime);
    }

    /** For tests: plain lines timed by {@code nanoClock}. */
    ProgressReporter(PrintStream out, boolean interactive, LongSupplier nanoClock) {
        this.out = Objects.requireNonNull(out, "out");
        this.interactive = interactive;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** Reports to stderr, as a bar only when {@link #terminalAttached()}. */
    public static ProgressReporter toStderr() {
        return new ProgressReporter(System.err, terminalAttached());
    }

    /**
     * True when stdio is an interactive terminal and we are not under CI. Since JDK 22
     * {@code System.console()} is non-null even when output is redirected, so
     * {@link Console#isTerminal()} is the actual test.
     */
    public static boolean terminalAttached() {
        Console console = System.console();
        String ci = System.getenv("CI");
        boolean underCi = ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
        return console != null && console.isTerminal() && !underCi;
    }

    public boolean interactive() {
        return interactive;
    }

    @Override
    public Progress start(String phase, long totalUnits) {
        Objects.requireNonNull(phase, "phase");
        if (interactive) {
            return new BarProgress(phase, totalUnits, out);
        }
        return new PlainProgress(phase, totalUnits, out, nanoClock);
    }

    /** Thread-safe: ProgressBar keeps its state in atomics and renders on its own thread. */
    private static final class BarProgress implements Progress {
        private final ProgressBar bar;

        BarProgress(String phase, long totalUnits, PrintStream out) {
            bar = new ProgressBarBuilder()
                    .setTaskName(phase)
                    .setInitialMax(totalUnits > 0 ? totalUnits : -1)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .setConsumer(new ConsoleProgressBarConsumer(out))
                    .setUpdateIntervalMillis(200)
                    .showSpeed()
                    .build();
        }

        @Override public void step(long n) { bar.stepBy(n); }
        @Override public void message(String text) { bar.setExtraMessage(text == null ? "" : text); }
        @Override public void close() { bar.close(); }
    }

    /**
     * Counting is lock-free; only a step that may have crossed a reporting threshold takes the lock,
     * so parallel workers calling {@link #step(long)} per item do not serialise on it.
     */
    static final class PlainProgress implements Progress {
        private final String phase;
        private final long total;
        private final PrintStream out;
        private final LongSupplier nanoClock;
        private final long startNanos;
        private final long intervalNanos = PLAIN_INTERVAL.toNanos();
        private final AtomicLong done = new AtomicLong();
        private volatile long nextReportNanos;
        private volatile long nextReportUnits;
        private volatile String message = "";
        private boolean closed;

        PlainProgress(String phase, long total, PrintStream out, LongSupplier nanoClock) {
            this.phase = phase;
            this.total = total;
            this.out = out;
            this.nanoClock = nanoClock;
            this.startNanos = nanoClock.getAsLong();
            this.nextReportNanos = startNanos + intervalNanos;
            this.nextReportUnits = total > 0 ? unitsForPercent(PLAIN_PERCENT_STEP) : Long.MAX_VALUE;
        }

        private long unitsForPercent(long percent) {
            // ceil(total * percent / 100) without overflow for realistic totals
            return Math.max(1, (long) Math.ceil(total * (percent / 100.0)));
        }

        @Override
        public void step(long n) {
            long now = done.addAndGet(n);
            if (now < nextReportUnits && nanoClock.getAsLong() < nextReportNanos) {
                return;
            }
            synchronized (this) {
                long t = nanoClock.getAsLong();
                long current = done.get();
                if (closed || (current < nextReportUnits && t < nextReportNanos)) {
                    return; // another thread reported meanwhile
                }
                if (total > 0 && current >= total) {
                    return; // the closing line reports completion
                }
                print(current, t);
                nextReportNanos = t + intervalNanos;
                if (total > 0) {
                    long percent = current * 100 / total;
                    long nextPercent = (percent / PLAIN_PERCENT_STEP + 1) * PLAIN_PERCENT_STEP;
                    nextReportUnits = unitsForPercent(nextPercent);
                }
            }
        }

        @Override
        public void message(String text) {
            message = text == null ? "" : text;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            print(done.get(), nanoClock.getAsLong());
        }

        private void print(long current, long nowNanos) {
            double seconds = (nowNanos - startNanos) / 1e9;
            String extra = message.isEmpty() ? "" : " " + message;
            if (total > 0) {
                long percent = Math.min(100, current * 100 / total);
                out.printf(Locale.ROOT, "%s %d%% (%d/%d) %.1f s%s%n", phase, percent, current, total, seconds, extra);
            } else {
                out.printf(Locale.ROOT, "%s %d %.1f s%s%n", phase, current, seconds, extra);
            }
            out.flush();
        }
    }
}
