"""``flask tutor worker``: grader processes consuming the queue.

Each process runs one Huey consumer with ``GRADER_WORKERS`` threads and its own sandbox pool of
that size (started before the first job, so a broken sandbox is reported at once, through the
heartbeat, instead of on a learner's submission). Beside the consumer a maintenance thread beats
the heartbeat and runs the sweeper. ``--workers N`` (N > 1) starts N such processes and restarts
any that dies; Ctrl+C or SIGTERM stops them all.
"""

from __future__ import annotations

import ctypes
import json
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from typing import Any

from flask import Flask

from . import heartbeat
from .sweeper import Sweeper
from .tasks import GradingQueue

log = logging.getLogger(__name__)
# How often a worker whose sandbox cannot be set up tries again (the grader keeps a refusal
# this long too).
RETRY_SECONDS = 30.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _beat(queue: GradingQueue, stop: threading.Event) -> None:
    """The heartbeat, on its own thread: a long sweep must not make the workers look dead."""
    while not stop.is_set():
        refused = queue.grader().refusal()
        try:
            heartbeat.beat(queue.huey, queue.threads, (refused.en, refused.zh) if refused else None)
        except Exception:
            log.exception("the heartbeat could not be written (is the queue reachable?)")
        stop.wait(heartbeat.EVERY_SECONDS)


def _sweep(queue: GradingQueue, sweeper: Sweeper, stop: threading.Event) -> None:
    sweep_every = float(queue.app.config.get("GRADER_SWEEP_SECONDS", 10))
    first = True
    while not stop.is_set():
        if queue.grader().refusal() is None:
            try:
                sweeper.sweep(first=first)
                first = False
            except Exception:
                log.exception("the sweep failed; it runs again in %s s", sweep_every)
        stop.wait(sweep_every)


def run_consumer(app: Flask) -> None:
    """One worker process: the consumer in this (main) thread until a signal stops it."""
    queue: GradingQueue = app.extensions["grading_queue"]
    refused = queue.grader().refusal()  # start the sandbox pool now
    sweeper = Sweeper(app, queue.catalog, queue.enqueue, queue.pending_messages)
    stop = threading.Event()
    maintenance = [
        threading.Thread(target=_beat, args=(queue, stop), name="grader-heartbeat", daemon=True),
        threading.Thread(
            target=_sweep, args=(queue, sweeper, stop), name="grader-sweeper", daemon=True
        ),
    ]
    for thread in maintenance:
        thread.start()
    try:
        # A worker that cannot grade takes no submissions: each one it took would wait for the
        # sweeper (or be taken by it again) while healthy workers beside it sat idle. It says
        # why through its heartbeat and tries its sandbox again until it works.
        while refused is not None:
            log.error("%s; taking no submissions, trying again in %g s", refused.en, RETRY_SECONDS)
            stop.wait(RETRY_SECONDS)
            refused = queue.grader().refusal()
    except BaseException:  # Ctrl+C while waiting
        stop.set()
        raise
    consumer = queue.huey.create_consumer(
        workers=queue.threads,
        worker_type="thread",
        periodic=False,
        initial_delay=0.05,
        backoff=1.2,
        max_delay=0.5,  # an idle SQLite queue is polled twice a second; Redis blocks instead
        check_worker_health=True,
        # SIGTERM (systemd's stop, a deploy, the supervisor) finishes the submissions in hand
        # and then stops; Huey's default stopped at once, each one spending an attempt — three
        # restarts during one grading made a right answer "could not be graded".
        graceful_signal="TERM",
    )
    log.info(
        "grader worker: %d thread(s), GRADER=%s, queue %s", queue.threads, queue.mode, queue.url
    )
    try:
        consumer.run()
    finally:
        stop.set()
        for thread in maintenance:
            thread.join(timeout=5)


def _plain_config(app: Flask) -> dict[str, Any]:
    """The app's settings that survive the trip to a new process (JSON-able values)."""
    plain = {}
    for key, value in app.config.items():
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            continue
        plain[key] = value
    return plain


def _die_with(parent: int) -> None:
    """Ends this grader process (SIGTERM: it finishes its jobs) when the supervisor dies, even
    by ``kill -9`` or the OOM killer, which give it no chance to stop its children: orphans
    would go on grading with old code beside the next supervisor's workers, unmanaged."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        log.warning("cannot ask to end with the supervisor (prctl: errno %s)", ctypes.get_errno())
    if os.getppid() != parent:  # it died before the request took effect
        sys.exit(0)


def _child(config: dict[str, Any], parent: int) -> None:
    from tutor.web import create_app

    _die_with(parent)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    run_consumer(create_app(config))


def run_workers(app: Flask, processes: int) -> None:
    """``processes`` worker processes, kept running until Ctrl+C or SIGTERM."""
    if processes <= 1:
        run_consumer(app)
        return
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited pools
    config = _plain_config(app)
    children: list[multiprocessing.process.BaseProcess] = []
    stopping = threading.Event()

    def start() -> multiprocessing.process.BaseProcess:
        child = context.Process(target=_child, args=(config, os.getpid()), name="grader-worker")
        child.start()
        return child

    def stop(signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    children = [start() for _ in range(processes)]
    started = [time.monotonic()] * processes
    pause = [1.0] * processes
    log.info("started %d grader worker processes: %s", processes, [c.pid for c in children])
    try:
        while not stopping.wait(1.0):
            for i, child in enumerate(children):
                if child.is_alive() or time.monotonic() - started[i] < pause[i]:
                    continue
                # One that dies at once (a broken set-up) is restarted ever more slowly.
                quick = time.monotonic() - started[i] < 30
                pause[i] = min(pause[i] * 2, 60.0) if quick else 1.0
                log.warning(
                    "grader worker %s exited (%s); starting another", child.pid, child.exitcode
                )
                children[i] = start()
                started[i] = time.monotonic()
    finally:
        for child in children:
            if child.is_alive() and child.pid is not None:
                child.terminate()
        for child in children:
            child.join(timeout=15)
