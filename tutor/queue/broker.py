"""The Huey instance behind ``QUEUE_URL``.

* ``sqlite:///path`` (default: beside an SQLite database, ``instance/tutor.queue.db``; else
  ``instance/queue.db``): the queue is a file; web and workers on one machine share it and
  nothing needs installing;
* ``redis://host:port/db``: workers on other machines consume the same queue;
* ``immediate``: no queue at all: a task runs inside the call that enqueues it (tests, and
  single-process tools).
"""

from __future__ import annotations

import re
from pathlib import Path

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

NAME = "virttutor-grading"


class QueueUrlError(ValueError):
    """``QUEUE_URL`` names no queue this server knows; the message says which are known."""


def default_url(instance: Path, database_uri: str = "") -> str:
    """Beside an SQLite database (``tutor.db`` → ``tutor.queue.db``: a queue belongs to its
    database, and a second database never receives another one's ids); else
    ``instance/queue.db``."""
    if database_uri.startswith("sqlite:///") and not database_uri.endswith(":memory:"):
        database = Path(database_uri.removeprefix("sqlite:///"))
        return f"sqlite:///{database.with_suffix('.queue.db')}"
    return f"sqlite:///{instance / 'queue.db'}"


QUEUE_URLS = (
    "sqlite:///path/to/queue.db (the default, one machine), redis://host:6379/0 (many machines) "
    "or immediate (tests)"
)
_REDIS = ("redis://", "rediss://", "unix://")


def hidden_password(url: str) -> str:
    """``scheme://user:***@host``, even for a URL too malformed to parse: what reaches a log or
    a terminal never holds the password."""
    return re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", url)


def is_queue_url(url: str) -> bool:
    return url == "immediate" or url.startswith(("sqlite:///", *_REDIS))


def make_huey(url: str) -> Huey:
    if url == "immediate":
        return MemoryHuey(NAME, immediate=True)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        # Results are never read back (the database row carries the verdict): store none.
        return SqliteHuey(NAME, filename=str(path), results=False, timeout=30)
    if url.startswith(_REDIS):
        return RedisHuey(NAME, url=url, results=False)
    raise QueueUrlError(f"QUEUE_URL {url!r} is not a queue: use {QUEUE_URLS}")
