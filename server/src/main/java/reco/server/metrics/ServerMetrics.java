package reco.server.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Locale;

/**
 * How a reco server's meters look to Prometheus: snake_case label names ({@code method_type},
 * {@code status_code}, not Micrometer's camelCase tag keys), call latency as a histogram with fixed
 * buckets (so {@code histogram_quantile} computes p99 across instances), and {@code *_info} gauges of
 * value 1 for build and generation facts.
 */
public final class ServerMetrics {
    /**
     * Upper bounds of the call-latency buckets ({@code le}): from a quarter millisecond (Echo, cached
     * lookups) to ten seconds (deadlines), roughly 1-2.5-5 per decade. Fixed, so every server exports the
     * same buckets and they aggregate.
     */
    public static final Duration[] CALL_LATENCY_BUCKETS = {
            Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private ServerMetrics() {}

    /** A Prometheus registry with reco's naming (snake_case labels). */
    public static PrometheusMeterRegistry prometheusRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().namingConvention(new SnakeCaseLabels(registry.config().namingConvention()));
        return registry;
    }

    /** For Micrometer's gRPC interceptor: call timers with the latency buckets. */
    public static Timer.Builder withLatencyBuckets(Timer.Builder timer) {
        return timer.serviceLevelObjectives(CALL_LATENCY_BUCKETS);
    }

    /** {@code methodType} -> {@code method_type}; everything else as the wrapped convention has it. */
    static final class SnakeCaseLabels implements NamingConvention {
        private final NamingConvention delegate;

        SnakeCaseLabels(NamingConvention delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name(String name, Meter.Type type, String baseUnit) {
            return delegate.name(name, type, baseUnit);
        }

        @Override
        public String tagKey(String key) {
            return delegate.tagKey(snakeCase(key));
        }

        @Override
        public String tagValue(String value) {
            return delegate.tagValue(value);
        }
    }

    static String snakeCase(String key) {
        StringBuilder b = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && key.charAt(i - 1) != '_' && key.charAt(i - 1) != '.') {
                    b.append('_');
                }
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
