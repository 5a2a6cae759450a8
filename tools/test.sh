#!/usr/bin/env bash
# Builds everything and runs the whole test suite (unit, scenario, fuzz-for-seconds and QEMU
# tests) with ctest. The long runs (label `fuzz`: 10 million executions per fuzzer; `soak`) are left out:
# `ctest --test-dir build -L fuzz` runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD_DIR:-build}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
ctest --test-dir "$BUILD" --output-on-failure -j"$(nproc)" -LE '^(fuzz|soak)$' "$@"
