#!/usr/bin/env python3
"""Quality of each quantization mix and method on stories260K.

For every (target, method): bits per weight over all matrices (embedding
included), perplexity on tinystories_val.txt (n_ctx 128), mean KL divergence
from the F32 model and the rate at which the top token agrees with it, and
the quantization time. The llama.cpp-made files in ../shared are measured in
the same run, by the same `lq perplexity`, for comparison.

Calibration uses calib-stories260K.txt (text the model generated itself,
disjoint from the evaluation text).

usage: bench/quantization_table.py [--chunks N] [--only TARGET ...] [--out FILE]
Needs a release build in build/ and ../shared beside the checkout.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LQ = os.path.join(ROOT, "build", "bin", "lq")
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
MODELS = os.path.join(SHARED, "models", "stories260K")
TEXT = os.path.join(SHARED, "models", "text", "tinystories_val.txt")
CALIB = os.path.join(SHARED, "models", "text", "calib-stories260K.txt")
F32 = os.path.join(MODELS, "stories260K-f32.gguf")

# (target, method, source): method "rtn-exhaustive" is `--method rtn
# --exhaustive` (the exhaustive scale search); "gguf" is the F32 GGUF (with its separate copy
# of the tied output matrix), "bin" the original llama2.c checkpoint (tied).
RUNS = [
    ("q8_0", "rtn", "gguf"),
    ("lq-int8", "rtn", "gguf"),
    ("lq-int8", "rtn-exhaustive", "gguf"),
    ("lq-int8", "importance", "gguf"),
    ("lq-int8", "gptq", "gguf"),
    ("lq-int8", "rtn", "bin"),
    ("lq-int8-row", "rtn", "gguf"),
    ("q6_k", "rtn", "gguf"),
    ("q5_k_m", "rtn", "gguf"),
    ("q4_k_m", "rtn", "gguf"),
    ("q5_0", "rtn", "gguf"),
    ("q4_0", "rtn", "gguf"),
    ("iq4_nl", "rtn", "gguf"),
    ("lq-int4", "rtn", "gguf"),
    ("lq-int4", "importance", "gguf"),
    ("lq-int4", "awq", "gguf"),
    ("lq-int4", "gptq", "gguf"),
    ("lq-int4", "gptq", "bin"),
    ("lq_nl4", "gptq", "gguf"),
    ("lq_nl5", "gptq", "gguf"),
    ("lq-int4-g32", "rtn", "gguf"),
    ("lq-int4-g32", "gptq", "gguf"),
    ("lq-int4-g64", "gptq", "gguf"),
    ("lq-int4-g128", "gptq", "gguf"),
]

PEER_FILES = [
    ("stories260K-q6_k.gguf", "Q6_K request (Q8_0 x32, F16 ffn_down)", "4.9758", "0.000757", "98.38"),
    ("stories260K-q4_k_m.gguf", "Q4_K_M request (mostly Q5_0, F16 ffn_down)", "5.0587", "0.017587", "93.08"),
    ("stories260K-tq2_0.gguf", "TQ2_0 request (mostly Q4_0, F16 ffn_down)", "5.2263", "0.081931", "85.16"),
]


def run(args, **kw):
    env = dict(os.environ, LQ_LOG="error")
    return subprocess.run(args, check=True, capture_output=True, text=True, env=env, **kw)


def matrix_bpw(path):
    info = json.loads(run([LQ, "info", path, "--json"]).stdout)
    return info["matrix_bits_per_weight"]


def evaluate(path, base, chunks):
    args = [LQ, "perplexity", "-m", path, "--kld", base, "--json", "-t", "2"]
    if chunks:
        args += ["--chunks", str(chunks)]
    return json.loads(run(args).stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=0, help="evaluate the first N chunks only (default: all 3070)")
    parser.add_argument("--only", action="append", metavar="TARGET",
                        help="quantize only to this target (repeatable); F32 and llama.cpp's files are always measured")
    parser.add_argument("--out", help="also write the table to this file")
    options = parser.parse_args()

    work = tempfile.mkdtemp(prefix="lq-quant-table-")
    base = os.path.join(work, "f32.kld")
    f32 = json.loads(run([LQ, "perplexity", "-m", F32, "-f", TEXT, "-c", "128", "--kld-base", base, "--json", "-t", "2"]
                         + (["--chunks", str(options.chunks)] if options.chunks else [])).stdout)
    lines = []
    emit = lambda line: (print(line, flush=True), lines.append(line))
    emit("| model | method | source | bits/weight (matrices) | PPL | mean KLD vs F32 | same top token | quantize time |")
    emit("|---|---|---|---|---|---|---|---|")
    emit("| F32 | - | GGUF | %.2f | %.4f ± %.4f | 0 | 100 %% | - |" % (matrix_bpw(F32), f32["ppl"], f32["ppl_error"]))
    for name, label, ref_ppl, ref_kld, ref_top in PEER_FILES:
        path = os.path.join(MODELS, name)
        r = evaluate(path, base, options.chunks)
        emit("| llama.cpp file %s: %s | - | GGUF | %.2f | %.4f ± %.4f (ref %s) | %.6f (ref %s) | %.2f %% (ref %s %%) | - |"
             % (name, label, matrix_bpw(path), r["ppl"], r["ppl_error"], ref_ppl, r["kld"], ref_kld,
                100 * r["same_top"], ref_top))
    for target, method, source in RUNS:
        if options.only and target not in options.only:
            continue
        out = os.path.join(work, "q.gguf")
        args = [LQ, "quantize"]
        if source == "bin":
            args += [os.path.join(MODELS, "stories260K.bin"), out, target, "--tokenizer", os.path.join(MODELS, "tok512.bin")]
        else:
            args += [F32, out, target]
        if method == "rtn-exhaustive":
            args += ["--method", "rtn", "--exhaustive", "-t", "2", "--json"]
        else:
            args += ["--method", method, "-t", "2", "--json"]
        if not method.startswith("rtn"):
            args += ["--calib", CALIB]
        start = time.time()
        run(args)
        seconds = time.time() - start
        r = evaluate(out, base, options.chunks)
        emit("| %s | %s | %s | %.2f | %.4f ± %.4f | %.6f | %.2f %% | %.2f s |"
             % (target, method, "llama2.c (tied)" if source == "bin" else "GGUF", matrix_bpw(out), r["ppl"],
                r["ppl_error"], r["kld"], 100 * r["same_top"], seconds))
        os.remove(out)
    os.remove(base)
    os.rmdir(work)
    if options.out:
        with open(options.out, "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
