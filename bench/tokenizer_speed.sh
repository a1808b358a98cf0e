#!/usr/bin/env bash
# Tokenizer speed: libquant (`lq tokenize`) against llama.cpp's llama-tokenize
# on the same 1 MB texts and vocabularies, one core, alternating the two tools
# over several rounds and reporting the median of each.
#
# usage: bench/tokenizer_speed.sh LLAMA_TOKENIZE [LQ] [ROUNDS]
#   LLAMA_TOKENIZE  path of llama.cpp's llama-tokenize
#   LQ              path of lq (default: build/bin/lq)
#   ROUNDS          rounds per case (default: 5)
# Environment: SHARED (default: ../shared beside the checkout).
#
# Both tools are timed end to end (process start, vocabulary load, tokenize,
# printing ids): that is what llama-tokenize can measure. libquant's
# tokenization alone is reported too, from `lq tokenize --stats`. The ids of
# both tools are compared once per case.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
llama_tokenize=${1:?usage: $0 LLAMA_TOKENIZE [LQ] [ROUNDS]}
lq=${2:-$here/build/bin/lq}
rounds=${3:-5}
shared=${SHARED:-$here/../shared}
pin=""
command -v taskset > /dev/null && pin="taskset -c 0"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c 1000000 "$shared/models/text/wiki.test.raw" > "$work/wiki-1MB.txt"
cp "$shared/models/text/tinystories_val.txt" "$work/tinystories_val.txt"

# Timing uses $EPOCHREALTIME (bash 5), so no helper process is counted.
median() { python3 -c 'import sys, statistics; print("%.1f" % statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

printf '%-10s %-20s %9s %12s %12s %12s %9s %9s\n' vocab text bytes "lq ms" "lq tok ms" "llama ms" "lq MB/s" "llama MB/s"
for vocab in llama-spm gpt-2; do
  model="$shared/tokenizer-tests/ggml-vocab-$vocab.gguf"
  for text in wiki-1MB.txt tinystories_val.txt; do
    file="$work/$text"
    bytes=$(stat -c %s "$file")
    lq_wall=() lq_tok=() ref_wall=()
    for ((round = 0; round < rounds; round++)); do
      start=$EPOCHREALTIME
      $pin "$lq" tokenize -m "$model" --no-bos --stats < "$file" > "$work/lq.ids" 2> "$work/lq.stats"
      end=$EPOCHREALTIME
      lq_wall+=("$(python3 -c "print(($end - $start) * 1e3)")")
      lq_tok+=("$(sed -n 's/.* in \([0-9.]*\) ms.*/\1/p' "$work/lq.stats")")
      start=$EPOCHREALTIME
      $pin "$llama_tokenize" -m "$model" -f "$file" --ids --log-disable --no-bos --no-escape --no-parse-special \
        > "$work/ref.ids" 2> /dev/null
      end=$EPOCHREALTIME
      ref_wall+=("$(python3 -c "print(($end - $start) * 1e3)")")
    done
    same=$(python3 - "$work/lq.ids" "$work/ref.ids" <<'PY'
import ast, sys
mine = [int(x) for x in open(sys.argv[1]).read().split()]
ref = ast.literal_eval(open(sys.argv[2]).read().strip())
print("ids identical" if mine == ref else "IDS DIFFER (%d vs %d tokens)" % (len(mine), len(ref)))
PY
)
    lq_ms=$(median "${lq_wall[@]}")
    tok_ms=$(median "${lq_tok[@]}")
    ref_ms=$(median "${ref_wall[@]}")
    printf '%-10s %-20s %9d %12s %12s %12s %9.2f %9.2f   %s\n' "$vocab" "$text" "$bytes" "$lq_ms" "$tok_ms" "$ref_ms" \
      "$(python3 -c "print($bytes / $lq_ms / 1e3)")" "$(python3 -c "print($bytes / $ref_ms / 1e3)")" "$same"
  done
done
echo "(medians of $rounds alternating rounds; 'lq tok ms' is libquant's tokenization alone; MB/s end to end)"
