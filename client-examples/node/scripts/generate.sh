#!/usr/bin/env bash
# `npm run build`: generates the package's stubs into generated/ from the API's .proto files.
#   generated/reco.binpb, generated/health.binpb   descriptor sets (buf build) that index.js loads
#   generated/types/                                TypeScript types of every message and client
#                                                    (proto-loader-gen-types, same loader options)
# Both tools come with the package's devDependencies (`npm ci`): @bufbuild/buf and @grpc/proto-loader.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
proto_module="$here/../../proto"
proto_root="$proto_module/src/main/proto"
third_party="$here/../third_party"
bin="$here/node_modules/.bin"
for tool in buf proto-loader-gen-types; do
  if [[ ! -x "$bin/$tool" ]]; then
    echo "generate.sh: $bin/$tool missing: run npm ci in $here" >&2
    exit 3
  fi
done

out="$here/generated"
rm -rf "$out"
mkdir -p "$out/types"
"$bin/buf" build "$proto_module" -o "$out/reco.binpb"
"$bin/buf" build "$third_party" --path "$third_party/grpc_health/v1/health.proto" -o "$out/health.binpb"
# Keep these options in step with LOADER_OPTIONS in index.js.
# (the files first: --includeDirs takes every argument after it)
"$bin/proto-loader-gen-types" reco/v1/recommender.proto reco/v1/admin.proto grpc_health/v1/health.proto \
  --keepCase --longs=String --enums=String --defaults --oneofs --includeComments \
  --grpcLib=@grpc/grpc-js --outDir="$out/types" --includeDirs "$proto_root" "$third_party" >/dev/null
echo "generated $out ($("$bin/buf" --version 2>&1 | head -n 1))" >&2
