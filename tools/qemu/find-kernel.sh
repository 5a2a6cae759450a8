#!/usr/bin/env bash
# Prints the newest /boot/vmlinuz-* (never a hard-coded version). Fails with what to install.
set -euo pipefail
k=$(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$k" ] || [ ! -r "$k" ]; then
  echo "no readable /boot/vmlinuz-*: install linux-image-amd64 (tools/setup.sh)" >&2
  exit 1
fi
echo "$k"
