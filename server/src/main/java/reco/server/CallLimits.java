package reco.server;

import java.time.Duration;
import java.util.Objects;

/**
 * What one reco.v1.Recommender call may hold and ask for (see {@link CallAdmission} and {@link CallBudget}).
 *
 * @param maxConcurrentCalls      calls holding a slot (a request received and not yet answered) beyond
 *                                which new ones get RESOURCE_EXHAUSTED; 0 = no limit
 * @param maxCallDuration         the server-side deadline of every call (the client's, when earlier, wins):
 *                                a call without a complete request by then is cancelled with
 *                                DEADLINE_EXCEEDED, a running one stops at its next check; zero = none
 * @param maxItemsPerCall         largest sum of k in one call
 * @param maxDiversityWorkPerCall largest sum of k x candidate pool over the entries with diversity in one call
 */
public record CallLimits(int maxConcurrentCalls, Duration maxCallDuration, long maxItemsPerCall,
                         long maxDiversityWorkPerCall) {
    public static final int DEFAULT_MAX_CONCURRENT_CALLS = 512;
    /** Far above any valid call (milliseconds; a full budget of diversity work about a second), far below "for ever". */
    public static final Duration DEFAULT_MAX_CALL_DURATION = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_ITEMS_PER_CALL = CallBudget.DEFAULT_MAX_ITEMS;
    public static final long DEFAULT_MAX_DIVERSITY_WORK_PER_CALL = CallBudget.DEFAULT_MAX_DIVERSITY_WORK;

    public CallLimits {
        if (maxConcurrentCalls < 0) {
            throw new IllegalArgumentException("maxConcurrentCalls must be >= 0 (0 = no limit), got " + maxConcurrentCalls);
        }
        Objects.requireNonNull(maxCallDuration, "maxCallDuration");
        if (maxCallDuration.isNegative()) {
            throw new IllegalArgumentException("the maximum call duration must not be negative, got " + maxCallDuration);
        }
        new CallBudget(maxItemsPerCall, maxDiversityWorkPerCall); // validates both
    }

    public static CallLimits defaults() {
        return new CallLimits(DEFAULT_MAX_CONCURRENT_CALLS, DEFAULT_MAX_CALL_DURATION, DEFAULT_MAX_ITEMS_PER_CALL,
                DEFAULT_MAX_DIVERSITY_WORK_PER_CALL);
    }

    public CallLimits withMaxConcurrentCalls(int n) {
        return new CallLimits(n, maxCallDuration, maxItemsPerCall, maxDiversityWorkPerCall);
    }

    CallBudget budget() {
        return new CallBudget(maxItemsPerCall, maxDiversityWorkPerCall);
    }
}
