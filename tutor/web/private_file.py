"""Files only their owner may read: a backup, a course export, a gradebook CSV hold every
learner's email and name (and a backup password hashes and code), and a file made with the
process's umask (usually 0644) was readable by every local user.

Each is written beside its target, owner-only from the first byte, and renamed over it only
when complete: a full disk leaves the previous file whole, not a truncated one in its place.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_private(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """Writes ``target`` (mode 0600) through ``write``, given the open file."""
    partial = target.with_name(f".{target.name}.partial")
    # A partial file left by a crash keeps its mode through O_CREAT: start from none.
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as raw:
            write(raw)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
