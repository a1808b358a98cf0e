"""Python binding of libquant: run and quantize language models locally.

    import libquant

    with libquant.Model("models/stories260K.gguf") as model, libquant.Context(model) as context:
        for piece in context.stream("Once upon a time", max_tokens=64, temperature=0):
            print(piece, end="", flush=True)

The library is found as :func:`load_library` describes (``LIBQUANT_LIBRARY``
names it explicitly). Errors are :class:`LibquantError` with the library's
status and message.
"""

from ._errors import LibquantError, LibraryNotFoundError, Status
from ._library import ABI_VERSION, load_library, version
from .context import BACKEND_AUTO, BACKEND_CPU, BACKEND_ONEDNN, BACKEND_VULKAN, SEED_RANDOM, TYPE_F16, \
    TYPE_F32, TYPE_Q8_0, Context, ContextInfo
from .generate import GenerateResult, StopReason
from .model import Model, ModelInfo
from .quantize import METHODS, quantize
from .stream import Stream

__version__ = "0.2.0"

__all__ = [
    "ABI_VERSION", "BACKEND_AUTO", "BACKEND_CPU", "BACKEND_ONEDNN", "BACKEND_VULKAN", "Context", "ContextInfo",
    "GenerateResult", "LibquantError", "LibraryNotFoundError", "METHODS", "Model", "ModelInfo", "SEED_RANDOM",
    "Status", "StopReason", "Stream", "TYPE_F16", "TYPE_F32", "TYPE_Q8_0", "load_library", "quantize",
    "version",
]
