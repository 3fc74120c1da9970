#!/usr/bin/env bash
# Builds (when out of date) and runs the Java, Python, Node.js and Go client examples against a running
# reco server, and checks that each printed the expected greppable lines.
#
# usage: client-examples/run-all.sh [ADDRESS]        (default localhost:50051)
#
# Environment:
#   CLIENTS="java python node go"  which examples to run (a subset, any order)
#   REQUIRE_ALL_CLIENTS=1          a missing toolchain is a FAIL instead of a SKIP
#   JAVA_HOME                      a JDK 25+ (else the usual install locations are searched)
#   RUN_ALL_LOG_DIR                where per-language logs go (default: a fresh temp directory)
#
# Prints one "<language>: PASS|FAIL|SKIP (...)" line per example. Exit codes: 0 no FAIL, 1 at least one
# FAIL, 2 bad usage. Builds run offline (Maven may resolve from ~/.m2 or Maven Central); nothing is
# installed here: client-examples/install-deps.sh installs the Debian and npm packages.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

if [[ $# -gt 1 || "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
address="${1:-localhost:50051}"
clients="${CLIENTS:-java python node go}"
for language in $clients; do
  case "$language" in
    java | python | node | go) ;;
    *) echo "run-all.sh: unknown client '$language' in CLIENTS (known: java python node go)" >&2; exit 2 ;;
  esac
done
require_all="${REQUIRE_ALL_CLIENTS:-0}"
log_dir="${RUN_ALL_LOG_DIR:-$(mktemp -d -t reco-run-all.XXXXXX)}"
mkdir -p "$log_dir"
# A run that exceeds this is hung: every call in the examples has a 2 s deadline.
run_timeout_seconds=120

# Lines every example must print (extended regular expressions, whole lines).
expected_lines=(
  '^health: SERVING$'
  '^model-info: generation=[^ ]+ items=[0-9]+ users=[0-9]+ '
  '^similar: item=[^ ]+ k=5 got=5( |$)'
  '^user-known: user=[^ ]+ got=[1-9][0-9]* '
  '^user-unknown: fallback=true( |$)'
  '^items: items=[^ ]+ got=[1-9][0-9]* '
  '^batch: results=2 ok=1 not_found=1$'
  '^error-not-found: ok$'
  '^error-invalid-argument: ok$'
  '^done$'
)

declare -A result
any_fail=0

# skip LANGUAGE REASON: a missing toolchain; a FAIL when REQUIRE_ALL_CLIENTS=1.
skip() {
  if [[ "$require_all" == "1" ]]; then
    result[$1]="FAIL ($2; REQUIRE_ALL_CLIENTS=1)"
    any_fail=1
  else
    result[$1]="SKIP ($2)"
  fi
}

fail() {
  result[$1]="FAIL ($2)"
  any_fail=1
}

