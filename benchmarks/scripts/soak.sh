#!/usr/bin/env bash
# Soak: `bin/reco serve` under steady open-loop load while the trainer publishes a new generation every
# 30 s; counts failed calls and samples the heap after a full GC once a minute.
#
#   benchmarks/scripts/soak.sh [options]
#
#   --duration S      measured load, seconds (default 600)
#   --rate N          calls per second, open loop (default 500): SimilarItems / RecommendForUser / item lists mix
#   --publish-every S start a new training run this often (default 30); a run that takes longer delays the next
#   --port N          gRPC port (default 51310); --http-port N (default 18310)
#   --work DIR        working folder (default: a new temporary one, removed at the end)
#
# Data: a seeded synthetic implicit set (bin/reco synth, 3,000 items, 5,000 users, 150,000 interactions)
# trained with the default models; every run publishes a new generation of the same ids, so the load
# generator's ids stay valid across swaps (--unknown-share 0: any non-OK status is a failure).
# Passes when no call failed, at least one generation per publish interval was served, and the heap
# after a full GC (jcmd GC.run, then GC.heap_info) at the end is within 5% of the first sample taken
# after the first minute.
# Needs: built jars (./mvnw -q -DskipTests package) and a JDK 25 with jcmd.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DURATION=600
RATE=500
PUBLISH_EVERY=30
PORT=51310
HTTP_PORT=18310
WORK=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --publish-every) PUBLISH_EVERY="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --http-port) HTTP_PORT="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
KEEP_WORK=yes
if [[ -z "$WORK" ]]; then WORK="$(mktemp -d "${TMPDIR:-/tmp}/reco-soak.XXXXXX")"; KEEP_WORK=""; fi
mkdir -p "$WORK"
JCMD=""
for j in /usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd "${JAVA_HOME:-/nonexistent}/bin/jcmd"; do [[ -x "$j" ]] && JCMD="$j"; done
[[ -n "$JCMD" ]] || { echo "no jcmd of a JDK 25 found (set JAVA_HOME)" >&2; exit 1; }

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ -n "$KEEP_WORK" ]] || rm -rf "$WORK"
}
trap cleanup EXIT

MODEL="$WORK/model"
DATA="$WORK/interactions.tsv"
"$ROOT/bin/reco" synth --out "$DATA" --items 3000 --users 5000 --interactions 150000 --seed 7 >"$WORK/synth.log" 2>&1
train() { "$ROOT/bin/reco" train --interactions "$DATA" --out "$MODEL" >>"$WORK/train.log" 2>&1; }
echo "training the first generation ..." >&2
train || { tail -20 "$WORK/train.log" >&2; exit 1; }

"$ROOT/bin/reco" serve --model "$MODEL" --port "$PORT" --http-port "$HTTP_PORT" --poll-interval 1s \
    >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
for _ in $(seq 1 240); do
  grep -q 'reco server listening' "$WORK/serve.out" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.err" >&2; exit 1; }
  sleep 0.5
done
grep 'reco server listening' "$WORK/serve.out" >&2

heap_after_full_gc() { # -> used KiB of the Java heap (all generations; not metaspace)
  "$JCMD" "$SERVER_PID" GC.run >/dev/null
  "$JCMD" "$SERVER_PID" GC.heap_info | grep -E 'Gen |heap ' | grep -o 'used [0-9]*K' | tr -dc '0-9\n' \
      | awk '{ s += $1 } END { print s }'
}

# Publisher: a training run every PUBLISH_EVERY seconds (the next starts when both the interval has
# passed and the previous run has finished).
(
  while true; do
    started=$(date +%s)
    if train; then echo "$(date -u +%T) published" >>"$WORK/publish.log"; else echo "$(date -u +%T) train failed" >>"$WORK/publish.log"; fi
    left=$((PUBLISH_EVERY - ($(date +%s) - started)))
    (( left > 0 )) && sleep "$left"
  done
) &
PIDS+=($!)

# Heap sampler: once a minute, after a full GC.
(
  while sleep 60; do
    echo "$(date -u +%T) $(heap_after_full_gc)" >>"$WORK/heap.log"
  done
) &
PIDS+=($!)

echo "load: $RATE calls/s open loop for ${DURATION}s, a generation every ${PUBLISH_EVERY}s ..." >&2
set +e
"$ROOT/bin/reco" loadtest --target "127.0.0.1:$PORT" --model "$MODEL" --call mix --rate "$RATE" \
    --duration "${DURATION}s" --warmup 5s --unknown-share 0 --timeout 5s --connect-timeout 60s --json "$WORK/load.json" >"$WORK/load.out" 2>&1
LOAD_EXIT=$?
set -e
FINAL_HEAP="$(heap_after_full_gc)"
echo "$(date -u +%T) $FINAL_HEAP (final)" >>"$WORK/heap.log"

echo
echo "== soak: ${DURATION}s at $RATE/s, publish every ${PUBLISH_EVERY}s ($(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg))"
cat "$WORK/load.out"
PUBLISHED=$(grep -c published "$WORK/publish.log" || true)
FAILED_TRAINS=$(grep -c 'train failed' "$WORK/publish.log" || true)
SWAPS=$(grep -ci 'serving generation\|now serving\|swapped' "$WORK/serve.err" || true)
echo "generations published during the run: $PUBLISHED (failed training runs: $FAILED_TRAINS); server log lines about swaps: $SWAPS"
echo "heap used after full GC (KiB), one line a minute:"
cat "$WORK/heap.log"
FIRST=$(sed -n '1p' "$WORK/heap.log" | cut -d' ' -f2)
python3 - "$FIRST" "$FINAL_HEAP" "$LOAD_EXIT" "$WORK/load.out" <<'EOF'
import re, sys
first, final, load_exit = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
ok_calls, failed = 0, {}
for m in re.finditer(r"^\s*\[(\w+)\]\s+(\d+) responses", open(sys.argv[4]).read(), re.M):
    if m.group(1) == "OK":
        ok_calls += int(m.group(2))
    else:
        failed[m.group(1)] = int(m.group(2))
change = (final - first) / first
print(f"calls: {ok_calls} OK, failed: {sum(failed.values())} {failed or ''}")
print(f"heap after full GC: first sample {first} KiB, final {final} KiB, change {change:+.1%} (limit 5%)")
ok = abs(change) <= 0.05 and load_exit == 0 and not failed and ok_calls > 0
print("SOAK", "PASSED" if ok else "FAILED")
sys.exit(0 if ok else 1)
EOF
