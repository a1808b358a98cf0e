#!/usr/bin/env python3
"""Generates a story with the bundled model, streaming it to the terminal.

    LIBQUANT_LIBRARY=build/lib/libquant.so.1 PYTHONPATH=bindings/python \
        python3 bindings/python/examples/generate.py models/stories260K.gguf
"""
import os
import sys

import libquant

here = os.path.dirname(os.path.abspath(__file__))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "../../../models/stories260K.gguf")

try:
    with libquant.Model(path) as model, libquant.Context(model) as context:
        stream = context.stream("Once upon a time", max_tokens=64, temperature=0.0)
        for piece in stream:
            print(piece, end="", flush=True)
        print(f"\n[{stream.result.n_generated_tokens} tokens, stopped by {stream.result.stop_reason.name.lower()}]")
except libquant.LibquantError as error:
    sys.exit(f"error: {error}")
