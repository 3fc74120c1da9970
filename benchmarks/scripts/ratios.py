#!/usr/bin/env python3
"""Side-by-side table of a JMH JSON result file (-rf json).

Benchmarks with an `impl` parameter are paired: one row per benchmark and remaining parameters,
with the scalar and panama scores and their ratio (scalar / panama: above 1 means SIMD is faster).
Scores are the MEDIAN of the measurement iterations (with min..max), not JMH's mean: on a shared
machine a few iterations hit by other load would otherwise dominate.
Other benchmarks are listed as they are. Ratios from one run on one machine are what to compare on
a noisy box; absolute numbers move between runs.

usage: ratios.py results.json
"""
import json
import sys
from collections import OrderedDict


def main(path):
    with open(path) as f:
        results = json.load(f)
    pairs = OrderedDict()
    singles = []
    for r in results:
        name = r["benchmark"].rsplit(".", 2)
        name = name[-2] + "." + name[-1]
        params = dict(r.get("params") or {})
        metric = r["primaryMetric"]
        samples = sorted(x for fork in metric["rawData"] for x in fork)
        mid = len(samples) // 2
        median = samples[mid] if len(samples) % 2 else (samples[mid - 1] + samples[mid]) / 2
        cell = (median, samples[0], samples[-1], metric["scoreUnit"])
        impl = params.pop("impl", None)
        key = (name, tuple(sorted(params.items())))
        if impl is None:
            singles.append((key, cell))
        else:
            pairs.setdefault(key, {})[impl] = cell

    def label(key):
        name, params = key
        return name + (" (" + ", ".join(f"{k}={v}" for k, v in params) + ")" if params else "")

    if pairs:
        print("| benchmark | scalar median (min..max) | panama median (min..max) | scalar / panama |")
        print("|---|---:|---:|---:|")
        for key, impls in pairs.items():
            s, p = impls.get("scalar"), impls.get("panama")
            fmt = lambda c: f"{c[0]:.1f} {c[3]} ({c[1]:.1f}..{c[2]:.1f})" if c else "-"
            ratio = f"{s[0] / p[0]:.2f}x" if s and p and p[0] else "-"
            print(f"| {label(key)} | {fmt(s)} | {fmt(p)} | {ratio} |")
        print()
    if singles:
        print("| benchmark | median (min..max) |")
        print("|---|---:|")
        for key, c in singles:
            print(f"| {label(key)} | {c[0]:.1f} {c[3]} ({c[1]:.1f}..{c[2]:.1f}) |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: ratios.py results.json")
    main(sys.argv[1])
