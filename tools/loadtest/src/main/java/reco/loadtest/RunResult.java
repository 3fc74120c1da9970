package reco.loadtest;

import io.grpc.Status;
import org.HdrHistogram.Histogram;

import java.util.Map;

/**
 * What one measured run produced. Latencies are in microseconds; counts cover calls started in the
 * measured phase (after warm-up), whatever their status.
 *
 * @param elapsedNanos from the start of the measured phase to the last measured completion
 * @param statusCounts completed calls per gRPC status code (codes with no call left out)
 * @param errors       calls per "CODE: description" of failed calls (at most {@value LoadGenerator#MAX_ERROR_MESSAGES}
 *                     distinct messages per code, quoted parts masked as '*'; the rest under "CODE: (other messages)")
 * @param perKind      the same per RPC, in mix order (one entry for a single-call run)
 * @param scheduled    open loop: calls the schedule had for the measured phase; closed loop: 0
 * @param unsent       open loop: scheduled calls never sent because {@code concurrency} calls were
 *                     outstanding until the run ended (the server fell that far behind); closed loop: 0
 * @param fallbacks    OK responses with {@code fallback} set (e.g. unknown users served popular items)
 * @param clamped      latencies above the histogram's range, recorded as its maximum
 */
public record RunResult(String label, RequestMix mix, LoadSettings settings, int connections, long count,
                        long elapsedNanos, Histogram latencyMicros, Map<Status.Code, Long> statusCounts,
                        Map<String, Long> errors, Map<CallKind, KindResult> perKind, long scheduled, long unsent,
                        long fallbacks, long clamped) {

    /** One RPC's share of a run. */
    public record KindResult(long count, Histogram latencyMicros, Map<Status.Code, Long> statusCounts, long fallbacks) {
        public long ok() {
            return statusCounts.getOrDefault(Status.Code.OK, 0L);
        }
    }

    public double elapsedSeconds() {
        return elapsedNanos / 1e9;
    }

    /** Completed calls per second of the measured phase (0 when nothing completed). */
    public double requestsPerSecond() {
        return elapsedNanos <= 0 ? 0 : count / elapsedSeconds();
    }

    public long ok() {
        return statusCounts.getOrDefault(Status.Code.OK, 0L);
    }

    public long status(Status.Code code) {
        return statusCounts.getOrDefault(code, 0L);
    }
}
