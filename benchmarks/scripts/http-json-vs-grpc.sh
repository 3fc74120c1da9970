#!/usr/bin/env bash
# The HTTP/JSON gateway's cost beside gRPC, on one running server, in one run: h2load drives the same
# SimilarItems request (and Echo, the transport alone) over gRPC (HTTP/2, protobuf) and over the JSON
# gateway (HTTP/1.1 keep-alive, proto3 JSON), alternating, with the same number of requests in flight.
#
#   bin/reco serve --model DIR --port 51601 --http-port 18601 &
#   benchmarks/scripts/http-json-vs-grpc.sh 127.0.0.1:51601 127.0.0.1:18601 ITEM_ID [SECONDS] [IN_FLIGHT]
#
# Needs h2load (Debian nghttp2-client) and curl. Every answer is checked once before the runs (h2load
# itself only counts HTTP statuses). The JSON gateway runs at most (--http-threads - 3) requests at
# once (the rest get 503), so IN_FLIGHT defaults to 4.
set -euo pipefail
grpc=${1:?gRPC HOST:PORT}
http=${2:?HTTP HOST:PORT}
item=${3:?an item id of the served generation}
seconds=${4:-10}
inflight=${5:-4}
for tool in h2load curl; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed (Debian: nghttp2-client, curl)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# gRPC bodies: a 5-byte frame header, then the protobuf message
#   SimilarItemsRequest{item_id: ITEM, k: 10} = 0a len ITEM 10 0a;   EchoRequest{} = empty
len=${#item}
if (( len > 120 )); then echo "error: item id too long for this script" >&2; exit 1; fi
printf "\\x00\\x00\\x00\\x00\\x$(printf %02x $((len + 4)))\\x0a\\x$(printf %02x "$len")%s\\x10\\x0a" "$item" > "$work/similar.bin"
printf '\x00\x00\x00\x00\x00' > "$work/echo.bin"
printf '{"itemId":"%s","k":10}' "$item" > "$work/similar.json"
printf '{}' > "$work/echo.json"

check_grpc() {
  local status
  status=$(curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @"$work/$2.bin" "http://$grpc/reco.v1.Recommender/$1" -D - -o /dev/null | tr -d '\r' | awk -F': ' '/^grpc-status/ {print $2}')
  [[ "$status" == 0 ]] || { echo "error: gRPC $1 answered grpc-status '$status'" >&2; exit 1; }
}
check_json() {
  local code
  code=$(curl -s -o "$work/out.json" -w '%{http_code}' -X POST -H 'content-type: application/json' \
    --data-binary @"$work/$2.json" "http://$http/reco.v1.Recommender/$1")
  [[ "$code" == 200 ]] || { echo "error: JSON $1 answered HTTP $code: $(cat "$work/out.json")" >&2; exit 1; }
}
check_grpc SimilarItems similar; check_grpc Echo echo
check_json SimilarItems similar; check_json Echo echo
grep -q '"itemId"' "$work/out.json" 2>/dev/null || check_json SimilarItems similar

# one h2load run (ROUNDS=N sets the number of alternating rounds, default 6): prints "req/s mean_ms" (mean of h2load's per-request times) and fails on any non-2xx
run() {
  local transport=$1 method=$2 body=$3 out
  if [[ $transport == grpc ]]; then
    out=$(h2load -D "$seconds" --warm-up-time 2 -c "$inflight" -m 1 -t 1 -d "$work/$body.bin" \
      -H 'content-type: application/grpc' -H 'te: trailers' "http://$grpc/reco.v1.Recommender/$method")
  else
    out=$(h2load --h1 -D "$seconds" --warm-up-time 2 -c "$inflight" -t 1 -d "$work/$body.json" \
      -H 'content-type: application/json' "http://$http/reco.v1.Recommender/$method")
  fi
  local codes
  codes=$(awk '/^status codes:/ {print $3, $5, $7, $9}' <<<"$out")
  read -r s2 s3 s4 s5 <<<"$codes"
  if [[ "$s3$s4$s5" != "000" ]]; then echo "error: $transport $method: non-2xx answers ($codes)" >&2; echo "$out" >&2; exit 1; fi
  local rps mean
  rps=$(awk '/^finished in/ {print $4}' <<<"$out")
  mean=$(awk '/^time for request:/ {print $6}' <<<"$out")
  echo "$rps $mean"
}

rounds=${ROUNDS:-6}
printf '%-6s %-13s %12s %10s %12s %10s %10s\n' round method 'gRPC req/s' 'mean' 'JSON req/s' 'mean' 'JSON/gRPC'
declare -A sum ratios
for round in $(seq 1 "$rounds"); do
  for method in Echo SimilarItems; do
    body=$([[ $method == Echo ]] && echo echo || echo similar)
    read -r grps gmean < <(run grpc "$method" "$body")
    read -r jrps jmean < <(run json "$method" "$body")
    printf '%-6s %-13s %12s %10s %12s %10s %10s\n' "$round" "$method" "$grps" "$gmean" "$jrps" "$jmean" \
      "$(awk -v j="$jrps" -v g="$grps" 'BEGIN {printf "%.2f", j / g}')"
    ratios[$method]+="$(awk -v j="$jrps" -v g="$grps" 'BEGIN {printf "%.4f", j / g}') "
    sum[$method/grpc]=$(awk -v a="${sum[$method/grpc]:-0}" -v b="$grps" 'BEGIN {print a + b}')
    sum[$method/json]=$(awk -v a="${sum[$method/json]:-0}" -v b="$jrps" 'BEGIN {print a + b}')
  done
done
echo
for method in Echo SimilarItems; do
  median=$(tr ' ' '\n' <<<"${ratios[$method]}" | grep . | sort -g | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}')
  awk -v m="$method" -v g="${sum[$method/grpc]}" -v j="${sum[$method/json]}" -v n="$rounds" -v med="$median" \
    'BEGIN {printf "%-13s mean of rounds: gRPC %.0f req/s, JSON %.0f req/s; JSON/gRPC median of rounds %.2f, of the means %.2f\n", m, g / n, j / n, med, j / g}'
done
