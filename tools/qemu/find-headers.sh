#!/usr/bin/env bash
# Prints the kernel headers directory matching the kernel find-kernel.sh picks (never hard-coded).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
release=$(basename "$("$here/find-kernel.sh")" | sed 's/^vmlinuz-//')
d=/usr/src/linux-headers-$release
if [ ! -f "$d/Makefile" ]; then
  echo "no $d: install linux-headers-amd64 matching $release (tools/setup.sh)" >&2
  exit 1
fi
echo "$d"
