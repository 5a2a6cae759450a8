#!/usr/bin/env bash
# Sets up a fresh machine, builds, and runs the headline scenario. The build's own output goes to
# build/build.log (its last lines are shown if it fails): what you see is the result table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
mkdir -p build
echo "building (log: build/build.log) ..."
if ! { cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build -j"$(nproc)"; } > build/build.log 2>&1; then
  tail -n 30 build/build.log
  echo "quickstart: the build failed; the whole log is build/build.log" >&2
  exit 1
fi
exec build/bin/offsched-sim scenarios/syn_flood.yaml "$@"
