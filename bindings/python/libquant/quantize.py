"""Quantizing model files."""

import ctypes as C
import os

from . import _structs as S
from ._library import check, lib

METHODS = {"rtn": 0, "gptq": 1, "awq": 2, "importance": 3, "smoothquant": 4}


def quantize(input_path, output_path, target="q8_0", *, method="rtn", calibration=None, tensor_types=None,
             n_threads=0, progress=None, on_message=None):
    """Quantizes the model at ``input_path`` into a new GGUF file ``output_path``.

    ``target`` is a mix ("q8_0", "q4_k_m", "lq-int4", ...) or a type name;
    ``method`` one of ``METHODS``; ``calibration`` the path of calibration
    text (needed by gptq, awq, importance and smoothquant). ``progress`` is
    called with the fraction done and may return ``False`` to cancel
    (:class:`LibquantError` with ``Status.CANCELLED``; no output is left);
    ``on_message`` receives a line per tensor. Exceptions raised in either
    stop the work and are raised again here.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; known: {', '.join(METHODS)}")
    encode = lambda value: None if value is None else os.fsencode(value)  # noqa: E731
    options = S.QuantizeOptions(method=METHODS[method], target=target.encode(), calibration_samples=64,
                                calibration_ctx=256, n_threads=n_threads)
    options.tensor_types = None if tensor_types is None else tensor_types.encode()
    options.calibration_path = encode(calibration)
    failure = []

    def on_progress(fraction, _user):
        try:
            return 0 if progress is None or progress(fraction) is not False else 1
        except BaseException as error:  # never unwind into C
            failure.append(error)
            return 1

    def on_line(line, _user):
        try:
            if on_message is not None and not failure:
                on_message(line.decode("utf-8", "replace"))
        except BaseException as error:
            failure.append(error)

    progress_callback = S.PROGRESS_CALLBACK(on_progress)  # alive until the call returns
    message_callback = S.MESSAGE_CALLBACK(on_line)
    options.progress = progress_callback
    options.on_message = message_callback
    status = lib().lq_quantize(os.fsencode(input_path), os.fsencode(output_path), C.byref(options))
    if failure:
        raise failure[0]
    check(status, "lq_quantize")
