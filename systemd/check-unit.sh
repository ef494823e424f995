#!/usr/bin/env bash
# Checks sanctions-monitor.service with systemd's own tools and prints its security exposure (0 best, 10 worst).
# `systemd-analyze verify` insists that ExecStart's binary exists, so both checks run on a copy whose ExecStart
# is /bin/true unless sanctions-monitor is installed. Needs the Debian package `systemd` (systemd-analyze).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
unit="$here/sanctions-monitor.service"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if [ -x /usr/bin/sanctions-monitor ]; then
  cp "$unit" "$tmp/"
else
  sed 's#^ExecStart=/usr/bin/sanctions-monitor #ExecStart=/bin/true #' "$unit" >"$tmp/sanctions-monitor.service"
fi

echo "== systemd-analyze verify"
(cd "$tmp" && systemd-analyze verify "$tmp/sanctions-monitor.service") && echo "ok"

echo "== systemd-analyze security --offline=yes (systemd 252: --offline reads the file, no running manager)"
(cd "$tmp" && systemd-analyze security --offline=yes --no-pager "$tmp/sanctions-monitor.service") | grep -v '✓'