# check_output LANGUAGE EXIT_CODE LOG: the exit code and every expected line.
check_output() {
  local language="$1" exit_code="$2" log="$3" missing=()
  for pattern in "${expected_lines[@]}"; do
    grep -Eq -- "$pattern" "$log" || missing+=("$pattern")
  done
  if [[ "$exit_code" -ne 0 ]]; then
    fail "$language" "exit code $exit_code; log $log"
  elif [[ ${#missing[@]} -gt 0 ]]; then
    fail "$language" "missing lines: ${missing[*]}; log $log"
  else
    result[$language]="PASS"
    return 0
  fi
  echo "---- $language output (last 30 lines of $log) ----" >&2
  tail -n 30 "$log" >&2
  return 1
}

# run_example LANGUAGE COMMAND...: runs one example with a timeout, stdout and stderr to its log.
run_example() {
  local language="$1"
  shift
  local log="$log_dir/$language.log"
  timeout "$run_timeout_seconds" "$@" >"$log" 2>"$log_dir/$language.stderr"
  local exit_code=$?
  cat "$log_dir/$language.stderr" >>"$log"
  check_output "$language" "$exit_code" "$log"
}

# A JDK whose major version is at least 25, or nothing.
find_java25() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*25* /usr/lib/jvm/* /opt/java/* /opt/jdk* \
                   "${HOME:-/nonexistent}"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [[ -n "$candidate" && -x "$candidate/bin/java" ]] || continue
    version="$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    if [[ "${version%%.*}" =~ ^[0-9]+$ && "${version%%.*}" -ge 25 ]]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

run_java() {
  local java_home jar="$here/java/target/reco-client-example.jar"
  if ! java_home="$(find_java25)"; then
    skip java "no JDK 25+: set JAVA_HOME"
    return
  fi
  # Rebuild when any source of the example or of the API is newer than the jar.
  if [[ ! -f "$jar" || -n "$(find "$here/java/src/main" "$here/java/pom.xml" "$repo/proto/src/main" \
        "$repo/proto/pom.xml" "$repo/pom.xml" -newer "$jar" -print -quit)" ]]; then
    echo "java: building the example jar (./mvnw -pl client-examples/java -am package)" >&2
    if ! (cd "$repo" && JAVA_HOME="$java_home" ./mvnw -q -pl client-examples/java -am package -DskipTests \
          >"$log_dir/java-build.log" 2>&1); then
      fail java "build failed; log $log_dir/java-build.log"
      tail -n 30 "$log_dir/java-build.log" >&2
      return
    fi
  fi
  run_example java "$java_home/bin/java" --enable-native-access=ALL-UNNAMED \
    --sun-misc-unsafe-memory-access=allow -jar "$jar" "$address"
}

run_python() {
  # Debian's python3-grpcio/python3-protobuf live in the system interpreter, not in pyenv's.
  local python=/usr/bin/python3
  if [[ ! -x "$python" ]] || ! "$python" -c 'import grpc, google.protobuf' 2>/dev/null; then
    skip python "$python cannot import grpc and google.protobuf (apt-get install python3-grpcio python3-protobuf)"
    return
  fi
  "$here/python/generate.sh" >"$log_dir/python-build.log" 2>&1
  case $? in
    0) ;;
    3) skip python "$(tail -n 1 "$log_dir/python-build.log")"; return ;;
    *) fail python "stub generation failed; log $log_dir/python-build.log"; return ;;
  esac
  # The example runs on the reco-client package as pip installs it (into a scratch directory, offline,
  # with the system's grpcio and protobuf), not on the sources beside it.
  local site="$log_dir/python-site"
  rm -rf "$site"
  if ! "$python" -m pip --version >/dev/null 2>&1; then
    skip python "$python has no pip (apt-get install python3-pip python3-setuptools python3-wheel)"
    return
  fi
  if ! "$python" -m pip install --quiet --no-build-isolation --no-deps --no-index --target "$site" "$here/python" \
        >>"$log_dir/python-build.log" 2>&1; then
    fail python "pip install of client-examples/python failed; log $log_dir/python-build.log"
    tail -n 30 "$log_dir/python-build.log" >&2
    return
  fi
  cp "$here/python/reco_client_example.py" "$site/"
  run_example python "$python" "$site/reco_client_example.py" "$address"
}

run_node() {
  local node_dir="$here/node"
  if ! command -v node >/dev/null; then
    skip node "node not found"
    return
  fi
  if [[ ! -d "$node_dir/node_modules/@grpc/grpc-js" || ! -d "$node_dir/node_modules/@grpc/proto-loader" \
        || ! -d "$node_dir/node_modules/@bufbuild/buf" ]]; then
    # Installs from the npm cache only; with network, install-deps.sh runs a plain `npm ci`.
    if ! command -v npm >/dev/null || ! (cd "$node_dir" && npm ci --offline --ignore-scripts --no-audit --no-fund \
          >"$log_dir/node-build.log" 2>&1); then
      skip node "node_modules missing: run client-examples/install-deps.sh (npm ci in client-examples/node)"
      return
    fi
  fi
  # The example runs from the package as npm packs it (its prepack script generates the stubs from the
  # current .proto files with buf and proto-loader), unpacked beside the dependencies npm ci installed:
  # a file missing from the package fails here, not at a user's.
  local package_root="$log_dir/node-package" tarball
  rm -rf "$package_root"
  mkdir -p "$package_root/node_modules/@reco-engine/reco-client"
  if ! tarball="$(cd "$node_dir" && npm pack --silent --pack-destination "$package_root" 2>"$log_dir/node-build.log")" \
      || ! tar -xzf "$package_root/$tarball" -C "$package_root/node_modules/@reco-engine/reco-client" --strip-components=1 \
        2>>"$log_dir/node-build.log"; then
    fail node "npm pack failed; log $log_dir/node-build.log"
    tail -n 30 "$log_dir/node-build.log" >&2
    return
  fi
  local dependency
  for dependency in "$node_dir"/node_modules/*; do
    ln -s "$dependency" "$package_root/node_modules/"
  done
  run_example node node "$package_root/node_modules/@reco-engine/reco-client/reco-client-example.js" "$address"
}

run_go() {
  "$here/go/build.sh" >"$log_dir/go-build.log" 2>&1
  case $? in
    0) ;;
    3) skip go "$(head -n 1 "$log_dir/go-build.log")"; return ;;
    *) fail go "build failed; log $log_dir/go-build.log"; tail -n 30 "$log_dir/go-build.log" >&2; return ;;
  esac
  run_example go "$here/go/bin/reco-client-example" "$address"
}

echo "running client examples [$clients] against $address (logs in $log_dir)" >&2
ran=()
for language in $clients; do
  "run_$language"
  ran+=("$language")
done

for language in "${ran[@]}"; do
  echo "$language: ${result[$language]}"
done

# The step lines (not the indented item lines, whose float formatting may differ in the last digit, nor
# the "similar to <title or id>:" header: its title comes from a best-effort lookup that shows the id
# instead when that call misses its deadline on a loaded machine)
# should be identical across languages; a difference is reported, not failed.
passed=()
for language in "${ran[@]}"; do
  [[ "${result[$language]}" == PASS ]] && passed+=("$language")
done
if [[ ${#passed[@]} -ge 2 ]]; then
  reference="${passed[0]}"
  consistent=true
  for language in "${passed[@]:1}"; do
    if ! diff <(grep -Ev '^(  |similar to )' "$log_dir/$reference.log") <(grep -Ev '^(  |similar to )' "$log_dir/$language.log") \
          >"$log_dir/diff-$reference-$language.txt"; then
      echo "note: $language's step lines differ from $reference's: $log_dir/diff-$reference-$language.txt"
      consistent=false
    fi
  done
  $consistent && echo "step lines identical across: ${passed[*]}"
fi

exit "$any_fail"
