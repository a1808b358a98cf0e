#!/usr/bin/env bash
# Perplexity of synthetic models (normal weights, std 0.02, as the reference
# speed models) of each architecture in each weight type,
# computed by libquant and by another GGUF runtime (llama.cpp), on files
# quantized by each of the two. Prints a markdown table.
#
# usage: bench/cross_runtime_ppl.sh LLAMA_CPP_BIN_DIR [CHUNKS]
#   LLAMA_CPP_BIN_DIR holds llama-perplexity and llama-quantize.
# Needs ../shared beside the checkout and a release build in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
peer=${1:?usage: $0 LLAMA_CPP_BIN_DIR [CHUNKS]}
chunks=${2:-20}
lq=build/bin/lq
shared=../shared
text=$shared/models/text/tinystories_val.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LQ_LOG=error

# type as lq names it : as llama-quantize names it (with --pure: one type everywhere)
types="f32:F32 f16:F16 bf16:BF16 q8_0:Q8_0 q4_0:Q4_0 q4_1:Q4_1 q5_0:Q5_0 q5_1:Q5_1 q2_k:Q2_K q3_k:Q3_K_M
q4_k:Q4_K_M q5_k:Q5_K_M q6_k:Q6_K iq4_nl:IQ4_NL iq4_xs:IQ4_XS"

lq_ppl() { $lq perplexity -m "$1" -f $text -c 128 --chunks $chunks -t 2 --json | sed 's/.*"ppl":\([0-9.e+-]*\).*/\1/'; }
peer_ppl() { "$peer/llama-perplexity" -m "$1" -f $text -c 128 --chunks $chunks -t 2 2>&1 | sed -n 's/.*Final estimate: PPL = \([0-9.]*\).*/\1/p'; }
diff_pct() { python3 -c "a=float('$1'); b=float('$2'); print('%+.4f %%' % (100*(a-b)/b))"; }

echo "| architecture | type | file made by | libquant PPL | llama.cpp PPL | difference |"
echo "|---|---|---|---|---|---|"
for arch in tiny:ggml-vocab-llama-spm tiny-qwen2:ggml-vocab-gpt-2 tiny-phi3:ggml-vocab-phi-3; do
  preset=${arch%%:*}; vocab=${arch##*:}
  base=$work/$preset-f32.gguf
  $lq synth --preset "$preset" -o "$base" --vocab "$shared/tokenizer-tests/$vocab.gguf" --type f32 --std 0.02
  for t in $types; do
    ours=${t%%:*}; theirs=${t##*:}
    $lq quantize "$base" "$work/lq.gguf" "$ours" -t 2 2>/dev/null
    a=$(lq_ppl "$work/lq.gguf"); b=$(peer_ppl "$work/lq.gguf")
    echo "| $preset | $ours | libquant | $a | $b | $(diff_pct "$a" "$b") |"
    if [ "$ours" != f32 ]; then
      "$peer/llama-quantize" --pure "$base" "$work/peer.gguf" "$theirs" 2 > /dev/null 2>&1
      a=$(lq_ppl "$work/peer.gguf"); b=$(peer_ppl "$work/peer.gguf")
      echo "| $preset | $ours | llama.cpp | $a | $b | $(diff_pct "$a" "$b") |"
    fi
  done
done
