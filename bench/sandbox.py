"""Sandbox overhead, throughput and latency for grading a typical exercise.

    .venv/bin/python bench/sandbox.py [--seconds 5] [--exercise io-path]

Rows:
* ``in-process``: the learner's cases run in this process (no isolation): the work itself;
* ``process``: ``ProcessRunner``, a fresh ``python -I`` per submission (development runner);
* ``sandbox``: ``SandboxRunner``, a fork of a warm zygote inside bubblewrap + rlimits + seccomp;
* ``judge+sandbox``: what a submission costs the server: the sandbox run plus the trusted
  reference run and the comparison (``Judge.grade``), without HTTP and the database.

Latency rows run one submission at a time; throughput rows keep ``--threads`` submissions in
flight (one per pool member) for ``--seconds``. Overhead = sandbox p50 − in-process p50.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.content import load_catalog  # noqa: E402
from tutor.grading.judge import Judge, variant_seed  # noqa: E402
from tutor.grading.runner import InProcessRunner, ProcessRunner  # noqa: E402
from tutor.grading.sandbox import SandboxPool, SandboxRunner  # noqa: E402


def latencies(call: Callable[[], object], count: int) -> list[float]:
    call()  # warm
    out = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return out


def throughput(
    call: Callable[[], object], threads: int, seconds: float
) -> tuple[float, list[float]]:
    stop = time.monotonic() + seconds
    times: list[float] = []
    lock = threading.Lock()

    def loop() -> None:
        while time.monotonic() < stop:
            started = time.perf_counter()
            call()
            elapsed = time.perf_counter() - started
            with lock:
                times.append(elapsed)

    began = time.monotonic()
    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return len(times) / (time.monotonic() - began), times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--exercise", default="io-path")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2 * (os.cpu_count() or 2))
    args = parser.parse_args()

    exercise = load_catalog(ROOT / "lessons").exercise(args.exercise)
    assert exercise is not None, args.exercise
    seed = variant_seed("bench", "student", exercise.id)
    cases = exercise.cases(seed, "hidden")
    code, driver, limits = exercise.solution, exercise.driver, exercise.limits
    pool = SandboxPool(args.threads)
    started = time.perf_counter()
    pool.start()
    boot = (time.perf_counter() - started) * 1000
    sandbox = SandboxRunner(pool)
    judge = Judge(sandbox)
    assert judge.grade(exercise, code, seed, "hidden").verdict == "passed"

    rows: list[tuple[str, list[float], float | None]] = []
    inproc = latencies(lambda: InProcessRunner().run(code, driver, cases, limits), args.count)
    rows.append(("in-process (no isolation)", inproc, None))
    proc = latencies(lambda: ProcessRunner().run(code, driver, cases, limits), args.count // 10)
    rows.append(("process (python -I each time)", proc, None))
    sand = latencies(lambda: sandbox.run(code, driver, cases, limits), args.count)
    rows.append(("sandbox (1 at a time)", sand, None))
    full = latencies(lambda: judge.grade(exercise, code, seed, "hidden"), args.count)
    rows.append(("judge+sandbox (1 at a time)", full, None))
    rate, times = throughput(
        lambda: sandbox.run(code, driver, cases, limits), args.threads, args.seconds
    )
    rows.append((f"sandbox, {args.threads} in flight", times, rate))
    rate2, times2 = throughput(
        lambda: judge.grade(exercise, code, seed, "hidden"), args.threads, args.seconds
    )
    rows.append((f"judge+sandbox, {args.threads} in flight", times2, rate2))
    pool.close()

    print(
        f"exercise {exercise.id}: {len(cases)} hidden cases; {os.cpu_count()} cores; "
        f"pool of {args.threads} zygotes started in {boot:.0f} ms"
    )
    print(f"{'runner':<34} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'per s':>8}")
    for name, values, per_second in rows:
        rate_text = f"{per_second:8.0f}" if per_second else f"{1 / statistics.mean(values):8.0f}"
        print(
            f"{name:<34} {len(values):>6} {pct(values, 0.5):8.2f} {pct(values, 0.99):8.2f} "
            f"{statistics.mean(values) * 1000:8.2f} {rate_text}"
        )
    overhead = pct(sand, 0.5) - pct(inproc, 0.5)
    print(f"sandbox overhead per submission (p50 sandbox - p50 in-process): {overhead:.2f} ms")


if __name__ == "__main__":
    main()
