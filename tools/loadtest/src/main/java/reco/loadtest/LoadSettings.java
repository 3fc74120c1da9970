package reco.loadtest;

import java.time.Duration;

/**
 * How much load to drive and for how long.
 *
 * <ul>
 *   <li>Closed loop ({@code rate == 0}): {@code concurrency} calls outstanding at all times; each
 *       completion starts the next. Latency runs from the actual send.</li>
 *   <li>Open loop ({@code rate > 0}): calls start on a fixed schedule of {@code rate} per second,
 *       whatever the server does, with at most {@code concurrency} outstanding. Latency runs from the
 *       <em>intended</em> send time, so a stalled server shows up in the percentiles instead of
 *       silently slowing the generator down (no coordinated omission).</li>
 * </ul>
 *
 * Calls started during {@code warmup} are not recorded. The measured phase ends after
 * {@code duration} or {@code requests} measured calls (0 = no count limit), whichever comes first.
 *
 * @param concurrency outstanding calls (closed loop) or the cap on them (open loop)
 * @param rate        calls per second for an open loop, 0 for a closed loop
 */
public record LoadSettings(int concurrency, double rate, Duration warmup, Duration duration, long requests,
                           Duration timeout, long seed) {
    public static final int MAX_CONCURRENCY = 100_000;
    public static final double MAX_RATE = 10_000_000;

    public LoadSettings {
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException((rate > 0 ? "--max-outstanding" : "--concurrency") + " is " + concurrency
                    + ", allowed 1.." + MAX_CONCURRENCY);
        }
        if (!(rate >= 0 && rate <= MAX_RATE)) {
            throw new IllegalArgumentException("--rate is " + rate + ", allowed > 0 and <= " + (long) MAX_RATE);
        }
        requirePositive("--warmup", warmup, true);
        requirePositive("--duration", duration, false);
        requirePositive("--timeout", timeout, false);
        if (requests < 0) {
            throw new IllegalArgumentException("--requests is " + requests + ", allowed >= 1");
        }
    }

    private static void requirePositive(String name, Duration value, boolean zeroAllowed) {
        if (value == null || value.isNegative() || (!zeroAllowed && value.isZero())) {
            throw new IllegalArgumentException(name + " is " + value + ", allowed " + (zeroAllowed ? ">= 0" : "> 0"));
        }
    }

    public boolean openLoop() {
        return rate > 0;
    }

    /** e.g. "closed loop, concurrency 16" or "open loop, 500 req/s, at most 1000 outstanding". */
    public String describe() {
        return openLoop()
                ? String.format(java.util.Locale.ROOT, "open loop, %s req/s, at most %d outstanding", trim(rate), concurrency)
                : "closed loop, concurrency " + concurrency;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
