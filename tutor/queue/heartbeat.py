"""Workers say they are alive, through the queue itself (so a web process on another machine
sees them too): every few seconds each worker writes the time, its thread count and — when its
sandbox cannot be set up — why, under its own name (host and process id).

The web process refuses submissions ("grading is unavailable") only when no worker has beaten
recently, or every worker that has cannot grade. One broken machine beside healthy ones (a
worker whose sandbox cannot start) must not turn away every other learner: with a single shared
beat, whichever worker wrote last decided, and half the submits were refused.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from typing import Any

from huey import Huey

KEY = "virttutor:worker-heartbeats"
EVERY_SECONDS = 2.0
STALE_SECONDS = 15.0
# A worker that has not beaten for this long is gone: its entry is dropped at the next beat.
FORGET_SECONDS = 600.0


@dataclass(frozen=True)
class Beat:
    at: float
    threads: int
    refusal_en: str | None = None
    refusal_zh: str | None = None

    def fresh(self, stale_seconds: float = STALE_SECONDS) -> bool:
        return time.time() - self.at < stale_seconds


# What ``last_beat`` gives when the queue's storage cannot be read (Redis down, SQLite locked):
# a beat of no worker, never fresh, told apart by identity.
QUEUE_UNREACHABLE = Beat(0.0, 0)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _beats(huey: Huey) -> dict[str, dict[str, Any]]:
    value = huey.get(KEY, peek=True)
    if not isinstance(value, dict):
        return {}
    return {name: beat for name, beat in value.items() if isinstance(beat, dict) and "at" in beat}


def beat(
    huey: Huey, threads: int, refusal: tuple[str, str] | None = None, worker: str | None = None
) -> None:
    """This worker's beat. Read, changed and written back: two workers beating at the same
    moment may lose one's entry, which its next beat (``EVERY_SECONDS`` later) writes again."""
    en, zh = refusal or (None, None)
    now = time.time()
    try:
        beats = _beats(huey)
    except Exception:  # unreadable now: this beat alone, the others come back with theirs
        beats = {}
    beats = {name: b for name, b in beats.items() if now - float(b["at"]) < FORGET_SECONDS}
    beats[worker or worker_name()] = {"at": now, "threads": threads, "en": en, "zh": zh}
    huey.put(KEY, beats)


def last_beat(huey: Huey) -> Beat | None:
    """What the workers say together, or ``None`` (no worker has ever run, or the queue's
    storage cannot be read): the recent workers that can grade, as one beat (the newest time,
    their threads added up); else, if every recent one cannot, the newest refusal; else the
    newest stale beat."""
    try:
        beats = [
            Beat(float(b["at"]), int(b["threads"]), b.get("en"), b.get("zh"))
            for b in _beats(huey).values()
        ]
    except Exception:  # Redis down, SQLite locked: not "no worker", which tells operators
        return QUEUE_UNREACHABLE  # to start one while the workers are running
    if not beats:
        return None
    healthy = [b for b in beats if b.fresh() and not b.refusal_en]
    if healthy:
        return Beat(max(b.at for b in healthy), sum(b.threads for b in healthy))
    return max(beats, key=lambda b: (b.fresh(), b.at))
