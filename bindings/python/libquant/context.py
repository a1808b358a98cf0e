"""Contexts: a model running on one sequence, and generation."""

import ctypes as C
import dataclasses
import os
import threading

from . import _structs as S
from ._errors import LibquantError, Status
from ._library import check, lib
from .generate import GenerateResult, StopReason
from .prompt import infill_options
from .stream import Stream

BACKEND_CPU, BACKEND_ONEDNN, BACKEND_VULKAN, BACKEND_AUTO = 0, 1, 2, 3
_BACKENDS = {"cpu": BACKEND_CPU, "onednn": BACKEND_ONEDNN, "vulkan": BACKEND_VULKAN, "auto": BACKEND_AUTO}
TYPE_F32, TYPE_F16, TYPE_Q8_0 = 0, 1, 8

# The defaults of LQ_GENERATE_OPTIONS_INIT.
_GENERATE_DEFAULTS = dict(max_tokens=256, temperature=0.8, top_k=40, top_p=0.95, min_p=0.05,
                          repeat_penalty=1.0, repeat_last_n=64, frequency_penalty=0.0, presence_penalty=0.0)
SEED_RANDOM = 2**64 - 1


@dataclasses.dataclass(frozen=True)
class ContextInfo:
    """A context's facts (see ``lq_context_info``)."""

    n_ctx: int
    n_past: int
    n_batch: int
    n_threads: int
    n_vocab: int
    kv_type: int
    backend: int
    kv_bytes: int


