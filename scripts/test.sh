#!/usr/bin/env bash
# Builds libquant and runs every test: the release build with warnings as
# errors, then the same tests under AddressSanitizer + UndefinedBehaviorSanitizer.
# Expects ../shared beside the checkout (the test data).
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc 2>/dev/null || echo 2)

echo "== release build and tests"
cmake --preset release -DLQ_WERROR=ON -DLQ_BINDINGS_REQUIRED=ON
cmake --build --preset release -j "$jobs"
ctest --preset release -j "$jobs"

echo "== sanitizer build (address, undefined) and tests"
cmake --preset asan
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs"

echo "== all tests passed"
