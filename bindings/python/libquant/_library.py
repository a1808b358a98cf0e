"""Finding, loading and describing the shared library.

The library is looked for, in order: the path given to :func:`load_library`,
the ``LIBQUANT_LIBRARY`` environment variable, the package's own folder, the
install prefix (``/usr/local/lib``), then the system loader. The first that
loads is used; when none does, :class:`LibraryNotFoundError` lists each path
tried with the loader's message.
"""

import ctypes as C
import os
import threading

from . import _structs as S
from ._errors import LibquantError, LibraryNotFoundError, Status

ABI_VERSION = 1
SONAME = "libquant.so.1"

_lock = threading.Lock()
_lib = None

_P = C.c_void_p
_STATUS = C.c_int

# name: (restype, argtypes)
_PROTOTYPES = {
    "lq_version": (C.c_char_p, []),
    "lq_abi_version": (C.c_uint32, []),
    "lq_status_string": (C.c_char_p, [C.c_int]),
    "lq_last_error_message": (C.c_char_p, []),
    "lq_tensor_type_name": (C.c_char_p, [C.c_uint32]),
    "lq_model_load": (_STATUS, [C.POINTER(_P), C.c_char_p, C.POINTER(S.ModelOptions)]),
    "lq_model_free": (None, [_P]),
    "lq_model_get_info": (_STATUS, [_P, C.POINTER(S.ModelInfoC)]),
    "lq_model_get_vocab_info": (_STATUS, [_P, C.POINTER(S.VocabInfoC)]),
    "lq_model_meta_string": (_STATUS, [_P, C.c_char_p, C.c_char_p, C.c_size_t, C.POINTER(C.c_size_t)]),
    "lq_tokenize": (_STATUS, [_P, C.c_char_p, C.c_size_t, C.c_uint32, C.POINTER(C.c_int32), C.c_size_t,
                              C.POINTER(C.c_size_t)]),
    "lq_detokenize": (_STATUS, [_P, C.POINTER(C.c_int32), C.c_size_t, C.c_uint32, C.c_char_p, C.c_size_t,
                                C.POINTER(C.c_size_t)]),
    "lq_context_create": (_STATUS, [C.POINTER(_P), _P, C.POINTER(S.ContextOptions)]),
    "lq_context_free": (None, [_P]),
    "lq_context_get_info": (_STATUS, [_P, C.POINTER(S.ContextInfoC)]),
    "lq_context_reset": (_STATUS, [_P]),
    "lq_context_cancel": (_STATUS, [_P]),
    "lq_context_clear_cancel": (_STATUS, [_P]),
    "lq_context_save_session": (_STATUS, [_P, C.c_char_p]),
    "lq_context_load_session": (_STATUS, [_P, C.c_char_p]),
    "lq_context_save_session_buffer": (_STATUS, [_P, C.c_void_p, C.c_size_t, C.POINTER(C.c_size_t)]),
    "lq_context_load_session_buffer": (_STATUS, [_P, C.c_char_p, C.c_size_t]),
    "lq_generate": (_STATUS, [_P, C.POINTER(S.GenerateOptions), C.POINTER(S.GenerateResultC)]),
    "lq_quantize": (_STATUS, [C.c_char_p, C.c_char_p, C.POINTER(S.QuantizeOptions)]),
    "lq_infill_prompt": (_STATUS, [_P, C.POINTER(S.InfillOptions), C.POINTER(C.c_int32), C.c_size_t,
                                   C.POINTER(C.c_size_t)]),
    "lq_infill": (_STATUS, [_P, C.POINTER(S.InfillOptions), C.POINTER(S.GenerateOptions),
                            C.POINTER(S.GenerateResultC)]),
    "lq_chat_template_name": (_STATUS, [_P, C.c_char_p, C.c_size_t, C.POINTER(C.c_size_t)]),
    "lq_chat_apply_template": (_STATUS, [_P, C.c_char_p, C.POINTER(S.ChatMessage), C.c_size_t, C.c_uint32,
                                         C.c_char_p, C.c_size_t, C.POINTER(C.c_size_t)]),
}


def _candidates(path):
    if path:
        yield os.fspath(path)
        return
    env = os.environ.get("LIBQUANT_LIBRARY")
    if env:
        yield env
    here = os.path.dirname(os.path.abspath(__file__))
    yield os.path.join(here, SONAME)
    yield os.path.join("/usr/local/lib", SONAME)
    yield SONAME


def _declare(lib):
    for name, (restype, argtypes) in _PROTOTYPES.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes


def load_library(path=None):
    """Loads libquant (once per process) and returns the ctypes handle.

    ``path`` names the library file; without it the search order of this
    module's description applies. Raises :class:`LibraryNotFoundError` when
    nothing loads and :class:`LibquantError` when the library's ABI
    generation is not the one this package was written for.
    """
    global _lib
    with _lock:
        if _lib is not None:
            return _lib
        tried = []
        for candidate in _candidates(path):
            if os.sep in candidate and not os.path.exists(candidate):
                tried.append((candidate, "no such file"))
                continue
            try:
                lib = C.CDLL(candidate)
            except OSError as error:
                tried.append((candidate, str(error)))
                continue
            try:
                _declare(lib)
            except AttributeError as error:
                tried.append((candidate, f"not a compatible libquant ({error})"))
                continue
            abi = lib.lq_abi_version()
            if abi != ABI_VERSION:
                raise LibquantError(Status.UNSUPPORTED,
                                    f"{candidate} has ABI generation {abi}; this package needs {ABI_VERSION}")
            _lib = lib
            return _lib
        raise LibraryNotFoundError(tried)


def lib():
    """The loaded library, loading it on first use."""
    return _lib if _lib is not None else load_library()


def check(status, function):
    """Raises :class:`LibquantError` with the library's message when ``status`` is not OK.

    Must be called right after the failing call, on the same thread: the
    message is kept per thread until the next call.
    """
    if status != Status.OK:
        message = lib().lq_last_error_message().decode("utf-8", "replace")
        raise LibquantError(status, message, function)


def version():
    """The loaded library's version string, e.g. ``"0.2.0"``."""
    return lib().lq_version().decode()
