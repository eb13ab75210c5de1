#!/usr/bin/env bash
# The docs browser test drives Debian's Chromium. Install it when it is missing and we may.
set -euo pipefail
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] && exit 0
if command -v apt-get >/dev/null; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else sudo="none"; fi
  if [ "$sudo" != none ]; then
    echo "Installing Chromium from Debian for the docs browser test…"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
    exit 0
  fi
fi
echo "The docs browser test needs Chromium at $chromium (Debian: apt-get install -y chromium; or set CHROMIUM_PATH)." >&2
exit 1
