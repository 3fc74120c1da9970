#!/usr/bin/env bash
# Measures `bin/reco serve` start-up: wall time from launch to the "reco server listening" line and the
# CPU time (user + system, all threads) the JVM used until then, over several runs.
#
# usage: server/scripts/startup-time.sh MODEL_DIR [RUNS]      (default 5 runs)
#
# Environment: whatever bin/reco reads (RECO_CDS=0 to measure without the class-data sharing archive,
# RECO_JAVA_OPTS, ...). Uses the packaged jars as they are (RECO_NO_BUILD=1). The first run with CDS
# writes the archive (at exit) and is reported separately as the cold start.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
model="${1:?usage: startup-time.sh MODEL_DIR [RUNS]}"
runs="${2:-5}"
ticks_per_second="$(getconf CLK_TCK)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for ((run = 0; run <= runs; run++)); do
  out="$work/out.$run"
  : >"$out"
  start_ns="$(date +%s%N)"
  RECO_NO_BUILD=1 "$repo/bin/reco" serve --model "$model" --port 0 >"$out" 2>"$work/err.$run" &
  pid=$!
  until grep -q '^reco server listening on' "$out"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "server exited before serving:" >&2
      cat "$work/err.$run" >&2
      exit 1
    fi
    sleep 0.02
  done
  end_ns="$(date +%s%N)"
  # utime and stime are fields 14 and 15 of /proc/PID/stat (after the parenthesised command name).
  read -r utime stime < <(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12, $13}')
  kill -TERM "$pid"
  wait "$pid" || true
  label="run $run"
  [[ $run -eq 0 ]] && label="cold (first run)"
  awk -v l="$label" -v w="$(( (end_ns - start_ns) / 1000000 ))" -v c="$(( (utime + stime) * 1000 / ticks_per_second ))" \
    'BEGIN { printf "%-17s wall %6.2f s   cpu %6.2f s\n", l, w / 1000, c / 1000 }'
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)   cores: $(nproc)"
