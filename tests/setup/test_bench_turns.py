"""``bench.budgets`` compares grading over HTTP with the sandbox alone in turns of a second, both
sides set up once, each HTTP turn against the two sandbox turns around it (``bench.alternation``,
#15): five slices of two seconds, each side starting afresh, spread 0.66–0.84 in one run."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from bench.alternation import Alternation, Turn, neighbour_ratios, per_job_ms


def test_each_turn_is_compared_with_the_turns_around_it() -> None:
    turns = [
        Turn("alone", 100.0, 100, 0.0, 1.0),
        Turn("http", 60.0, 61, 0.2, 1.0),
        Turn("alone", 80.0, 81, 0.0, 0.9),
        Turn("http", 72.0, 72, 0.3, 1.1),
        Turn("alone", 100.0, 100, 0.0, 1.0),
    ]
    assert neighbour_ratios(turns, "http") == pytest.approx([60 / 90, 72 / 90])
    # Per job: every job a side's turns started, drained ones too.
    assert per_job_ms(turns, "http", lambda turn: turn.cpu_seconds) == pytest.approx(500 / 133)
    assert per_job_ms(turns, "alone", lambda turn: turn.busy_seconds) == pytest.approx(2900 / 281)
    # A turn without one on each side is not compared.
    assert neighbour_ratios(turns[1:], "http") == pytest.approx([72 / 90])


def test_the_sides_never_run_at_once_and_each_turn_counts_its_own_jobs() -> None:
    running = {"http": 0, "alone": 0}
    overlaps: list[str] = []
    lock = threading.Lock()

    def job(side: str, seconds: float) -> Callable[[int], None]:
        def run(_client: int) -> None:
            with lock:
                running[side] += 1
                if running["http"] and running["alone"]:
                    overlaps.append(side)
            time.sleep(seconds)
            with lock:
                running[side] -= 1

        return run

    # The HTTP side's jobs take twice as long: half the rate, with the same clients.
    alternation = Alternation(
        {"http": job("http", 0.02), "alone": job("alone", 0.01)},
        clients=2,
        cpu=time.process_time,
        busy=time.monotonic,
    )
    turns = alternation.run(["alone", "http", "alone", "http", "alone"], 0.3)
    assert overlaps == []
    assert [turn.side for turn in turns] == ["alone", "http", "alone", "http", "alone"]
    for turn in turns:
        jobs_per_second = 2 / (0.02 if turn.side == "http" else 0.01)
        assert 0.25 * jobs_per_second < turn.rate <= 1.05 * jobs_per_second
        assert turn.jobs >= turn.rate * 0.3
    assert all(0.3 < ratio < 0.8 for ratio in neighbour_ratios(turns, "http"))


def test_a_failing_job_ends_the_run_saying_why() -> None:
    def fails(_client: int) -> None:
        raise RuntimeError("grading over HTTP failed: 500")

    alternation = Alternation(
        {"http": fails, "alone": lambda _client: None},
        clients=2,
        cpu=time.process_time,
        busy=time.monotonic,
    )
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="500"):
        alternation.run(["http", "alone", "http"], 0.2)
    assert time.monotonic() - started < 5  # its threads are gone, not waiting for a turn
