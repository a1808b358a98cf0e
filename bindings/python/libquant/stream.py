"""Streaming generation as an iterator."""

import queue
import threading

_DONE = object()


class Stream:
    """The pieces of text of one generation, as the model makes them.

    The generation runs on a worker thread (the library releases the GIL
    while it computes) and hands each piece over through a queue. Iterate
    once; ``result`` holds the :class:`~libquant.GenerateResult` after the
    last piece. An error of the generation is raised from the iteration.
    """

    def __init__(self, context, prompt, options):
        self.result = None
        self._pieces = queue.Queue()
        self._stopping = threading.Event()
        self._error = None
        self._finished = False
        self._worker = threading.Thread(target=self._work, args=(context, prompt, options),
                                        name="libquant-stream", daemon=True)
        self._worker.start()

    def _work(self, context, prompt, options):
        def on_text(piece):
            self._pieces.put(piece)
            return not self._stopping.is_set()

        try:
            self.result = context.generate(prompt, on_text=on_text, **options)
        except BaseException as error:  # handed to the iterating thread
            self._error = error
        finally:
            self._pieces.put(_DONE)

    def __iter__(self):
        return self

    def __next__(self):
        if self._finished:
            raise StopIteration
        piece = self._pieces.get()
        if piece is _DONE:
            self._finish()
            raise StopIteration
        return piece

    def _finish(self):
        self._finished = True
        self._worker.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def close(self):
        """Stops the generation at its next piece and waits for it to end."""
        if self._finished:
            return
        self._stopping.set()
        while self._pieces.get() is not _DONE:
            pass
        self._finish()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self._stopping.set()
        except Exception:
            pass
