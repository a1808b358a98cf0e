#!/usr/bin/env bash
# One run on a machine with a GPU: build, the Vulkan tests on that device,
# then the speed of the Vulkan backend against llama.cpp's Vulkan build on
# the same files (bench/inference_speed.sh, alternating rounds).
#
# usage: bench/vulkan_check.sh [LLAMA_BENCH MODEL...]
#   LLAMA_BENCH  llama-bench of a llama.cpp built with -DGGML_VULKAN=ON
#                (built separately; this script builds only libquant)
#   MODEL        GGUF files both read (e.g. made by `lq synth` + `lq quantize`)
# Environment: LQ_VULKAN_DEVICE picks the device (index or part of its name);
# ROUNDS, PROMPT, GEN as for inference_speed.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

cmake --preset release > /dev/null
cmake --build --preset release -j "$(nproc)"
build/bin/lq info --backends
ctest --test-dir build -R 'test_backend|test_vulkan_model|vulkan' --output-on-failure

if [[ $# -ge 2 ]]; then
  llama_bench=$1
  shift
  LQ_ARGS="--backend vulkan ${LQ_ARGS:-}" LLAMA_ARGS="-ngl 99 ${LLAMA_ARGS:-}" THREADS=${THREADS:-4} \
    bench/inference_speed.sh "$llama_bench" "$@"
fi
