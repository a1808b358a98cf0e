"""Models: loading, description, tokenization."""

import ctypes as C
import dataclasses
import os
import threading

from . import _structs as S
from ._errors import LibquantError, Status
from ._library import check, lib
from .prompt import CHAT_ADD_ASSISTANT, chat_messages, infill_options

NO_MMAP = 1 << 0
VOCAB_ONLY = 1 << 1
METADATA_ONLY = 1 << 2


@dataclasses.dataclass(frozen=True)
class ModelInfo:
    """A model's summary (see ``lq_model_info``)."""

    architecture: str
    name: str
    n_params: int
    n_tensor_bytes: int
    n_tensors: int
    n_vocab: int
    n_ctx_train: int
    n_embd: int
    n_layer: int
    n_head: int
    n_head_kv: int
    gguf_version: int


class Model:
    """A loaded GGUF model: immutable, shareable between threads and contexts.

    Use it as a context manager or call :meth:`close`; contexts made from it
    keep it alive until they are closed too.
    """

    def __init__(self, path, *, mmap=True, vocab_only=False, progress=None):
        """Loads the model at ``path``.

        ``progress`` is called with the fraction done (0 to 1); returning
        ``False`` cancels the load (:class:`LibquantError` with
        ``Status.CANCELLED``). ``vocab_only`` loads the vocabulary without
        the weights (tokenize only).
        """
        library = lib()
        options = S.ModelOptions(flags=(0 if mmap else NO_MMAP) | (VOCAB_ONLY if vocab_only else 0))
        failure = []
        if progress is not None:
            def trampoline(fraction, _user):
                try:
                    return 0 if progress(fraction) is not False else 1
                except BaseException as error:  # never unwind into C
                    failure.append(error)
                    return 1
            options.progress = S.PROGRESS_CALLBACK(trampoline)
        handle = C.c_void_p()
        status = library.lq_model_load(C.byref(handle), os.fsencode(path), C.byref(options))
        if failure:
            raise failure[0]
        check(status, "lq_model_load")
        self._handle = handle
        self._users = 0
        self._closing = False
        self._lock = threading.Lock()

    # -- lifetime -------------------------------------------------------
    @property
    def handle(self):
        """The ``lq_model *`` as a ``ctypes.c_void_p``; raises once closed."""
        if not self._handle:
            raise LibquantError(Status.INVALID_ARGUMENT, "the model is closed")
        return self._handle

    def close(self):
        """Frees the model now, or as soon as the last context using it is closed."""
        with self._lock:
            self._closing = True
            if self._users == 0 and self._handle:
                lib().lq_model_free(self._handle)
                self._handle = None

    def _retain(self):
        with self._lock:
            if not self._handle or self._closing:
                raise LibquantError(Status.INVALID_ARGUMENT, "the model is closed")
            self._users += 1
            return self._handle

    def _release(self):
        with self._lock:
            self._users -= 1
            if self._closing and self._users == 0 and self._handle:
                lib().lq_model_free(self._handle)
                self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        # At interpreter exit the module globals may be gone already.
        try:
            if getattr(self, "_handle", None) and self._users == 0:
                lib().lq_model_free(self._handle)
                self._handle = None
        except Exception:
            pass

    # -- description ----------------------------------------------------
    def info(self):
        """Returns the model's :class:`ModelInfo`."""
        raw = S.ModelInfoC()
        check(lib().lq_model_get_info(self.handle, C.byref(raw)), "lq_model_get_info")
        return ModelInfo(
            architecture=(raw.architecture or b"").decode(), name=(raw.name or b"").decode(),
            n_params=raw.n_params, n_tensor_bytes=raw.n_tensor_bytes, n_tensors=raw.n_tensors,
            n_vocab=raw.n_vocab, n_ctx_train=raw.n_ctx_train, n_embd=raw.n_embd, n_layer=raw.n_layer,
            n_head=raw.n_head, n_head_kv=raw.n_head_kv, gguf_version=raw.gguf_version)

    def metadata(self, key):
        """A metadata entry as text (arrays as JSON); ``None`` when the key is absent."""
        needed = C.c_size_t(0)
        key_bytes = key.encode()
        status = lib().lq_model_meta_string(self.handle, key_bytes, None, 0, C.byref(needed))
        if status == Status.NOT_FOUND:
            return None
        if status != Status.BUFFER_TOO_SMALL:
            check(status, "lq_model_meta_string")
        buffer = C.create_string_buffer(needed.value)
        check(lib().lq_model_meta_string(self.handle, key_bytes, buffer, needed.value, C.byref(needed)),
              "lq_model_meta_string")
        return buffer.raw[:needed.value - 1].decode("utf-8", "replace")

    # -- tokenization ---------------------------------------------------
    def tokenize(self, text, *, add_special=True, parse_special=False):
        """Turns ``text`` (str or UTF-8 bytes) into a list of token ids.

        ``add_special`` adds BOS/EOS as the model says; ``parse_special``
        turns the text of control tokens (``<s>``) into those tokens.
        """
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        flags = (1 if add_special else 0) | (2 if parse_special else 0)
        capacity = len(data) + 4
        while True:
            ids = (C.c_int32 * capacity)()
            count = C.c_size_t(0)
            status = lib().lq_tokenize(self.handle, data, len(data), flags, ids, capacity, C.byref(count))
            if status == Status.BUFFER_TOO_SMALL:
                capacity = count.value
                continue
            check(status, "lq_tokenize")
            return list(ids[:count.value])

    def detokenize(self, tokens, *, render_special=False, keep_leading_space=False):
        """Turns token ids back into text (str; invalid UTF-8 becomes U+FFFD)."""
        return self.detokenize_bytes(tokens, render_special=render_special,
                                     keep_leading_space=keep_leading_space).decode("utf-8", "replace")

    def detokenize_bytes(self, tokens, *, render_special=False, keep_leading_space=False):
        """Like :meth:`detokenize`, returning the exact bytes."""
        ids = (C.c_int32 * len(tokens))(*tokens)
        flags = (1 if render_special else 0) | (2 if keep_leading_space else 0)
        capacity = 4 * len(tokens) + 16
        while True:
            buffer = C.create_string_buffer(capacity)
            needed = C.c_size_t(0)
            status = lib().lq_detokenize(self.handle, ids, len(tokens), flags, buffer, capacity, C.byref(needed))
            if status == Status.BUFFER_TOO_SMALL:
                capacity = needed.value
                continue
            check(status, "lq_detokenize")
            return buffer.raw[:needed.value - 1]

    # -- prompt formats ---------------------------------------------------
    def infill_prompt(self, prefix, suffix, *, files=None, repo_name=None, file_name=None, max_prompt_tokens=0,
                      suffix_first=False):
        """The fill-in-the-middle prompt as token ids (see ``lq_infill_prompt``).

        ``files`` (``{name: text}`` or pairs) are other files of the project;
        with ``repo_name`` or files, vocabularies that have repository tokens
        get the repository layout. ``max_prompt_tokens`` 0 keeps everything.
        """
        options, _keep = infill_options(prefix, suffix, files, repo_name, file_name, max_prompt_tokens,
                                        suffix_first)
        count = C.c_size_t(0)
        status = lib().lq_infill_prompt(self.handle, C.byref(options), None, 0, C.byref(count))
        if status != Status.BUFFER_TOO_SMALL:
            check(status, "lq_infill_prompt")
        ids = (C.c_int32 * count.value)()
        check(lib().lq_infill_prompt(self.handle, C.byref(options), ids, count.value, C.byref(count)),
              "lq_infill_prompt")
        return list(ids)

    def chat_template(self):
        """The family of the model's chat template ("chatml", "llama3", ...); ``None`` when it has none."""
        needed = C.c_size_t(0)
        status = lib().lq_chat_template_name(self.handle, None, 0, C.byref(needed))
        if status == Status.NOT_FOUND:
            return None
        if status != Status.BUFFER_TOO_SMALL:
            check(status, "lq_chat_template_name")
        buffer = C.create_string_buffer(needed.value)
        check(lib().lq_chat_template_name(self.handle, buffer, needed.value, C.byref(needed)),
              "lq_chat_template_name")
        return buffer.value.decode()

    def apply_chat_template(self, messages, *, add_assistant=True, template=None):
        """Renders a conversation in the model's chat format (or the family ``template`` names).

        ``messages`` are ``(role, content)`` pairs or ``{"role", "content"}``
        dicts. The text leaves out the leading BOS; generate from it with
        ``parse_special=True``.
        """
        array = chat_messages(messages)
        flags = CHAT_ADD_ASSISTANT if add_assistant else 0
        name = None if template is None else template.encode()
        needed = C.c_size_t(0)
        status = lib().lq_chat_apply_template(self.handle, name, array, len(array), flags, None, 0, C.byref(needed))
        if status != Status.BUFFER_TOO_SMALL:
            check(status, "lq_chat_apply_template")
        buffer = C.create_string_buffer(needed.value)
        check(lib().lq_chat_apply_template(self.handle, name, array, len(array), flags, buffer, needed.value,
                                           C.byref(needed)), "lq_chat_apply_template")
        return buffer.raw[:needed.value - 1].decode("utf-8", "replace")
