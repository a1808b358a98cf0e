"""Status codes and the exceptions that carry them."""

import enum


class Status(enum.IntEnum):
    """The ``lq_status`` values of the C API."""

    OK = 0
    INVALID_ARGUMENT = -1
    OOM = -2
    IO = -3
    MODEL_FORMAT = -4
    UNSUPPORTED = -5
    BUFFER_TOO_SMALL = -6
    CANCELLED = -7
    CONTEXT_FULL = -8
    NOT_FOUND = -9
    TYPE_MISMATCH = -10
    BACKEND = -11
    INTERNAL = -99


class LibquantError(Exception):
    """A libquant call failed.

    ``status`` is the :class:`Status` the library returned and ``message``
    the library's own description (which names the file, field or value at
    fault); ``str(error)`` shows both.
    """

    def __init__(self, status, message, function=None):
        try:
            status = Status(status)
        except ValueError:
            pass
        self.status = status
        self.message = message
        self.function = function
        name = status.name.lower() if isinstance(status, Status) else str(status)
        where = f"{function}: " if function else ""
        super().__init__(f"{where}{message or name} [{name}]")


class LibraryNotFoundError(LibquantError, OSError):
    """The shared library could not be found or loaded; ``tried`` lists the attempts."""

    def __init__(self, tried):
        self.tried = list(tried)
        lines = "\n".join(f"  {path}: {why}" for path, why in self.tried)
        LibquantError.__init__(self, Status.IO, "libquant could not be loaded; tried:\n" + lines)
