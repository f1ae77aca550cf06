"""A deadline for importing a lesson's own modules (``driver.py``, ``cases.py``) at start-up.

These are trusted files, but an author's mistake — a loop at import time — would otherwise hang
the server's start (and ``check-lessons``) with no word of which file. In the main thread a
real-time interval timer interrupts the import after ``seconds`` and the loader reports the file;
elsewhere (no signals off the main thread) the import runs without a deadline.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

IMPORT_SECONDS = 10.0


class ImportTooSlow(Exception):
    """The module did not finish importing in time."""


@contextmanager
def deadline(seconds: float | None = None) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    limit = IMPORT_SECONDS if seconds is None else seconds

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise ImportTooSlow(f"it did not finish importing within {limit:g} s (a loop at import?)")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
