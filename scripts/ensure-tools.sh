#!/usr/bin/env bash
# The e2e tier drives three Debian programs: Chromium (the docs browser test), redis-server (the
# Redis ledger tests) and tmux (the command's terminal test). Install the missing ones, in one
# apt run, when we may.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[ -x "$chromium" ] || missing+=(chromium)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v tmux >/dev/null || missing+=(tmux)
[ ${#missing[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else sudo="none"; fi
  if [ "$sudo" != none ]; then
    echo "Installing from Debian for the e2e tests: ${missing[*]}…"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    exit 0
  fi
fi
echo "The e2e tests need ${missing[*]} (Debian: apt-get install -y ${missing[*]}; or set CHROMIUM_PATH)." >&2
exit 1
