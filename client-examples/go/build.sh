#!/usr/bin/env bash
# Builds bin/reco-client-example offline from Debian's Go packages (no module proxy), first bringing
# recov1/ up to date with the .proto when protoc and the Go plugins are installed.
#
# Debian 12: apt-get install golang-go golang-google-grpc-dev golang-github-golang-protobuf-1-5-dev
#            protobuf-compiler protoc-gen-go protoc-gen-go-grpc
# (not golang-goprotobuf-dev: it brings github.com/golang/protobuf 1.3 and the client then crashes).
#
# The build runs in GOPATH mode over /usr/share/gocode, where Debian installs Go library sources; with
# network access the ordinary module build (`go mod tidy && go build`, see go.mod) works as well.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
proto_root="$here/../../proto/src/main/proto"
debian_gocode=/usr/share/gocode
module=github.com/reco-engine/reco/client-examples/go
binary="$here/bin/reco-client-example"

if ! command -v go >/dev/null; then
  echo "build.sh: go not found (Debian: apt-get install golang-go)" >&2
  exit 3
fi
if [[ ! -d "$debian_gocode/src/google.golang.org/grpc" || ! -d "$debian_gocode/src/google.golang.org/protobuf" ]]; then
  echo "build.sh: Go gRPC sources missing under $debian_gocode (Debian: apt-get install golang-google-grpc-dev golang-github-golang-protobuf-1-5-dev)" >&2
  exit 3
fi

# The generated code is committed (users can `go build` without protoc). When the generators are
# installed, regenerate into a scratch directory and update recov1/ only if the output differs, so that
# a changed API never builds against stale stubs. (Compared by content, not mtime: a fresh clone gives
# the .proto and recov1/ arbitrary relative mtimes.)
generated_files=(recommender.pb.go recommender_grpc.pb.go admin.pb.go admin_grpc.pb.go)
if command -v protoc >/dev/null && command -v protoc-gen-go >/dev/null && command -v protoc-gen-go-grpc >/dev/null; then
  regenerated="$(mktemp -d)"
  include_args=(-I "$proto_root")
  [[ -d /usr/include/google/protobuf ]] && include_args+=(-I /usr/include)
  protoc "${include_args[@]}" \
    --go_out="$regenerated" --go_opt=module="$module" \
    --go-grpc_out="$regenerated" --go-grpc_opt=module="$module" \
    reco/v1/recommender.proto reco/v1/admin.proto
  mkdir -p "$here/recov1"
  for file in "${generated_files[@]}"; do
    if ! cmp -s "$regenerated/recov1/$file" "$here/recov1/$file"; then
      cp "$regenerated/recov1/$file" "$here/recov1/$file"
      echo "updated recov1/$file ($(protoc --version), $(protoc-gen-go --version))"
    fi
  done
  rm -rf "$regenerated"
else
  for file in "${generated_files[@]}"; do
    if [[ ! -f "$here/recov1/$file" ]]; then
      echo "build.sh: recov1/$file is missing and protoc/protoc-gen-go/protoc-gen-go-grpc are not installed" >&2
      echo "          (Debian: apt-get install protobuf-compiler protoc-gen-go protoc-gen-go-grpc)" >&2
      exit 3
    fi
  done
  echo "build.sh: protoc or its Go plugins are missing; building the committed recov1/ unchecked" >&2
fi

# Skip the build when the binary is newer than every source.
if [[ -x "$binary" && -z "$(find "$here" -name '*.go' -newer "$binary" -print -quit)" ]]; then
  exit 0
fi

# GOPATH mode wants the package at $GOPATH/src/<import path>: copy the sources into a scratch GOPATH
# (a copy, not a symlink: the go tool resolves symlinked package directories inconsistently).
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/src/$module/recov1"
cp "$here"/*.go "$scratch/src/$module/"
cp "$here"/recov1/*.go "$scratch/src/$module/recov1/"
mkdir -p "$here/bin"
(
  cd "$scratch/src/$module"
  GO111MODULE=off GOPATH="$scratch:$debian_gocode" GOPROXY=off GOFLAGS= \
    go build -o "$binary" .
)
echo "built $binary"
