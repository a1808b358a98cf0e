#!/usr/bin/env bash
# Quantization speed: libquant (`lq quantize`, default method rtn) against
# llama.cpp's llama-quantize on the same F16 model, both with the same
# number of threads, alternating the two tools over several rounds and
# reporting the median wall time of each and their ratio.
#
# usage: bench/quantize_speed.sh LLAMA_QUANTIZE [LQ] [ROUNDS]
#   LLAMA_QUANTIZE  path of llama.cpp's llama-quantize
#   LQ              path of lq (default: build/bin/lq)
#   ROUNDS          rounds per type (default: 5)
# Environment:
#   MODEL    the F16 GGUF to quantize (default: /tmp/synth-1b-f16.gguf, made
#            with `lq synth --preset 1b --type f16` when missing)
#   TYPES    libquant targets, space-separated (default: "q8_0 q4_0 q4_k_m")
#   THREADS  threads of both tools (default: 2)
#   OUT      folder for the quantized files, deleted after each run (default: /tmp)
#   SHARED   the shared data folder (default: ../shared beside the checkout)
#
# Both tools run end to end: reading the model, converting F16 rows,
# quantizing, writing the file. Run it on an otherwise idle machine; the
# alternation spreads any background load over both tools.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
llama_quantize=${1:?usage: $0 LLAMA_QUANTIZE [LQ] [ROUNDS]}
lq=${2:-$here/build/bin/lq}
rounds=${3:-5}
shared=${SHARED:-$here/../shared}
model=${MODEL:-/tmp/synth-1b-f16.gguf}
types=${TYPES:-"q8_0 q4_0 q4_k_m"}
threads=${THREADS:-2}
out=${OUT:-/tmp}

if [[ ! -f "$model" ]]; then
  echo "creating $model" >&2
  "$lq" synth --preset 1b -o "$model" --vocab "$shared/tokenizer-tests/ggml-vocab-llama-spm.gguf" --type f16 > /dev/null
fi

lq_out="$out/quantize-speed-lq.$$.gguf"
ref_out="$out/quantize-speed-llama.$$.gguf"
trap 'rm -f "$lq_out" "$ref_out"' EXIT

# Timing uses $EPOCHREALTIME (bash 5), so no helper process is counted.
seconds() { python3 -c "print('%.2f' % ($2 - $1))"; }
median() { python3 -c 'import sys, statistics; print("%.2f" % statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

printf '%-8s %-8s %s\n' type tool "seconds per round"
summary=()
for type in $types; do
  ref_type=$(echo "$type" | tr '[:lower:]' '[:upper:]')  # llama-quantize's names: Q8_0, Q4_K_M
  lq_times=() ref_times=()
  for ((round = 0; round < rounds; round++)); do
    start=$EPOCHREALTIME
    "$lq" quantize "$model" "$lq_out" "$type" -t "$threads" > /dev/null 2>&1
    end=$EPOCHREALTIME
    lq_times+=("$(seconds "$start" "$end")")
    rm -f "$lq_out"
    start=$EPOCHREALTIME
    "$llama_quantize" "$model" "$ref_out" "$ref_type" "$threads" > /dev/null 2>&1
    end=$EPOCHREALTIME
    ref_times+=("$(seconds "$start" "$end")")
    rm -f "$ref_out"
  done
  printf '%-8s %-8s %s\n' "$type" lq "${lq_times[*]}" "$type" llama "${ref_times[*]}"
  lq_median=$(median "${lq_times[@]}")
  ref_median=$(median "${ref_times[@]}")
  summary+=("$(printf '%-8s %10s %10s %8s' "$type" "$lq_median" "$ref_median" \
    "$(python3 -c "print('%.2f' % ($lq_median / $ref_median))")")")
done
echo
printf '%-8s %10s %10s %8s\n' type "lq s" "llama s" "lq/llama"
printf '%s\n' "${summary[@]}"
echo "(medians of $rounds alternating rounds, $threads threads each, $(nproc) CPUs, load now: $(cut -d' ' -f1-3 /proc/loadavg))"
