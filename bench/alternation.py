"""Two kinds of work taking turns on one machine, a second each, for a ratio of their rates.

A ratio of two rates measured one after the other measures the machine between them too: this
virtual machine's host gives it more or less CPU from one second to the next, and two seconds'
rates of the same work differ by a tenth. ``bench.budgets`` compared grading over HTTP with the
sandbox alone in five alternated slices of two seconds, each side starting afresh (new
connections, a new pool of zygotes): the slices' ratios spread 0.66–0.84 in one run, and the
median of five missed the goal in runs whose sides' medians met it (#15). Here both sides are
set up once and kept (their clients, connections and zygotes wait between turns), the turns are
short, and each turn of the measured side is compared with the mean of the two turns around it,
as the lesson page's seconds are (``bench/alternate.lua``).

A turn's rate counts the jobs finished within it. When it ends, its clients start nothing new
and finish what they hold before the other side starts, so the two never share the cores; that
drain is outside both turns' windows, but its jobs, their CPU and the machine's busy time count
toward the per-job costs.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass
class Turn:
    side: str
    rate: float  # jobs finished within the turn's window, per second
    jobs: int  # every job the turn started, finished within it or in its drain
    cpu_seconds: float  # ``cpu()`` over the turn and its drain
    busy_seconds: float  # ``busy()`` over the same


class Alternation:
    """``clients`` threads per side, each running its side's job (given the client's index)
    again and again while it is that side's turn."""

    def __init__(
        self,
        jobs: dict[str, Callable[[int], None]],
        clients: int,
        cpu: Callable[[], float],
        busy: Callable[[], float],
    ) -> None:
        self.jobs, self.clients, self.cpu, self.busy = jobs, clients, cpu, busy
        self._turn: str | None = None
        self._over = False
        self._running = dict.fromkeys(jobs, 0)
        self._finished: dict[str, list[float]] = {side: [] for side in jobs}
        self._failure: BaseException | None = None
        self._changed = threading.Condition()

    def run(self, sides: Sequence[str], seconds: float) -> list[Turn]:
        """One turn of ``seconds`` per item of ``sides``, in that order. A job that raises ends
        the run, raising it."""
        threads = [
            threading.Thread(target=self._client, args=(side, index), daemon=True)
            for side in self.jobs
            for index in range(self.clients)
        ]
        for thread in threads:
            thread.start()
        try:
            return [self._take_turn(side, seconds) for side in sides]
        finally:
            with self._changed:
                self._over = True
                self._changed.notify_all()
            for thread in threads:
                thread.join()

    def _take_turn(self, side: str, seconds: float) -> Turn:
        cpu, busy = self.cpu(), self.busy()
        with self._changed:
            done_before = len(self._finished[side])
            self._turn = side
            began = time.monotonic()
            self._changed.notify_all()
        time.sleep(seconds)
        with self._changed:
            self._turn = None
            ended = time.monotonic()
            while self._running[side]:
                self._changed.wait()
            finished = self._finished[side][done_before:]
            if self._failure is not None:
                raise self._failure
        within = sum(1 for at in finished if at <= ended)
        return Turn(
            side, within / (ended - began), len(finished), self.cpu() - cpu, self.busy() - busy
        )

    def _client(self, side: str, index: int) -> None:
        job = self.jobs[side]
        while True:
            with self._changed:
                while self._turn != side and not self._over:
                    self._changed.wait()
                if self._over:
                    return
                self._running[side] += 1
            try:
                job(index)
            except BaseException as exc:  # handed to the turn, which raises it
                with self._changed:
                    self._failure = self._failure or exc
                    self._running[side] -= 1
                    self._changed.notify_all()
                return
            with self._changed:
                self._finished[side].append(time.monotonic())
                self._running[side] -= 1
                self._changed.notify_all()


def neighbour_ratios(turns: Sequence[Turn], side: str) -> list[float]:
    """Each turn of ``side`` that has a turn before and after it: its rate over the mean of
    theirs."""
    return ratios_to_neighbours(
        {at: turn.rate for at, turn in enumerate(turns)},
        [at for at, turn in enumerate(turns) if turn.side == side],
    )


def ratios_to_neighbours(rates: Mapping[int, float], measured: Iterable[int]) -> list[float]:
    """Each measured position (a turn's index, a second of the clock) with a rate just before
    and just after it: its rate over the mean of those two. Grading's turns and the lesson
    page's seconds (``bench.budgets.second_by_second``) are compared the same way."""
    return [
        rates[at] / ((rates[at - 1] + rates[at + 1]) / 2)
        for at in measured
        if at - 1 in rates and at + 1 in rates
    ]


def per_job_ms(turns: Sequence[Turn], side: str, seconds: Callable[[Turn], float]) -> float:
    """``seconds`` of the turns of ``side``, per job of theirs, in milliseconds."""
    mine = [turn for turn in turns if turn.side == side]
    jobs = sum(turn.jobs for turn in mine)
    return 1000 * sum(seconds(turn) for turn in mine) / jobs if jobs else float("nan")


def median_rate(turns: Sequence[Turn], side: str) -> float:
    return statistics.median(turn.rate for turn in turns if turn.side == side)
