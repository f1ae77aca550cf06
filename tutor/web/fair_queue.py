"""The grading queue, served round-robin across clients.

A plain FIFO lets one client who queues sixteen submissions make an honest learner who arrives
next wait behind all sixteen. Here each client (a network address, or a learner when there is
none) has its own line, and the workers take one job from each line in turn, so a learner waits
for at most one job per other client ahead of them, however many that client queued.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from typing import Generic, TypeVar

T = TypeVar("T")


class FairQueue(Generic[T]):
    def __init__(self) -> None:
        self._lines: OrderedDict[str, deque[T]] = OrderedDict()
        self._ready = threading.Condition()
        self._count = 0

    def put(self, client: str, item: T) -> None:
        with self._ready:
            self._lines.setdefault(client, deque()).append(item)
            self._count += 1
            self._ready.notify()

    def get(self) -> T:
        """The next item of the client whose turn it is; that client goes to the back."""
        with self._ready:
            while not self._count:
                self._ready.wait()
            client, line = next(iter(self._lines.items()))
            item = line.popleft()
            self._count -= 1
            del self._lines[client]
            if line:
                self._lines[client] = line
            return item

    def qsize(self) -> int:
        with self._ready:
            return self._count
