"""Rate-limit counters kept in this process, swept without a thread per counted request.

limits' ``MemoryStorage`` (``RATELIMIT_STORAGE_URI = memory://``, the default) starts a
``threading.Timer`` after every counted request to drop the counters that expired, and that
timer walks every counter of every learner and address: a thread started and a walk per
Submit, 0.41 ms of the server's CPU per submission on a quiet machine and more with every
learner in the last minute (#15). The counters here are the same; what changes is only when
expired ones are dropped: by the counting request that finds a sweep due, at most once every
``SWEEP_SECONDS``. Nothing reads an expired counter in between (``get`` checks each counter's
expiry as it reads it), so the limits count exactly as before.

It replaces a private method of ``MemoryStorage`` (``__schedule_expiry``): were a new version
of limits to rename it, the timer would simply run again as before, and
``tests/web/test_rate_counters.py`` says so (it watches for a thread started per Submit).
"""

from __future__ import annotations

import threading
import time

from limits.storage import MemoryStorage

SWEEP_SECONDS = 10.0
SCHEME = "swept-memory"


class SweptMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = [SCHEME]  # noqa: RUF012 (limits registers a storage class by it)

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._next_sweep = time.monotonic() + SWEEP_SECONDS
        self._sweeping = threading.Lock()

    def _MemoryStorage__schedule_expiry(self) -> None:  # (the name of the one it replaces)
        if time.monotonic() < self._next_sweep or not self._sweeping.acquire(blocking=False):
            return
        try:
            self._next_sweep = time.monotonic() + SWEEP_SECONDS
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]
        finally:
            self._sweeping.release()


def storage_uri(configured: str) -> str:
    """The storage Flask-Limiter is given for ``RATELIMIT_STORAGE_URI``: these counters for
    ``memory://``, any other storage as configured."""
    return f"{SCHEME}://" if configured == "memory://" else configured
