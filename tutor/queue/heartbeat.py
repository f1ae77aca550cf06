"""Workers say they are alive, through the queue itself (so a web process on another machine
sees them too): every few seconds each worker writes the time, its thread count and — when its
sandbox cannot be set up — why. The web process refuses submissions ("grading is unavailable")
only when no worker has beaten recently, or the last one to beat cannot grade.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from huey import Huey

KEY = "virttutor:worker-heartbeat"
EVERY_SECONDS = 2.0
STALE_SECONDS = 15.0


@dataclass(frozen=True)
class Beat:
    at: float
    threads: int
    refusal_en: str | None = None
    refusal_zh: str | None = None

    def fresh(self, stale_seconds: float = STALE_SECONDS) -> bool:
        return time.time() - self.at < stale_seconds


def beat(huey: Huey, threads: int, refusal: tuple[str, str] | None = None) -> None:
    en, zh = refusal or (None, None)
    huey.put(KEY, {"at": time.time(), "threads": threads, "en": en, "zh": zh})


def last_beat(huey: Huey) -> Beat | None:
    """The latest beat of any worker, or ``None`` (no worker has ever run, or the queue's
    storage cannot be read)."""
    try:
        value = huey.get(KEY, peek=True)
    except Exception:  # Redis down, SQLite locked: no news is no worker
        return None
    if not isinstance(value, dict):
        return None
    return Beat(float(value["at"]), int(value["threads"]), value.get("en"), value.get("zh"))
