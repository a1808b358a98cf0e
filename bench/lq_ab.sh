#!/usr/bin/env bash
# Two builds of lq on the same GGUF files: prompt processing (pp) and token
# generation (tg), alternating A and B over several rounds so both see the
# same background load; reports the median tokens/s of each and the median
# of the per-round ratios B / A. Use it to show that a change costs no
# speed (A = before, B = after).
#
# usage: bench/lq_ab.sh LQ_A LQ_B MODEL.gguf [MODEL.gguf ...]
# Environment: ROUNDS (5), THREADS (2), PROMPT (128), GEN (32), BACKEND (cpu).
set -euo pipefail

lq_a=${1:?usage: $0 LQ_A LQ_B MODEL.gguf [MODEL.gguf ...]}
lq_b=${2:?usage: $0 LQ_A LQ_B MODEL.gguf [MODEL.gguf ...]}
shift 2
[[ $# -gt 0 ]] || { echo "usage: $0 LQ_A LQ_B MODEL.gguf [MODEL.gguf ...]" >&2; exit 2; }
rounds=${ROUNDS:-5}
threads=${THREADS:-2}
prompt=${PROMPT:-128}
gen=${GEN:-32}
backend=${BACKEND:-cpu}

results=$(mktemp)
trap 'rm -f "$results"' EXIT

run() {  # ENGINE_LABEL LQ MODEL
  local extra=()
  # An older lq may not know --backend; only pass it when the help mentions it.
  if grep -q -- '--backend' <<< "$("$2" bench 2>&1 || true)"; then extra=(--backend "$backend"); fi
  "$2" bench -m "$3" -p "$prompt" -n "$gen" -r 1 -t "$threads" "${extra[@]}" --json 2> /dev/null |
    python3 -c 'import sys, json; d = json.load(sys.stdin); print(sys.argv[1], sys.argv[2], d["pp"]["tps"], d["tg"]["tps"])' \
      "$(basename "$3")" "$1" >> "$results"
}

for ((round = 0; round < rounds; round++)); do
  for model in "$@"; do
    # Alternate which build goes first, so neither always runs on a warm cache.
    if ((round % 2 == 0)); then run A "$lq_a" "$model"; run B "$lq_b" "$model"
    else run B "$lq_b" "$model"; run A "$lq_a" "$model"; fi
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
print("%-28s %9s %9s %7s %9s %9s %7s" % ("model", "A pp", "B pp", "B/A", "A tg", "B tg", "B/A"))
for model in order:
    a, b = runs[model]["A"], runs[model]["B"]
    pp = statistics.median(y[0] / x[0] for x, y in zip(a, b))
    tg = statistics.median(y[1] / x[1] for x, y in zip(a, b))
    print("%-28s %9.1f %9.1f %7.3f %9.1f %9.1f %7.3f" % (
        model, statistics.median(r[0] for r in a), statistics.median(r[0] for r in b), pp,
        statistics.median(r[1] for r in a), statistics.median(r[1] for r in b), tg))
print("(tokens/s, medians of %s alternating rounds; pp%s and tg%s, %s threads; B/A = the median of the"
      " per-round ratios)" % (rounds, prompt, gen, threads))
EOF
