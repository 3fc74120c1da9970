#!/usr/bin/env bash
# Server throughput measured with h2load (nghttp2-client), a load generator that is not the bottleneck:
# starts `bin/reco serve` on a generation, checks each call's grpc-status once with nghttp, warms the
# server up, then runs h2load against the no-op calls (Health/Check, Echo) and the scoring calls, all in
# one run, and prints req/s and the ratio of each call to Echo.
#
#   benchmarks/scripts/grpc-h2load.sh [--model DIR | --dataset DIR] [options]
#
#   --model DIR       a model root (DIR/CURRENT) to serve
#   --dataset DIR     MovieLens latest folder: train it into a temporary root first
#                     (default: ../shared/data/ml-latest-small beside the repository, when --model is not given)
#   --user ID         user of the RecommendForUser calls (default 1)
#   --item ID         item of the SimilarItems call (default 1)
#   --calls LIST      comma-separated subset of: health,echo,similar,user,user-als,user-ease (default all)
#   -n N              requests per measured call (default 100000); warm-up is N/5 per call
#   --port N          gRPC port (default 51300); --http-port N (default 18300)
#   --jfr DIR         also record a JFR profile (CPU samples + allocations) of each measured call into
#                     DIR/CALL.jfr and print its hottest methods and allocation sites
#   --executor KIND   server --call-executor (pool or direct; default: the server's default)
#
# Needs: h2load and nghttp (Debian package nghttp2-client), python3, built jars (./mvnw -q -DskipTests package).
# h2load counts HTTP/2 status only: a call is measured only after nghttp saw grpc-status 0 for it, and
# the run fails if h2load reports any failed or errored request.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODEL=""
DATASET=""
USER_ID=1
ITEM_ID=1
CALLS="health,echo,similar,user,user-als,user-ease"
N=100000
PORT=51300
HTTP_PORT=18300
JFR_DIR=""
EXECUTOR=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --model) MODEL="$2"; shift 2 ;;
    --dataset) DATASET="$2"; shift 2 ;;
    --user) USER_ID="$2"; shift 2 ;;
    --item) ITEM_ID="$2"; shift 2 ;;
    --calls) CALLS="$2"; shift 2 ;;
    -n) N="$2"; shift 2 ;;
    --port) PORT="$2"; shift 2 ;;
    --http-port) HTTP_PORT="$2"; shift 2 ;;
    --jfr) JFR_DIR="$2"; shift 2 ;;
    --executor) EXECUTOR="$2"; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

for tool in h2load nghttp python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install nghttp2-client python3)" >&2; exit 1; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/reco-h2load.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [[ -z "$MODEL" ]]; then
  DATASET="${DATASET:-$ROOT/../shared/data/ml-latest-small}"
  [[ -f "$DATASET/ratings.csv" ]] || { echo "no ratings.csv in $DATASET (give --model or --dataset)" >&2; exit 1; }
  MODEL="$WORK/model"
  echo "training $DATASET into a temporary generation ..." >&2
  "$ROOT/bin/reco" train --interactions "$DATASET/ratings.csv" --items "$DATASET/movies.csv" \
      --tags "$DATASET/tags.csv" --min-weight 4 --out "$MODEL" >"$WORK/train.log" 2>&1 \
      || { cat "$WORK/train.log" >&2; exit 1; }
fi

# Length-prefixed gRPC request bodies, encoded once (protobuf wire format by hand: the messages are tiny).
python3 - "$WORK" "$USER_ID" "$ITEM_ID" <<'EOF'
import struct, sys
work, user, item = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7f; v >>= 7
        if v: out.append(b | 0x80)
        else: out.append(b); return bytes(out)
def string(field, s): return varint(field << 3 | 2) + varint(len(s)) + s
def int32(field, v): return varint(field << 3) + varint(v)
def grpc(msg): return b"\0" + struct.pack(">I", len(msg)) + msg
bodies = {
    "health": b"",                                          # HealthCheckRequest{service=""}
    "echo": b"",                                            # EchoRequest{}
    "similar": string(1, item) + int32(2, 10),              # SimilarItemsRequest{item_id, k=10}
    "user": string(1, user) + int32(2, 10),                 # RecommendForUserRequest{user_id, k=10}
    "user-als": string(1, user) + int32(2, 10) + int32(3, 4),   # model=MODEL_ALS
    "user-ease": string(1, user) + int32(2, 10) + int32(3, 5),  # model=MODEL_EASE
}
for name, msg in bodies.items():
    open(f"{work}/{name}.bin", "wb").write(grpc(msg))
EOF

path_of() {
  case "$1" in
    health) echo /grpc.health.v1.Health/Check ;;
    echo) echo /reco.v1.Recommender/Echo ;;
    similar) echo /reco.v1.Recommender/SimilarItems ;;
    user|user-als|user-ease) echo /reco.v1.Recommender/RecommendForUser ;;
    *) echo "unknown call $1" >&2; exit 2 ;;
  esac
}
URL="http://127.0.0.1:$PORT"
GRPC_HEADERS=(-H 'content-type: application/grpc' -H 'te: trailers')

