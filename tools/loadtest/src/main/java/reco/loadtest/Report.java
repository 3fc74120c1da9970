package reco.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Status;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a run like ghz does (summary, response-time histogram, latency distribution, status and
 * error distributions) and writes the same numbers as JSON for scripts and docs/benchmarks.md.
 */
public final class Report {
    /** The percentiles reported, as HdrHistogram percentiles. */
    static final double[] PERCENTILES = {50, 90, 95, 99, 99.9};
    static final int HISTOGRAM_BUCKETS = 10;
    private static final int BAR_WIDTH = 40;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String target;
    private final boolean tls;

    /** {@code target} and {@code tls} describe where the load went (the run itself does not know). */
    public Report(String target, boolean tls) {
        this.target = target;
        this.tls = tls;
    }

    /** Throughput and latency of a call relative to Echo over the same connections and load shape. */
    public record Comparison(RunResult baseline, RunResult run) {
        /** run req/s divided by baseline req/s; NaN when the baseline completed nothing. */
        public double throughputRatio() {
            double base = baseline.requestsPerSecond();
            return base > 0 ? run.requestsPerSecond() / base : Double.NaN;
        }

        /** run latency at {@code percentile} divided by the baseline's; NaN when either is empty. */
        public double latencyRatio(double percentile) {
            if (baseline.count() == 0 || run.count() == 0) {
                return Double.NaN;
            }
            long base = baseline.latencyMicros().getValueAtPercentile(percentile);
            return (double) run.latencyMicros().getValueAtPercentile(percentile) / Math.max(1, base);
        }
    }

    // ---------------------------------------------------------------- text

    public void printText(PrintWriter out, RunResult run) {
        Histogram h = run.latencyMicros();
        out.println();
        out.println("Summary:");
        row(out, "Name", run.label());
        row(out, "Call", run.mix().isSingle()
                ? run.mix().kinds().getFirst().fullMethodName()
                : "mix " + run.mix());
        row(out, "Target", target + " (" + run.connections() + (run.connections() == 1 ? " connection, " : " connections, ")
                + (tls ? "TLS" : "plaintext") + ")");
        row(out, "Load", run.settings().describe() + ", timeout " + DurationText.format(run.settings().timeout()));
        row(out, "Count", Long.toString(run.count()));
        row(out, "Total", String.format(Locale.ROOT, "%.2f s", run.elapsedSeconds()));
        if (run.count() > 0) {
            row(out, "Slowest", millis(h.getMaxValue()));
            row(out, "Fastest", millis(h.getMinValue()));
            row(out, "Average", millis(h.getMean()));
        }
        row(out, "Requests/sec", String.format(Locale.ROOT, "%.2f", run.requestsPerSecond()));
        if (run.settings().openLoop()) {
            row(out, "Scheduled", run.scheduled() + (run.unsent() > 0
                    ? " (" + run.unsent() + " unsent: " + run.settings().concurrency() + " calls outstanding until the end)" : ""));
        }
        if (run.fallbacks() > 0) {
            row(out, "Fallbacks", run.fallbacks() + String.format(Locale.ROOT, " (%.1f%% of OK responses)", 100.0 * run.fallbacks() / Math.max(1, run.ok())));
        }
        if (run.clamped() > 0) {
            row(out, "Clamped", run.clamped() + " latencies above " + millis(LoadGenerator.MAX_RECORDED_MICROS));
        }
        if (run.count() > 0) {
            out.println();
            out.println("Response time histogram:");
            long[] counts = buckets(h);
            long max = 1;
            for (long c : counts) {
                max = Math.max(max, c);
            }
            String bar = barChar();
            double width = bucketWidth(h);
            for (int b = 0; b < counts.length; b++) {
                String mark = String.format(Locale.ROOT, "%.3f", (h.getMinValue() + width * (b + 1)) / 1000.0);
                out.printf(Locale.ROOT, "  %10s ms [%d]\t|%s%n", mark, counts[b], bar.repeat((int) Math.round((double) BAR_WIDTH * counts[b] / max)));
            }
            out.println();
            out.println("Latency distribution:");
            for (double p : PERCENTILES) {
                out.printf(Locale.ROOT, "  %s %% in %s%n", percentLabel(p), millis(h.getValueAtPercentile(p)));
            }
        }
        out.println();
        out.println("Status code distribution:");
        for (Map.Entry<Status.Code, Long> e : run.statusCounts().entrySet()) {
            out.printf(Locale.ROOT, "  %-22s %d responses%n", "[" + e.getKey() + "]", e.getValue());
        }
        if (!run.errors().isEmpty()) {
            out.println();
            out.println("Error distribution:");
            for (Map.Entry<String, Long> e : run.errors().entrySet()) {
                out.printf(Locale.ROOT, "  [%d]\t%s%n", e.getValue(), e.getKey());
            }
        }
        if (!run.mix().isSingle()) {
            out.println();
            out.println("Per call:");
            for (Map.Entry<CallKind, RunResult.KindResult> e : run.perKind().entrySet()) {
                RunResult.KindResult k = e.getValue();
                out.printf(Locale.ROOT, "  %-8s count %d (%.1f%%)  req/s %.1f  p50 %s  p99 %s  OK %.1f%%%s%n",
                        e.getKey().cliName(), k.count(), 100.0 * k.count() / Math.max(1, run.count()),
                        run.elapsedNanos() > 0 ? k.count() / run.elapsedSeconds() : 0.0,
                        k.count() > 0 ? millis(k.latencyMicros().getValueAtPercentile(50)) : "-",
                        k.count() > 0 ? millis(k.latencyMicros().getValueAtPercentile(99)) : "-",
                        100.0 * k.ok() / Math.max(1, k.count()),
                        k.fallbacks() > 0 ? "  fallbacks " + k.fallbacks() : "");
            }
        }
        out.flush();
    }

