package reco.trainer.pipeline;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Wall time per training phase, printed as a summary at the end of a run. */
public final class PhaseTimer {
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();

    public interface IoSupplier<T> {
        T get() throws java.io.IOException;
    }

    public <T> T time(String phase, IoSupplier<T> work) throws java.io.IOException {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            record(phase, (System.nanoTime() - start) / 1e9);
        }
    }

    public <T> T timeUnchecked(String phase, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            record(phase, (System.nanoTime() - start) / 1e9);
        }
    }

    public void record(String phase, double s) {
        if (!seconds.containsKey(phase)) {
            order.add(phase);
        }
        seconds.merge(phase, s, Double::sum);
    }

    public double seconds(String phase) {
        return seconds.getOrDefault(phase, 0.0);
    }

    public double total() {
        double t = 0;
        for (double s : seconds.values()) {
            t += s;
        }
        return t;
    }

    public Map<String, Double> asMap() {
        return java.util.Collections.unmodifiableMap(seconds);
    }

    public void print(PrintStream out) {
        out.println("phase timings:");
        for (String p : order) {
            out.printf("  %-28s %8.2f s%n", p, seconds.get(p));
        }
        out.printf("  %-28s %8.2f s%n", "total", total());
    }
}
