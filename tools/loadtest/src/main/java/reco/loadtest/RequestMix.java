package reco.loadtest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A weighted choice of RPCs, e.g. {@code similar=0.5,user=0.4,items=0.1}. Weights are relative
 * (normalised to shares); a mix of one call always picks it.
 */
public final class RequestMix {
    /** What {@code --call mix} sends without {@code --mix}: a storefront-like blend. */
    public static final String DEFAULT_MIX = "similar=0.5,user=0.4,items=0.1";

    private final CallKind[] kinds;
    /** Cumulative shares, the last one exactly 1. */
    private final double[] cumulative;

    private RequestMix(CallKind[] kinds, double[] cumulative) {
        this.kinds = kinds;
        this.cumulative = cumulative;
    }

    public static RequestMix single(CallKind kind) {
        return new RequestMix(new CallKind[] {kind}, new double[] {1.0});
    }

    /**
     * Parses {@code name=weight[,name=weight...]}.
     *
     * @throws IllegalArgumentException naming {@code --mix}, the bad entry and what is allowed
     */
    public static RequestMix parse(String spec) {
        Map<CallKind, Double> weights = new EnumMap<>(CallKind.class);
        for (String entry : spec.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("--mix entry '" + trimmed + "' is not name=weight (e.g. " + DEFAULT_MIX + ")");
            }
            CallKind kind;
            try {
                kind = CallKind.parse(trimmed.substring(0, eq));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--mix: " + e.getMessage(), e);
            }
            double weight;
            try {
                weight = Double.parseDouble(trimmed.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--mix weight of " + kind.cliName() + " is '" + trimmed.substring(eq + 1)
                        + "', expected a number > 0", e);
            }
            if (!(weight > 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("--mix weight of " + kind.cliName() + " is " + weight + ", expected a finite number > 0");
            }
            if (weights.put(kind, weight) != null) {
                throw new IllegalArgumentException("--mix names " + kind.cliName() + " twice");
            }
        }
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("--mix is empty, expected name=weight pairs (e.g. " + DEFAULT_MIX + ")");
        }
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        CallKind[] kinds = weights.keySet().toArray(CallKind[]::new);
        double[] cumulative = new double[kinds.length];
        double running = 0;
        for (int i = 0; i < kinds.length; i++) {
            running += weights.get(kinds[i]) / total;
            cumulative[i] = running;
        }
        cumulative[kinds.length - 1] = 1.0; // no rounding gap at the top
        return new RequestMix(kinds, cumulative);
    }

    /** The call for a uniform draw {@code u} in [0, 1). */
    public CallKind pick(double u) {
        for (int i = 0; i < cumulative.length - 1; i++) {
            if (u < cumulative[i]) {
                return kinds[i];
            }
        }
        return kinds[kinds.length - 1];
    }

    public List<CallKind> kinds() {
        return Collections.unmodifiableList(List.of(kinds));
    }

    /** Share of each call, in [0, 1], summing to 1. */
    public Map<CallKind, Double> shares() {
        Map<CallKind, Double> shares = new LinkedHashMap<>();
        double previous = 0;
        for (int i = 0; i < kinds.length; i++) {
            shares.put(kinds[i], cumulative[i] - previous);
            previous = cumulative[i];
        }
        return shares;
    }

    public boolean isSingle() {
        return kinds.length == 1;
    }

    /** {@code similar} or {@code similar=0.50,user=0.40,items=0.10}. */
    @Override
    public String toString() {
        if (isSingle()) {
            return kinds[0].cliName();
        }
        List<String> parts = new ArrayList<>();
        shares().forEach((kind, share) -> parts.add(kind.cliName() + "=" + String.format(java.util.Locale.ROOT, "%.2f", share)));
        return String.join(",", parts);
    }
}