    public void printComparison(PrintWriter out, Comparison c) {
        out.println();
        String name = c.run().label();
        String base = c.baseline().label();
        out.printf(Locale.ROOT, "%s/%s throughput %.2f (%.1f vs %.1f req/s)%n", name, base, c.throughputRatio(),
                c.run().requestsPerSecond(), c.baseline().requestsPerSecond());
        out.printf(Locale.ROOT, "%s/%s latency p50 %.2f, p99 %.2f%n", name, base, c.latencyRatio(50), c.latencyRatio(99));
        if (c.run().settings().openLoop()) {
            out.println("(open loop: both runs were offered the same rate, so the throughput ratio is near 1 while the server keeps up;"
                    + " compare latencies, or use a closed loop to compare capacity)");
        }
        out.flush();
    }

    // ---------------------------------------------------------------- JSON

    /** The run as a JSON object; with a comparison, the baseline run and the ratios are added. */
    public ObjectNode toJson(RunResult run, Comparison comparison) {
        ObjectNode root = runJson(run);
        if (comparison != null) {
            root.set("baseline", runJson(comparison.baseline()));
            ObjectNode ratios = root.putObject("comparison");
            ratios.put("baselineCall", comparison.baseline().label());
            putNumber(ratios, "throughputRatio", comparison.throughputRatio());
            putNumber(ratios, "p50Ratio", comparison.latencyRatio(50));
            putNumber(ratios, "p99Ratio", comparison.latencyRatio(99));
        }
        return root;
    }

