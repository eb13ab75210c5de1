#!/usr/bin/env bash
# The Redis ledger tests (test/redis) start Debian's redis-server on a free loopback port.
# Install it when it is missing and we may.
set -euo pipefail
command -v redis-server >/dev/null && exit 0
if command -v apt-get >/dev/null; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else sudo="none"; fi
  if [ "$sudo" != none ]; then
    echo "Installing redis-server from Debian for the Redis ledger tests…"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
    exit 0
  fi
fi
echo "The Redis ledger tests need redis-server on the PATH (Debian: apt-get install -y redis-server)." >&2
exit 1
