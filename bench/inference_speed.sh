#!/usr/bin/env bash
# Inference speed: `lq bench` against llama.cpp's llama-bench on the same
# GGUF files, prompt processing (pp) and token generation (tg), both with
# the same number of threads, alternating the two engines over several
# rounds; reports the median tokens/s of each and their ratio.
#
# usage: bench/inference_speed.sh LLAMA_BENCH MODEL [MODEL ...]
# A MODEL is a GGUF file both engines read, or LQ_FILE=PEER_FILE where lq
# reads the first and llama.cpp the second (a libquant type against the
# peer's nearest standard one: lq-int8-row.gguf=q8_0.gguf).
# Environment:
#   LQ       path of lq (default: build/bin/lq)
#   LQ_ARGS  more options for lq bench (e.g. "--backend onednn", "--backend vulkan")
#   LLAMA_ARGS  more options for llama-bench (e.g. "-ngl 99" for its GPU build)
#   ROUNDS   rounds (default: 5); each round runs each engine once per model
#   THREADS  threads of both engines (default: 2)
#   PROMPT   prompt tokens of pp (default: 128)
#   GEN      generated tokens of tg (default: 32)
#
# Each engine's run is its own warm-up plus one measured repetition
# (llama-bench -r 1, lq bench -r 1), so every round measures both engines
# under the same background load. Make the models with `lq synth` and
# `lq quantize` (or llama-quantize): both engines read the same file.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
llama_bench=${1:?usage: $0 LLAMA_BENCH MODEL [MODEL ...]}
shift
[[ $# -gt 0 ]] || { echo "usage: $0 LLAMA_BENCH MODEL [MODEL ...]" >&2; exit 2; }
read -r -a lq_args <<< "${LQ_ARGS:-}"
read -r -a llama_args <<< "${LLAMA_ARGS:-}"
lq=${LQ:-$here/build/bin/lq}
rounds=${ROUNDS:-5}
threads=${THREADS:-2}
prompt=${PROMPT:-128}
gen=${GEN:-32}

results=$(mktemp)
trap 'rm -f "$results"' EXIT

for ((round = 0; round < rounds; round++)); do
  for pair in "$@"; do
    lq_model=${pair%%=*}
    model=${pair#*=}
    name=$(basename "$lq_model")
    [[ "$lq_model" == "$model" ]] || name="$name=$(basename "$model")"
    # lq bench --json: {"pp":{"tps":..},"tg":{"tps":..}}
    "$lq" bench -m "$lq_model" "${lq_args[@]}" -p "$prompt" -n "$gen" -r 1 -t "$threads" --json 2> /dev/null |
      python3 -c 'import sys, json; d = json.load(sys.stdin); print(sys.argv[1], "lq", d["pp"]["tps"], d["tg"]["tps"])' "$name" >> "$results"
    # llama-bench -o json: a list with one entry per test (pp, then tg).
    "$llama_bench" -m "$model" "${llama_args[@]}" -p "$prompt" -n "$gen" -r 1 -t "$threads" -o json 2> /dev/null |
      python3 -c '
import sys, json
entries = json.load(sys.stdin)
pp = [e["avg_ts"] for e in entries if e["n_prompt"] > 0][0]
tg = [e["avg_ts"] for e in entries if e["n_gen"] > 0][0]
print(sys.argv[1], "llama", pp, tg)' "$name" >> "$results"
  done
  echo "round $((round + 1)) of $rounds done" >&2
done

python3 - "$results" "$prompt" "$gen" "$threads" "$rounds" <<'EOF'
import sys, statistics, collections
path, prompt, gen, threads, rounds = sys.argv[1:]
runs = collections.defaultdict(lambda: collections.defaultdict(list))
order = []
for line in open(path):
    model, engine, pp, tg = line.split()
    if model not in order:
        order.append(model)
    runs[model][engine].append((float(pp), float(tg)))
print("%-40s %10s %10s %8s %10s %10s %8s" % ("model", "lq pp", "llama pp", "ratio", "lq tg", "llama tg", "ratio"))
for model in order:
    lq, ref = runs[model]["lq"], runs[model]["llama"]
    # The median over rounds of each round's ratio, and the medians of each engine.
    pp_ratio = statistics.median(a[0] / b[0] for a, b in zip(lq, ref))
    tg_ratio = statistics.median(a[1] / b[1] for a, b in zip(lq, ref))
    print("%-40s %10.1f %10.1f %8.2f %10.1f %10.1f %8.2f" % (
        model, statistics.median(r[0] for r in lq), statistics.median(r[0] for r in ref), pp_ratio,
        statistics.median(r[1] for r in lq), statistics.median(r[1] for r in ref), tg_ratio))
print("(tokens/s, medians of %s alternating rounds; pp%s and tg%s, %s threads; ratio = lq / llama.cpp, the median of"
      " the per-round ratios)" % (rounds, prompt, gen, threads))
EOF
