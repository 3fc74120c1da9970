#!/usr/bin/env bash
# Generates the Python stubs of reco.v1 (Recommender and Admin) and grpc.health.v1 into src/ (the
# reco-client package; the generated files are committed so that `pip install` needs no protoc).
#
# With protoc and grpc_python_plugin installed, it regenerates into a scratch directory and updates
# src/ only where the output differs, so a changed .proto never runs against stale stubs (git status
# then shows the update); without them, the committed stubs are used as they are.
#   --check   exit 1 when the committed stubs differ from the .proto files (nothing is written)
#
# The protoc must not be newer than the oldest protobuf runtime the package supports: Debian 12's
# protoc 3.21 (apt-get install protobuf-compiler protobuf-compiler-grpc) generates code that loads on
# protobuf 4.21 and later.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
proto_root="$here/../../proto/src/main/proto"
third_party="$here/../third_party"
src="$here/src"
check=false
[[ "${1:-}" == "--check" ]] && check=true

# generated module (under the protoc output) -> where it lives in the package
declare -A placement=(
  [reco/v1/recommender_pb2.py]=reco/v1/recommender_pb2.py
  [reco/v1/recommender_pb2_grpc.py]=reco/v1/recommender_pb2_grpc.py
  [reco/v1/admin_pb2.py]=reco/v1/admin_pb2.py
  [reco/v1/admin_pb2_grpc.py]=reco/v1/admin_pb2_grpc.py
  [grpc_health/v1/health_pb2.py]=reco/health/v1/health_pb2.py
  [grpc_health/v1/health_pb2_grpc.py]=reco/health/v1/health_pb2_grpc.py
)

for tool in protoc grpc_python_plugin; do
  if ! command -v "$tool" >/dev/null; then
    for target in "${placement[@]}"; do
      if [[ ! -f "$src/$target" ]]; then
        echo "generate.sh: src/$target is missing and $tool is not installed (Debian: apt-get install protobuf-compiler protobuf-compiler-grpc)" >&2
        exit 3
      fi
    done
    echo "generate.sh: $tool not found; using the committed stubs unchecked" >&2
    exit 0
  fi
done

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# google/protobuf/timestamp.proto: Debian's protoc finds it under /usr/include.
include_args=(-I "$proto_root" -I "$third_party")
[[ -d /usr/include/google/protobuf ]] && include_args+=(-I /usr/include)
protoc "${include_args[@]}" \
  --plugin=protoc-gen-grpc_python="$(command -v grpc_python_plugin)" \
  --python_out="$scratch" --grpc_python_out="$scratch" \
  reco/v1/recommender.proto reco/v1/admin.proto grpc_health/v1/health.proto
# The health stubs live in reco.health.v1 (not grpc_health.v1, which grpcio-health-checking owns); the
# descriptor keeps its canonical file name, so both packages can be loaded in one process.
sed -i 's/^from grpc_health\.v1 import health_pb2 as/from reco.health.v1 import health_pb2 as/' \
  "$scratch/grpc_health/v1/health_pb2_grpc.py"

stale=0
for generated in "${!placement[@]}"; do
  target="$src/${placement[$generated]}"
  if ! cmp -s "$scratch/$generated" "$target"; then
    stale=1
    if $check; then
      echo "generate.sh: src/${placement[$generated]} is stale: run client-examples/python/generate.sh" >&2
    else
      mkdir -p "$(dirname "$target")"
      cp "$scratch/$generated" "$target"
      echo "updated src/${placement[$generated]} ($(protoc --version))"
    fi
  fi
done
if $check; then
  exit "$stale"
fi
