#!/usr/bin/env bash
# Protects the published reco.v1 API: `buf lint` (naming and style rules of buf.yaml) and `buf breaking`
# against the released API recorded in api/reco-v1.json (wire, JSON and generated-code compatibility).
#
#   proto/check-api.sh                    lint, then the breaking-change check; exit 1 on any finding
#   proto/check-api.sh --record-release   after a release: record the current API as the baseline
#
# buf comes from npm (@bufbuild/buf, a devDependency of client-examples/node: `npm ci` there installs
# it) or from PATH; BUF=/path/to/buf picks one.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
baseline="api/reco-v1.json"

buf="${BUF:-}"
if [[ -z "$buf" ]]; then
  if [[ -x "$here/../client-examples/node/node_modules/.bin/buf" ]]; then
    buf="$here/../client-examples/node/node_modules/.bin/buf"
  elif command -v buf >/dev/null; then
    buf="$(command -v buf)"
  else
    echo "check-api.sh: buf not found: run npm ci in client-examples/node (it installs @bufbuild/buf), or put buf on PATH" >&2
    exit 1
  fi
fi

cd "$here"
if [[ "${1:-}" == "--record-release" ]]; then
  "$buf" build --exclude-source-info -o "$baseline"
  echo "check-api.sh: recorded the current API in proto/$baseline; commit it with the release"
  exit 0
elif [[ $# -gt 0 ]]; then
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi

"$buf" lint
"$buf" breaking --against "$baseline"
echo "check-api.sh: lint clean, no breaking change against proto/$baseline ($("$buf" --version))"
