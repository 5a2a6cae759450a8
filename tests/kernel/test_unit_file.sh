#!/usr/bin/env bash
# tools/systemd/offsched.service: systemd-analyze verify, with offschedctl at this build's path
# (the unit names /usr/local/bin, where `make install`-style deployments put it). Skips (77)
# where systemd-analyze is missing.
#   test_unit_file.sh BUILD_DIR
set -uo pipefail
BUILD_DIR=$(cd "$1" && pwd)
REPO=$(cd "$(dirname "$0")/../.." && pwd)
command -v systemd-analyze > /dev/null || { echo "SKIP: systemd-analyze not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s|/usr/local/bin/offschedctl|$BUILD_DIR/bin/offschedctl|g; s|/sbin/modprobe|$(command -v true)|g" \
  "$REPO/tools/systemd/offsched.service" > "$work/offsched.service"
out=$(systemd-analyze verify "$work/offsched.service" 2>&1)
echo "$out"
# Verify prints problems of the unit itself; a clean unit prints nothing about it.
if echo "$out" | grep -q "offsched.service"; then echo "FAIL: the unit has problems"; exit 1; fi
echo "PASS: offsched.service verifies"