SERVE_ARGS=(serve --model "$MODEL" --port "$PORT" --http-port "$HTTP_PORT")
[[ -n "$EXECUTOR" ]] && SERVE_ARGS+=(--call-executor "$EXECUTOR")
"$ROOT/bin/reco" "${SERVE_ARGS[@]}" >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
for _ in $(seq 1 240); do
  grep -q 'reco server listening' "$WORK/serve.out" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.err" >&2; echo "server exited" >&2; exit 1; }
  sleep 0.5
done
grep -q 'reco server listening' "$WORK/serve.out" || { echo "server did not start in 120 s" >&2; exit 1; }
grep 'reco server listening' "$WORK/serve.out" >&2

IFS=, read -r -a CALL_LIST <<<"$CALLS"
# One real call each: grpc-status must be 0 (h2load alone would count a gRPC error as a success).
for call in "${CALL_LIST[@]}"; do
  out="$(nghttp -v -d "$WORK/$call.bin" "${GRPC_HEADERS[@]}" "$URL$(path_of "$call")" 2>&1 | tr -d '\0' || true)"
  status="$(sed -n 's/.*grpc-status: \([0-9]*\).*/\1/p' <<<"$out" | head -1)"
  if [[ "$status" != "0" ]]; then
    echo "$call: grpc-status '${status:-none}' ($(sed -n 's/.*grpc-message: //p' <<<"$out" | head -1))" >&2
    exit 1
  fi
done
echo "grpc-status 0 for: $CALLS" >&2

run_h2load() { # call requests -> "req/s"
  local out
  out="$(h2load -n "$2" -c 4 -m 32 -t 1 -d "$WORK/$1.bin" "${GRPC_HEADERS[@]}" "$URL$(path_of "$1")" 2>&1)"
  local ok failed errored
  read -r ok failed errored < <(sed -n 's/^requests: .* \([0-9]*\) succeeded, \([0-9]*\) failed, \([0-9]*\) errored.*/\1 \2 \3/p' <<<"$out")
  if [[ "$failed" != "0" || "$errored" != "0" || "$ok" != "$2" ]]; then
    echo "$1: h2load saw failures:" >&2; echo "$out" >&2; exit 1
  fi
  sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' <<<"$out"
}

echo "warming up ($((N / 5)) requests per call) ..." >&2
for call in "${CALL_LIST[@]}"; do run_h2load "$call" $((N / 5)) >/dev/null; done

JAVA_BIN="$(dirname "$(readlink -f "$(command -v java)")")"
for j in /usr/lib/jvm/temurin-25-jdk-amd64/bin "${JAVA_HOME:-/nonexistent}/bin"; do [[ -x "$j/jcmd" ]] && JAVA_BIN="$j"; done
declare -A RATE
for call in "${CALL_LIST[@]}"; do
  if [[ -n "$JFR_DIR" ]]; then
    mkdir -p "$JFR_DIR"
    "$JAVA_BIN/jcmd" "$SERVER_PID" JFR.start name="$call" settings=profile >/dev/null
  fi
  RATE[$call]="$(run_h2load "$call" "$N")"
  if [[ -n "$JFR_DIR" ]]; then
    "$JAVA_BIN/jcmd" "$SERVER_PID" JFR.stop name="$call" filename="$(readlink -f "$JFR_DIR")/$call.jfr" >/dev/null
  fi
done

echo
echo "h2load -n $N -c 4 -m 32 -t 1, one server, one run ($(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '| %-34s | %10s | %13s | %15s |\n' call req/s "ratio to Echo" "ratio to Health"
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..36})" "$(printf -- '-%.0s' {1..11}):" "$(printf -- '-%.0s' {1..14}):" "$(printf -- '-%.0s' {1..16}):"
label() {
  case "$1" in
    health) echo "grpc.health.v1.Health/Check" ;;
    echo) echo "Echo" ;;
    similar) echo "SimilarItems item $ITEM_ID, k=10" ;;
    user) echo "RecommendForUser $USER_ID, default model" ;;
    user-als) echo "RecommendForUser $USER_ID, MODEL_ALS" ;;
    user-ease) echo "RecommendForUser $USER_ID, MODEL_EASE" ;;
  esac
}
for call in "${CALL_LIST[@]}"; do
  ratio="-"; ratio_health="-"
  [[ -n "${RATE[echo]:-}" ]] && ratio="$(python3 -c "print(f'{${RATE[$call]} / ${RATE[echo]}:.2f}')")"
  [[ -n "${RATE[health]:-}" ]] && ratio_health="$(python3 -c "print(f'{${RATE[$call]} / ${RATE[health]}:.2f}')")"
  printf '| %-34s | %10.0f | %13s | %15s |\n' "$(label "$call")" "${RATE[$call]}" "$ratio" "$ratio_health"
done

if [[ -n "$JFR_DIR" ]]; then
  for call in "${CALL_LIST[@]}"; do
    echo; echo "== $call: hottest methods (JFR execution samples) =="
    "$JAVA_BIN/jfr" view --width 160 hot-methods "$JFR_DIR/$call.jfr" | sed -n '5,18p'
    echo; echo "== $call: allocation by site =="
    "$JAVA_BIN/jfr" view --width 160 allocation-by-site "$JFR_DIR/$call.jfr" | sed -n '5,14p'
  done
fi
