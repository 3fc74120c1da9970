#!/usr/bin/env bash
# Throughput of live feedback over gRPC, measured with h2load (Debian nghttp2-client) against Echo in one
# run on one server: RecordInteractions (one event per call, for one user already at the per-user limit:
# every call rewrites a full 100-event entry), RecommendForUser for a new user with 10 recorded events
# (served from them), and RecommendForUser for a known user without recorded events.
#
# usage: benchmarks/scripts/feedback-h2load.sh MODEL_ROOT [SECONDS]
#   MODEL_ROOT  a trained model root (e.g. bin/reco train --interactions ml-latest-small/ratings.csv ...)
#   SECONDS     measured seconds per phase (default 15), after a 10 s warm-up pass per call and 5 s
#               of warm-up per measured phase
# Environment: GRPC_PORT (51801), HTTP_PORT (18801), KNOWN_USER (1), ITEMS (10 item ids, comma-separated;
# default: MovieLens ids), CALL_EXECUTOR (pool).
#
# h2load counts every HTTP 200 as a success and never reads grpc-status: the script prints the server's
# own count of calls per method and status (from /metrics) after the run, so a phase that failed at the
# gRPC level shows up there. (A few CANCELLED per phase are expected: h2load resets the calls still in
# flight when a timed phase ends.)
set -euo pipefail
root=${1:?usage: $0 MODEL_ROOT [SECONDS]}
seconds=${2:-15}
grpc_port=${GRPC_PORT:-51801}
http_port=${HTTP_PORT:-18801}
known_user=${KNOWN_USER:-1}
items=${ITEMS:-1,3114,2355,4886,6377,4306,588,364,2081,1907}
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT

# gRPC request bodies: 1-byte flag, 4-byte big-endian length, protobuf message (encoded by hand)
python3 - "$work" "$known_user" "$items" <<'PY'
import struct, sys
work, known_user, items = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
def varint(n):
    out = b""
    while True:
        b = n & 0x7F; n >>= 7
        out += bytes([b | (0x80 if n else 0)])
        if not n: return out
def field_bytes(number, data): return varint(number << 3 | 2) + varint(len(data)) + data
def field_varint(number, value): return varint(number << 3) + varint(value)
def field_float(number, value): return varint(number << 3 | 5) + struct.pack("<f", value)
def interaction(user, item, weight): return field_bytes(1, user.encode()) + field_bytes(2, item.encode()) + field_float(3, weight)
def frame(msg): return b"\x00" + struct.pack(">I", len(msg)) + msg
def write(name, msg):
    with open(f"{work}/{name}", "wb") as f: f.write(frame(msg))
write("echo.bin", b"")
write("record.bin", field_bytes(1, interaction("bench-writer", items[0], 5.0)))
write("record-10.bin", b"".join(field_bytes(1, interaction("bench-reader", i, 5.0)) for i in items))
write("fill-writer.bin", b"".join(field_bytes(1, interaction("bench-writer", items[j % len(items)], 5.0)) for j in range(100)))
write("user-feedback.bin", field_bytes(1, b"bench-reader") + field_varint(2, 10))
write("user-known.bin", field_bytes(1, known_user.encode()) + field_varint(2, 10))
PY

"$repo/bin/reco" serve --model "$root" --port "$grpc_port" --http-port "$http_port" --feedback "$work/feedback" \
    --call-executor "${CALL_EXECUTOR:-pool}" > "$work/server.out" 2> "$work/server.err" &
server_pid=$!
for _ in $(seq 1 240); do
    grep -q "reco server listening" "$work/server.out" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err"; exit 1; }
    sleep 0.5
done
grep -q "reco server listening" "$work/server.out" || { echo "server did not start" >&2; cat "$work/server.err" >&2; exit 1; }

h2() { # NAME BODY PATH [extra h2load args]
    local name=$1 body=$2 path=$3; shift 3
    h2load -c 4 -m 32 -t 1 "$@" -d "$work/$body" -H 'content-type: application/grpc' -H 'te: trailers' \
        "http://127.0.0.1:$grpc_port/reco.v1.Recommender/$path" > "$work/$name.txt"
    printf '%-28s %s | %s\n' "$name" "$(grep -E '^finished in' "$work/$name.txt")" \
        "$(grep -E '^requests:' "$work/$name.txt")"
    grep -E '^time for request:' "$work/$name.txt" | sed 's/^/    /'
}
# the 10 events of the reader and a writer already at the 100-event limit
h2 setup-reader record-10.bin RecordInteractions -n 1 -c 1 -m 1
h2 setup-writer fill-writer.bin RecordInteractions -n 1 -c 1 -m 1
# pass 1 warms the JIT up on every call (a fresh server's first phase would otherwise pay for
# compilation), pass 2 is measured; within a pass the phases run back to back, Echo first and last
for pass in warm-up measured; do
    echo "== $pass pass"
    if [ "$pass" = warm-up ]; then run=(-D 10); else run=(-D "$seconds" --warm-up-time=5); fi
    h2 echo echo.bin Echo "${run[@]}"
    h2 record-interactions record.bin RecordInteractions "${run[@]}"
    h2 user-10-recorded user-feedback.bin RecommendForUser "${run[@]}"
    h2 user-known-no-feedback user-known.bin RecommendForUser "${run[@]}"
    h2 echo-again echo.bin Echo "${run[@]}"
done

echo "server-side call counts by method and status (grpc.server.processing.duration):"
curl -s "http://127.0.0.1:$http_port/metrics" | grep -E '^grpc_server_processing_duration_seconds_count' \
    | grep -E 'method="(Echo|RecordInteractions|RecommendForUser)"' | sed -E 's/.*method="([^"]+)".*statusCode="([^"]+)".*\} (.*)/    \1 \2 \3/'
curl -s "http://127.0.0.1:$http_port/metrics" | grep -E '^reco_feedback_(events_recorded_total|store_users|events_evicted_total)' | sed 's/^/    /'
