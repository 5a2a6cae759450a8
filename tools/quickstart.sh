#!/usr/bin/env bash
# Sets up a fresh machine, builds, and runs the headline scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
exec build/bin/offsched-sim scenarios/syn_flood.yaml "$@"
