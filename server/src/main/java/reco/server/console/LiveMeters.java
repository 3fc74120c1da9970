package reco.server.console;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import reco.v1.RecommenderGrpc;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What the console's live panel plots, read from the server's own meters (the ones {@code /metrics}
 * exports): reco.v1.Recommender calls by method and status with a latency histogram (Micrometer's
 * {@code grpc.server.processing.duration}), fallbacks ({@code reco.recommendations.fallbacks}) and
 * refusals ({@code reco.calls.rejected} at the concurrent-call limit, {@code reco.admin.denied}).
 *
 * <p>Every figure is cumulative since the server started; the page takes the difference of two reads
 * for rates and for the latency percentiles of the interval between them.
 */
public final class LiveMeters {
    static final String CALL_TIMER = "grpc.server.processing.duration";
    /** Shortest and longest latency the histogram resolves: a cached answer to a stuck call. */
    static final Duration HISTOGRAM_MIN = Duration.ofMillis(1).dividedBy(100);
    static final Duration HISTOGRAM_MAX = Duration.ofSeconds(30);

    private LiveMeters() {}

    /**
     * Gives the gRPC call timers a latency histogram (10 us to 30 s, Micrometer's percentile buckets), so
     * that the console and Prometheus ({@code histogram_quantile}) both get percentiles. Register it on
     * the registry before the server creates its meters.
     */
    public static MeterFilter callLatencyHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(CALL_TIMER)) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .minimumExpectedValue((double) HISTOGRAM_MIN.toNanos())
                        .maximumExpectedValue((double) HISTOGRAM_MAX.toNanos())
                        .build()
                        .merge(config);
            }
        };
    }

    /** One read of the meters, as the JSON the console's live panel polls. */
    public static Map<String, Object> read(MeterRegistry registry) {
        long calls = 0;
        long errors = 0;
        double totalSeconds = 0;
        Map<String, Long> byMethod = new TreeMap<>();
        Map<String, Long> byStatus = new TreeMap<>();
        TreeMap<Double, Long> buckets = new TreeMap<>();
        boolean histogram = false;
        for (Timer timer : registry.find(CALL_TIMER).tag("service", RecommenderGrpc.SERVICE_NAME).timers()) {
            HistogramSnapshot snapshot = timer.takeSnapshot();
            long count = snapshot.count();
            calls += count;
            totalSeconds += snapshot.total(TimeUnit.SECONDS);
            String method = timer.getId().getTag("method");
            String status = timer.getId().getTag("statusCode");
            byMethod.merge(method == null ? "?" : method, count, Long::sum);
            byStatus.merge(status == null ? "?" : status, count, Long::sum);
            if (status != null && !status.equals("OK")) {
                errors += count;
            }
            CountAtBucket[] counts = snapshot.histogramCounts();
            histogram |= counts.length > 0;
            for (CountAtBucket bucket : cumulative(counts, count)) {
                buckets.merge(bucket.bucket(TimeUnit.SECONDS), (long) bucket.count(), Long::sum);
            }
        }
        Map<String, Long> fallbacks = new TreeMap<>();
        for (Counter counter : registry.find("reco.recommendations.fallbacks").counters()) {
            String reason = counter.getId().getTag("reason");
            fallbacks.merge(reason == null ? "?" : reason, (long) counter.count(), Long::sum);
        }
        long limitRefusals = 0;
        for (Counter counter : registry.find("reco.calls.rejected").counters()) {
            limitRefusals += (long) counter.count();
        }
        long adminRefusals = 0;
        for (Counter counter : registry.find("reco.admin.denied").counters()) {
            adminRefusals += (long) counter.count();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("timeMillis", registry.config().clock().wallTime());
        out.put("calls", calls);
        out.put("errors", errors);
        out.put("totalSeconds", totalSeconds);
        out.put("byMethod", byMethod);
        out.put("byStatus", byStatus);
        // [upper bound in seconds, calls at most that long], cumulative; empty without a histogram
        out.put("latencyBuckets", histogram ? buckets.entrySet().stream().map(e -> List.of(e.getKey(), e.getValue())).toList()
                : List.of());
        out.put("fallbacks", fallbacks);
        out.put("fallbacksTotal", fallbacks.values().stream().mapToLong(Long::longValue).sum());
        Map<String, Long> refusals = new LinkedHashMap<>();
        refusals.put("concurrencyLimit", limitRefusals);
        refusals.put("admin", adminRefusals);
        out.put("refusals", refusals);
        out.put("refusalsTotal", limitRefusals + adminRefusals);
        return out;
    }

    /**
     * Bucket counts as "calls at most this long". Micrometer's Prometheus histograms already count that
     * way; other registries count each bucket's own calls (the counts then add up to the total).
     */
    static CountAtBucket[] cumulative(CountAtBucket[] counts, long total) {
        boolean nonDecreasing = true;
        double sum = 0;
        for (int i = 0; i < counts.length; i++) {
            sum += counts[i].count();
            if (i > 0 && counts[i].count() < counts[i - 1].count()) {
                nonDecreasing = false;
            }
        }
        boolean perBucket = !nonDecreasing || (counts.length > 1 && sum == total && total > 0
                && counts[counts.length - 1].count() < total);
        if (!perBucket) {
            return counts;
        }
        CountAtBucket[] out = new CountAtBucket[counts.length];
        double running = 0;
        for (int i = 0; i < counts.length; i++) {
            running += counts[i].count();
            out[i] = new CountAtBucket(counts[i].bucket(), running);
        }
        return out;
    }
}