class Context:
    """The mutable state of running a model on one sequence (its KV cache).

    One thread uses a context at a time (calls from several threads are
    serialised by a lock); :meth:`cancel` may be called from any thread.
    Use it as a context manager or call :meth:`close`.
    """

    def __init__(self, model, *, n_ctx=0, n_batch=512, n_threads=0, kv_type=TYPE_F16, backend="cpu"):
        """Creates a context for ``model``.

        ``n_ctx`` 0 means the model's training length (at most 4096);
        ``n_threads`` 0 means every hardware thread; ``backend`` is "cpu",
        "onednn", "vulkan", "auto" or a number.
        """
        if isinstance(backend, str):
            if backend not in _BACKENDS:
                raise LibquantError(Status.INVALID_ARGUMENT,
                                    f"unknown backend {backend!r}; known: {', '.join(_BACKENDS)}")
            backend = _BACKENDS[backend]
        options = S.ContextOptions(n_ctx=n_ctx, n_batch=n_batch, n_threads=n_threads, kv_type=kv_type,
                                   backend=backend)
        model_handle = model._retain()
        handle = C.c_void_p()
        try:
            check(lib().lq_context_create(C.byref(handle), model_handle, C.byref(options)), "lq_context_create")
        except BaseException:
            model._release()
            raise
        self._model = model
        self._handle = handle
        self._lock = threading.Lock()

    @property
    def model(self):
        """The :class:`~libquant.Model` this context runs."""
        return self._model

    def close(self):
        """Frees the context (waiting for a running call to end)."""
        with self._lock:
            if self._handle:
                lib().lq_context_free(self._handle)
                self._handle = None
                self._model._release()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            if getattr(self, "_handle", None):
                lib().lq_context_free(self._handle)
                self._handle = None
                self._model._release()
        except Exception:
            pass

    def _live(self):
        if not self._handle:
            raise LibquantError(Status.INVALID_ARGUMENT, "the context is closed")
        return self._handle

    def info(self):
        """Returns the context's :class:`ContextInfo`."""
        raw = S.ContextInfoC()
        with self._lock:
            check(lib().lq_context_get_info(self._live(), C.byref(raw)), "lq_context_get_info")
        return ContextInfo(raw.n_ctx, raw.n_past, raw.n_batch, raw.n_threads, raw.n_vocab, raw.kv_type,
                           raw.backend, raw.kv_bytes)

    def reset(self):
        """Forgets every position: the next generation starts from scratch."""
        with self._lock:
            check(lib().lq_context_reset(self._live()), "lq_context_reset")

    def save_session(self, path=None):
        """Saves the tokens and key/value cache: to the file ``path``, or, without it, as bytes returned.

        A later :meth:`load_session` (in this or another process, with the
        same model file and cache type) skips evaluating them again.
        """
        with self._lock:
            if path is not None:
                check(lib().lq_context_save_session(self._live(), os.fsencode(path)), "lq_context_save_session")
                return None
            needed = C.c_size_t(0)
            status = lib().lq_context_save_session_buffer(self._live(), None, 0, C.byref(needed))
            if status != Status.BUFFER_TOO_SMALL:
                check(status, "lq_context_save_session_buffer")
            buffer = C.create_string_buffer(needed.value)
            check(lib().lq_context_save_session_buffer(self._live(), buffer, needed.value, C.byref(needed)),
                  "lq_context_save_session_buffer")
            return buffer.raw[:needed.value]

    def load_session(self, source):
        """Restores a session from a file path or from the bytes :meth:`save_session` returned.

        A file of another model or cache type, a truncated or corrupt one is
        refused with :class:`LibquantError` and the context keeps its state.
        """
        with self._lock:
            if isinstance(source, (bytes, bytearray)):
                data = bytes(source)
                check(lib().lq_context_load_session_buffer(self._live(), data, len(data)),
                      "lq_context_load_session_buffer")
            else:
                check(lib().lq_context_load_session(self._live(), os.fsencode(source)), "lq_context_load_session")

    def cancel(self):
        """Asks the running generation to stop; callable from any thread.

        The generation returns with ``StopReason.CANCELLED`` and the text so
        far. As in the C API, a request made while nothing runs cancels the
        next generation.
        """
        handle = self._handle
        if handle:
            lib().lq_context_cancel(handle)

    def generate(self, prompt, *, on_text=None, stop=(), seed=SEED_RANDOM, add_special=True,
                 parse_special=False, **sampling):
        """Generates text after ``prompt`` (str, bytes, or a list of token ids).

        Sampling keywords and their defaults: ``max_tokens=256`` (negative:
        until the context is full), ``temperature=0.8`` (0: greedy),
        ``top_k=40``, ``top_p=0.95``, ``min_p=0.05``, ``repeat_penalty=1.0``,
        ``repeat_last_n=64``, ``frequency_penalty=0.0``,
        ``presence_penalty=0.0``. ``stop`` is a list of strings the text
        stops before. ``on_text(piece)`` receives the text as it is made
        (whole characters); returning ``False`` stops generation
        (``StopReason.CALLBACK``). An exception raised in ``on_text`` stops
        generation and is raised again here. The cache is reused for the
        longest prefix of the prompt it already holds.

        Returns a :class:`GenerateResult`.
        """
        return self._generate(prompt, None, on_text, stop, seed, add_special, parse_special, sampling)

    def infill(self, prefix, suffix, *, files=None, repo_name=None, file_name=None, max_prompt_tokens=0,
               suffix_first=False, on_text=None, stop=(), seed=SEED_RANDOM, **sampling):
        """Generates the code that belongs between ``prefix`` and ``suffix`` (fill-in-the-middle).

        The prompt is built from the model's FIM tokens (see
        :meth:`Model.infill_prompt`); ``files`` (``{name: text}`` or pairs)
        are other files of the project given as context. Sampling defaults
        to greedy with at most 128 tokens; the other keywords are those of
        :meth:`generate`. Raises ``LibquantError`` with
        ``Status.UNSUPPORTED`` for a model without FIM tokens.
        """
        sampling.setdefault("temperature", 0.0)
        sampling.setdefault("max_tokens", 128)
        infill = infill_options(prefix, suffix, files, repo_name, file_name, max_prompt_tokens, suffix_first)
        return self._generate(None, infill, on_text, stop, seed, True, False, sampling)

    def _generate(self, prompt, infill, on_text, stop, seed, add_special, parse_special, sampling):
        unknown = set(sampling) - set(_GENERATE_DEFAULTS)
        if unknown:
            raise TypeError(f"unknown generate option(s): {', '.join(sorted(unknown))}")
        values = dict(_GENERATE_DEFAULTS, **sampling)
        options = S.GenerateOptions(seed=seed, **values)
        options.flags = (0 if add_special else 1) | (2 if parse_special else 0)
        keep_alive = []
        if prompt is None:
            pass
        elif isinstance(prompt, (list, tuple)):
            ids = (C.c_int32 * len(prompt))(*prompt)
            keep_alive.append(ids)
            options.prompt_tokens = ids
            options.n_prompt_tokens = len(prompt)
        else:
            data = prompt.encode("utf-8") if isinstance(prompt, str) else bytes(prompt)
            keep_alive.append(data)
            options.prompt = data
            options.prompt_len = len(data)
        if stop:
            if isinstance(stop, (str, bytes)):
                stop = [stop]
            encoded = [s.encode("utf-8") if isinstance(s, str) else bytes(s) for s in stop]
            array = (C.c_char_p * len(encoded))(*encoded)
            keep_alive.extend([encoded, array])
            options.stop = array
            options.n_stop = len(encoded)

        pieces = []
        failure = []

        def trampoline(text, length, _token, _user):
            try:
                chunk = C.string_at(text, length)
                pieces.append(chunk)
                if on_text is not None and on_text(chunk.decode("utf-8", "replace")) is False:
                    return 1
                return 0
            except BaseException as error:  # never unwind into C
                failure.append(error)
                return 1

        callback = S.TOKEN_CALLBACK(trampoline)  # alive until the call returns
        options.on_text = callback
        raw = S.GenerateResultC()
        with self._lock:
            if infill is None:
                status, name = lib().lq_generate(self._live(), C.byref(options), C.byref(raw)), "lq_generate"
            else:
                status = lib().lq_infill(self._live(), C.byref(infill[0]), C.byref(options), C.byref(raw))
                name = "lq_infill"
            if status != Status.CANCELLED:
                check(status, name)
        if failure:
            raise failure[0]
        return GenerateResult(
            text=b"".join(pieces).decode("utf-8", "replace"), stop_reason=StopReason(raw.stop_reason),
            n_prompt_tokens=raw.n_prompt_tokens, n_reused_tokens=raw.n_reused_tokens,
            n_generated_tokens=raw.n_generated_tokens, prompt_seconds=raw.prompt_seconds,
            generate_seconds=raw.generate_seconds)

    def stream(self, prompt, **options):
        """Generates like :meth:`generate`, as an iterator of text pieces.

        Returns a :class:`~libquant.Stream`: iterate over it for the pieces;
        its ``result`` is the :class:`GenerateResult` once the iteration
        ends. Leaving the loop early (``break``, or :meth:`Stream.close`)
        stops the generation at its next piece.
        """
        if "on_text" in options:
            raise TypeError("stream() delivers the text itself; use generate(on_text=...) instead")
        return Stream(self, prompt, options)
