#!/usr/bin/env bash
# The unit, scenario, trace and tool tests built with ASan + UBSan (-DOFFSCHED_SANITIZE=ON) in
# build-sanitize/. Not in tools/test.sh: it rebuilds everything and takes about 20 minutes on 2
# cores. (The default suite already runs services/ under both sanitizers - services_tests - and
# every fuzzer with them.) The kernel module is not built: sanitizers do not apply there.
#   tools/test_sanitized.sh [ctest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD_DIR:-build-sanitize}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOFFSCHED_SANITIZE=ON -DOFFSCHED_FUZZ=OFF >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
# Leak detection off: SystemC keeps its kernel objects until exit; everything else is checked.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$BUILD" --output-on-failure -j"$(nproc)" -LE '^(kernel|fuzz|soak)$' "$@"