    public void writeJson(Path file, RunResult run, Comparison comparison) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), toJson(run, comparison));
    }

    private ObjectNode runJson(RunResult run) {
        ObjectNode o = JSON.createObjectNode();
        LoadSettings s = run.settings();
        o.put("name", run.label());
        o.put("call", run.mix().isSingle() ? run.mix().kinds().getFirst().cliName() : "mix");
        ObjectNode mix = o.putObject("mix");
        run.mix().shares().forEach((kind, share) -> mix.put(kind.cliName(), share));
        o.put("target", target);
        o.put("tls", tls);
        o.put("connections", run.connections());
        o.put("mode", s.openLoop() ? "open" : "closed");
        o.put("concurrency", s.concurrency());
        o.put("rate", s.rate());
        o.put("warmupSeconds", s.warmup().toNanos() / 1e9);
        o.put("durationSeconds", s.duration().toNanos() / 1e9);
        o.put("requestLimit", s.requests());
        o.put("timeoutSeconds", s.timeout().toNanos() / 1e9);
        o.put("seed", s.seed());
        o.put("count", run.count());
        o.put("elapsedSeconds", run.elapsedSeconds());
        o.put("requestsPerSecond", run.requestsPerSecond());
        o.set("latencyMicros", latencyJson(run.latencyMicros()));
        ArrayNode histogram = o.putArray("histogram");
        if (run.count() > 0) {
            long[] counts = buckets(run.latencyMicros());
            double width = bucketWidth(run.latencyMicros());
            for (int b = 0; b < counts.length; b++) {
                histogram.addObject()
                        .put("upToMicros", run.latencyMicros().getMinValue() + width * (b + 1))
                        .put("count", counts[b]);
            }
        }
        o.set("statusCodes", statusJson(run.statusCounts()));
        ObjectNode errors = o.putObject("errors");
        run.errors().forEach(errors::put);
        o.put("fallbacks", run.fallbacks());
        o.put("scheduled", run.scheduled());
        o.put("unsent", run.unsent());
        o.put("clampedLatencies", run.clamped());
        ObjectNode perCall = o.putObject("perCall");
        run.perKind().forEach((kind, k) -> {
            ObjectNode c = perCall.putObject(kind.cliName());
            c.put("method", kind.fullMethodName());
            c.put("count", k.count());
            c.put("requestsPerSecond", run.elapsedNanos() > 0 ? k.count() / run.elapsedSeconds() : 0.0);
            c.set("latencyMicros", latencyJson(k.latencyMicros()));
            c.set("statusCodes", statusJson(k.statusCounts()));
            c.put("fallbacks", k.fallbacks());
        });
        return o;
    }

    private static ObjectNode latencyJson(Histogram h) {
        ObjectNode l = JSON.createObjectNode();
        boolean empty = h.getTotalCount() == 0;
        l.put("average", empty ? 0 : h.getMean());
        l.put("fastest", empty ? 0 : h.getMinValue());
        l.put("slowest", empty ? 0 : h.getMaxValue());
        for (double p : PERCENTILES) {
            l.put("p" + percentLabel(p).replace('.', '_'), empty ? 0 : h.getValueAtPercentile(p));
        }
        return l;
    }

    private static ObjectNode statusJson(Map<Status.Code, Long> counts) {
        ObjectNode s = JSON.createObjectNode();
        counts.forEach((code, n) -> s.put(code.name(), n));
        return s;
    }

    private static void putNumber(ObjectNode o, String field, double value) {
        if (Double.isFinite(value)) {
            o.put(field, value);
        } else {
            o.putNull(field);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Equal-width buckets from the fastest to the slowest latency, like ghz's response time histogram. */
    static long[] buckets(Histogram h) {
        long[] counts = new long[HISTOGRAM_BUCKETS];
        long min = h.getMinValue();
        double width = bucketWidth(h);
        for (HistogramIterationValue v : h.recordedValues()) {
            int b = (int) Math.min(HISTOGRAM_BUCKETS - 1, Math.max(0, Math.floor((v.getValueIteratedTo() - min) / width)));
            counts[b] += v.getCountAtValueIteratedTo();
        }
        return counts;
    }

    private static double bucketWidth(Histogram h) {
        return Math.max(1.0, (double) (h.getMaxValue() - h.getMinValue()) / HISTOGRAM_BUCKETS);
    }

    private static void row(PrintWriter out, String name, String value) {
        out.printf(Locale.ROOT, "  %-14s%s%n", name + ":", value);
    }

    static String millis(double micros) {
        return String.format(Locale.ROOT, "%.3f ms", micros / 1000.0);
    }

    static String percentLabel(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    private static String barChar() {
        String encoding = System.getProperty("stdout.encoding", Charset.defaultCharset().name());
        return encoding.toUpperCase(Locale.ROOT).contains("UTF") ? "∎" : "#";
    }
}
